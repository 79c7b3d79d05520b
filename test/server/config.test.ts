import { describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../../server/config";

describe("config", () => {
  it("defaults to PGlite in ./data on port 3000", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      database: "pglite",
      databaseUrl: undefined,
      logLevel: "info",
      adminEmail: "admin@ordo.local",
    });
    expect(c.dataDir).toMatch(/\/data$/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("switches to PostgreSQL for postgres:// and to memory PGlite for 'memory'", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test" }).database).toBe("postgres");
    expect(loadConfig({ DATABASE_URL: "memory" })).toMatchObject({ database: "pglite", databaseUrl: "memory" });
  });

  it.each([
    ["PORT", "http"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["LOG_LEVEL", "loud"],
    ["ORDO_ADMIN_EMAIL", "not-an-email"],
    ["ORDO_ADMIN_PASSWORD", "short"],
    ["ORDO_TOKEN_SECRET", "too-short"],
    ["ORDO_SEED_DEMO", "maybe"],
    ["ORDO_DEMO_ACTIVITY", "sometimes"],
    ["ORDO_PLUGINS", "Bad Name"],
  ])("a bad %s (%s) stops the start naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
