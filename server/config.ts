/**
 * The one place that reads the environment. The result is validated and frozen;
 * a bad value stops the start with a message naming the variable.
 */
import { isIP } from "node:net";
import { resolve } from "node:path";

export type DatabaseKind = "pglite" | "postgres";
/** Express's `trust proxy`: off, a number of proxy hops, or the proxies' addresses / subnets. */
export type TrustProxy = false | number | readonly string[];

export interface Config {
  /** NODE_ENV=production: no demo seed unless asked, no default admin password, loopback by default. */
  readonly production: boolean;
  readonly port: number;
  /** 127.0.0.1 in production (put a proxy in front, or set HOST), 0.0.0.0 otherwise. */
  readonly host: string;
  /** `postgres://…` for PostgreSQL, `memory` for an in-memory PGlite, undefined for PGlite in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly database: DatabaseKind;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  /**
   * HMAC secret for tokens. In production give it in ORDO_TOKEN_SECRET (from a secret store); when
   * unset, one is generated once and kept in plain text in the database's settings table.
   */
  readonly tokenSecret: string | undefined;
  readonly tokenTtlSeconds: number;
  readonly bodyLimit: string;
  readonly seedDemo: boolean;
  /** On the first start, record demo activity (enrollments, monthly runs, alerts) in the demo tenant. */
  readonly demoActivity: boolean;
  /** Plugin names to load, in order (see plugins/index.ts). */
  readonly plugins: readonly string[];
  readonly adminDist: string;
  /** A running job without a heartbeat for this long (its server died) is queued again. */
  readonly jobStaleSeconds: number;
  /** Audit entries older than this many days are purged daily (ORDO_AUDIT_RETENTION_DAYS; default 10 years). */
  readonly auditRetentionDays: number;
  /**
   * The pg-boss queue: a job active longer than expireSeconds (its server died) is failed and retried
   * after retryDelaySeconds, doubling each time (backoff); after retryLimit retries it goes to the dead
   * letter queue. Workers poll every pollSeconds; expiry is checked every maintenanceSeconds.
   */
  /** Employees a monthly run processes (and commits with its checkpoint) per chunk. */
  readonly monthlyRunChunk: number;
  readonly queue: Readonly<{
    expireSeconds: number;
    retryLimit: number;
    retryDelaySeconds: number;
    pollSeconds: number;
    maintenanceSeconds: number;
  }>;
  /** Where req.ip comes from: the socket (off) or X-Forwarded-For through trusted proxies. */
  readonly trustProxy: TrustProxy;
  /** Origins allowed to call the API from a browser (CORS); empty: no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  /** Rule-set size limits of this deployment (ORDO_RULES_MAX_RULES, _MAX_DEPTH, _MAX_CONDITIONS). */
  readonly rulesLimits: Readonly<{ maxRules: number; maxDepth: number; maxConditions: number }>;
  /** Notifications: the default SMTP server and sender of the email channel (a tenant may override both). */
  readonly smtpUrl: string | undefined;
  readonly smtpFrom: string | undefined;
  /** Where users reach this server (links in messages, e.g. a scheduled report's download). */
  readonly publicUrl: string;
  /** Delivery attempts before a notification is dead; the wait before try n+1 is backoff × 2^(n−1). */
  readonly notifyMaxAttempts: number;
  readonly notifyBackoffSeconds: number;
}

export const DEFAULT_ADMIN_EMAIL = "admin@ordo.local";
export const DEFAULT_ADMIN_PASSWORD = "ordo-admin";
export const DEFAULT_PLUGINS = [
  "core-operators",
  "hr-dates",
  "record-decision",
  "social-insurance",
  "channel-in-app",
  "channel-email",
  "channel-webhook",
];

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

const PROXY_NAMES = ["loopback", "linklocal", "uniquelocal"];

function trustProxy(raw: string | undefined): TrustProxy {
  if (raw === undefined || raw === "" || ["0", "false", "no", "off"].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError("ORDO_TRUST_PROXY", `must be at most 10 hops, got ${hops}`);
    return hops;
  }
  if (["true", "yes", "on", "1"].includes(raw.toLowerCase())) {
    throw new ConfigError(
      "ORDO_TRUST_PROXY",
      "must say which proxies to trust: a hop count (1 for one proxy) or their addresses, not true",
    );
  }
  const list = raw.split(",").map((p) => p.trim());
  for (const p of list) {
    const [addr, bits, extra] = p.split("/");
    const ok =
      PROXY_NAMES.includes(p) ||
      (addr !== undefined &&
        isIP(addr) !== 0 &&
        extra === undefined &&
        (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIP(addr) === 4 ? 32 : 128))));
    if (!ok) {
      throw new ConfigError(
        "ORDO_TRUST_PROXY",
        `has "${p}", which is not a hop count, an IP address, a subnet (10.0.0.0/8) or ${PROXY_NAMES.join(", ")}`,
      );
    }
  }
  return Object.freeze(list);
}

function corsOrigins(raw: string | undefined): readonly string[] {
  const list = (raw ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of list) {
    let origin: string | undefined;
    try {
      origin = new URL(o).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== o || !/^https?:/.test(o)) {
      throw new ConfigError(
        "ORDO_CORS_ORIGINS",
        `has "${o}", which is not an origin like https://hr.example.com (scheme, host, optional port, no path)`,
      );
    }
  }
  return Object.freeze(list);
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
  const production = env.NODE_ENV === "production";
  const adminPassword = env.ORDO_ADMIN_PASSWORD || DEFAULT_ADMIN_PASSWORD;
  if (adminPassword.length < 8) throw new ConfigError("ORDO_ADMIN_PASSWORD", "must have at least 8 characters");
  if (production && adminPassword === DEFAULT_ADMIN_PASSWORD) {
    throw new ConfigError("ORDO_ADMIN_PASSWORD", "must be set, to something other than the default, in production");
  }
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
  const smtpUrl = env.ORDO_SMTP_URL || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl))
    throw new ConfigError("ORDO_SMTP_URL", "must look like smtp://user:password@host:587 or smtps://…");
  const smtpFrom = env.ORDO_SMTP_FROM || undefined;
  if (smtpFrom !== undefined && !/@/.test(smtpFrom))
    throw new ConfigError("ORDO_SMTP_FROM", `must be an address like "Ordo <hr@example.com>", got "${smtpFrom}"`);
  const publicUrl = (env.ORDO_PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/]+/.test(publicUrl))
    throw new ConfigError(
      "ORDO_PUBLIC_URL",
      `must be an http(s) address like https://ordo.example.com, got "${publicUrl}"`,
    );
  const config: Config = {
    production,
    publicUrl,
    port: int(env, "PORT", 3000, 0, 65535),
    host: env.HOST || (production ? "127.0.0.1" : "0.0.0.0"),
    databaseUrl,
    database,
    dataDir: resolve(env.DATA_DIR || "./data"),
    logLevel,
    adminEmail,
    adminPassword,
    tokenSecret,
    tokenTtlSeconds: int(env, "ORDO_TOKEN_TTL", 8 * 3600, 60, 30 * 24 * 3600),
    bodyLimit,
    seedDemo: bool(env, "ORDO_SEED_DEMO", !production),
    demoActivity: bool(env, "ORDO_DEMO_ACTIVITY", true),
    plugins: Object.freeze(plugins),
    adminDist: resolve(env.ORDO_ADMIN_DIST || "./admin/dist"),
    jobStaleSeconds: int(env, "ORDO_JOB_STALE_SECONDS", 30, 5, 24 * 3600),
    auditRetentionDays: int(env, "ORDO_AUDIT_RETENTION_DAYS", 3660, 1, 36_600),
    monthlyRunChunk: int(env, "ORDO_MONTHLY_RUN_CHUNK", 2000, 10, 100_000),
    queue: Object.freeze({
      expireSeconds: int(env, "ORDO_JOB_EXPIRE_SECONDS", 15 * 60, 1, 24 * 3600),
      retryLimit: int(env, "ORDO_JOB_RETRY_LIMIT", 3, 0, 100),
      retryDelaySeconds: int(env, "ORDO_JOB_RETRY_DELAY_SECONDS", 10, 0, 3600),
      pollSeconds: int(env, "ORDO_JOB_POLL_SECONDS", 2, 1, 300),
      maintenanceSeconds: int(env, "ORDO_QUEUE_MAINTENANCE_SECONDS", 60, 1, 3600),
    }),
    trustProxy: trustProxy(env.ORDO_TRUST_PROXY),
    corsOrigins: corsOrigins(env.ORDO_CORS_ORIGINS),
    // Defaults and ceilings are rules/limits.ts's defaultLimits and limitCeilings.
    rulesLimits: Object.freeze({
      maxRules: int(env, "ORDO_RULES_MAX_RULES", 500, 1, 100_000),
      maxDepth: int(env, "ORDO_RULES_MAX_DEPTH", 10, 1, 100),
      maxConditions: int(env, "ORDO_RULES_MAX_CONDITIONS", 5000, 1, 1_000_000),
    }),
    smtpUrl,
    smtpFrom,
    notifyMaxAttempts: int(env, "ORDO_NOTIFY_MAX_ATTEMPTS", 5, 1, 50),
    notifyBackoffSeconds: int(env, "ORDO_NOTIFY_BACKOFF_SECONDS", 60, 0, 24 * 3600),
  };
  return Object.freeze(config);
}
