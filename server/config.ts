/**
 * The one place that reads the environment. The result is validated and frozen;
 * a bad value stops the start with a message naming the variable.
 */
import { resolve } from "node:path";

export type DatabaseKind = "pglite" | "postgres";

export interface Config {
  readonly port: number;
  readonly host: string;
  /** `postgres://…` for PostgreSQL, `memory` for an in-memory PGlite, undefined for PGlite in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly database: DatabaseKind;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  /** HMAC secret for tokens; when unset, one is generated once and kept in the database. */
  readonly tokenSecret: string | undefined;
  readonly tokenTtlSeconds: number;
  readonly bodyLimit: string;
  readonly seedDemo: boolean;
  /** On the first start, record demo activity (enrollments, monthly runs, alerts) in the demo tenant. */
  readonly demoActivity: boolean;
  /** Plugin names to load, in order (see plugins/index.ts). */
  readonly plugins: readonly string[];
  readonly adminDist: string;
  /** Rule-set size limits of this deployment (ORDO_RULES_MAX_RULES, _MAX_DEPTH, _MAX_CONDITIONS). */
  readonly rulesLimits: Readonly<{ maxRules: number; maxDepth: number; maxConditions: number }>;
}

export const DEFAULT_ADMIN_EMAIL = "admin@ordo.local";
export const DEFAULT_ADMIN_PASSWORD = "ordo-admin";
export const DEFAULT_PLUGINS = ["core-operators", "hr-dates", "record-decision", "social-insurance"];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no"].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  let database: DatabaseKind = "pglite";
  if (databaseUrl !== undefined && databaseUrl !== "memory") {
    if (!/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
      throw new ConfigError("DATABASE_URL", `must be postgres://… or "memory", got "${databaseUrl}"`);
    }
    database = "postgres";
  }
  const logLevel = env.LOG_LEVEL || "info";
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}`);
  const adminEmail = env.ORDO_ADMIN_EMAIL || DEFAULT_ADMIN_EMAIL;
  if (!/^[^@\s]+@[^@\s]+$/.test(adminEmail))
    throw new ConfigError("ORDO_ADMIN_EMAIL", `is not an email address: "${adminEmail}"`);
  const adminPassword = env.ORDO_ADMIN_PASSWORD || DEFAULT_ADMIN_PASSWORD;
  if (adminPassword.length < 8) throw new ConfigError("ORDO_ADMIN_PASSWORD", "must have at least 8 characters");
  const tokenSecret = env.ORDO_TOKEN_SECRET || undefined;
  if (tokenSecret !== undefined && tokenSecret.length < 32) {
    throw new ConfigError("ORDO_TOKEN_SECRET", "must have at least 32 characters");
  }
  const bodyLimit = env.ORDO_BODY_LIMIT || "2mb";
  if (!/^\d+(b|kb|mb)$/i.test(bodyLimit))
    throw new ConfigError("ORDO_BODY_LIMIT", `must look like 512kb or 2mb, got "${bodyLimit}"`);
  const plugins = (env.ORDO_PLUGINS ? env.ORDO_PLUGINS.split(",") : DEFAULT_PLUGINS)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of plugins) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(p)) throw new ConfigError("ORDO_PLUGINS", `has an invalid plugin name "${p}"`);
  }
  const config: Config = {
    port: int(env, "PORT", 3000, 0, 65535),
    host: env.HOST || "0.0.0.0",
    databaseUrl,
    database,
    dataDir: resolve(env.DATA_DIR || "./data"),
    logLevel,
    adminEmail,
    adminPassword,
    tokenSecret,
    tokenTtlSeconds: int(env, "ORDO_TOKEN_TTL", 8 * 3600, 60, 30 * 24 * 3600),
    bodyLimit,
    seedDemo: bool(env, "ORDO_SEED_DEMO", true),
    demoActivity: bool(env, "ORDO_DEMO_ACTIVITY", true),
    plugins: Object.freeze(plugins),
    adminDist: resolve(env.ORDO_ADMIN_DIST || "./admin/dist"),
    // Defaults and ceilings are rules/limits.ts's defaultLimits and limitCeilings.
    rulesLimits: Object.freeze({
      maxRules: int(env, "ORDO_RULES_MAX_RULES", 500, 1, 100_000),
      maxDepth: int(env, "ORDO_RULES_MAX_DEPTH", 10, 1, 100),
      maxConditions: int(env, "ORDO_RULES_MAX_CONDITIONS", 5000, 1, 1_000_000),
    }),
  };
  return Object.freeze(config);
}
