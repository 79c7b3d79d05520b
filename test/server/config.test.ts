import { describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../../server/config";
import { DEMO_USERS, startMessages } from "../../server/seed";

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
    ["ORDO_TRUST_PROXY", "true"],
    ["ORDO_TRUST_PROXY", "10.0.0.0/40"],
    ["ORDO_TRUST_PROXY", "proxy.internal"],
    ["ORDO_TRUST_PROXY", "11"],
    ["ORDO_CORS_ORIGINS", "*"],
    ["ORDO_CORS_ORIGINS", "https://hr.example.com/"],
    ["ORDO_CORS_ORIGINS", "https://hr.example.com/app"],
    ["ORDO_CORS_ORIGINS", "hr.example.com"],
    ["ORDO_CORS_ORIGINS", "ftp://hr.example.com"],
    ["ORDO_SMTP_URL", "mail.example.com:25"],
    ["ORDO_SMTP_FROM", "nobody"],
    ["ORDO_NOTIFY_MAX_ATTEMPTS", "0"],
    ["ORDO_NOTIFY_BACKOFF_SECONDS", "-1"],
  ])("a bad %s (%s) stops the start naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it("development keeps today's demo: seeding on, listening on every interface, no proxy, no CORS", () => {
    expect(loadConfig({})).toMatchObject({
      production: false,
      seedDemo: true,
      host: "0.0.0.0",
      trustProxy: false,
      corsOrigins: [],
    });
  });

  it("production refuses the default admin password, naming ORDO_ADMIN_PASSWORD", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow("ORDO_ADMIN_PASSWORD");
    expect(() => loadConfig({ NODE_ENV: "production", ORDO_ADMIN_PASSWORD: "ordo-admin" })).toThrow(
      "ORDO_ADMIN_PASSWORD",
    );
  });

  it("production: no demo seed unless ORDO_SEED_DEMO=true, loopback unless HOST says otherwise", () => {
    const prod = { NODE_ENV: "production", ORDO_ADMIN_PASSWORD: "a-long-production-password" };
    expect(loadConfig(prod)).toMatchObject({ production: true, seedDemo: false, host: "127.0.0.1" });
    expect(loadConfig({ ...prod, ORDO_SEED_DEMO: "true" }).seedDemo).toBe(true);
    expect(loadConfig({ ...prod, HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
  });

  it("ORDO_TRUST_PROXY: off by default, a hop count, or proxy addresses and subnets", () => {
    expect(loadConfig({ ORDO_TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ ORDO_TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(loadConfig({ ORDO_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ ORDO_TRUST_PROXY: "loopback, 10.0.0.0/8, fd00::1" }).trustProxy).toEqual([
      "loopback",
      "10.0.0.0/8",
      "fd00::1",
    ]);
  });

  it("ORDO_CORS_ORIGINS lists origins", () => {
    expect(loadConfig({ ORDO_CORS_ORIGINS: "https://hr.example.com, http://localhost:5173" }).corsOrigins).toEqual([
      "https://hr.example.com",
      "http://localhost:5173",
    ]);
  });

  it("the start log names passwords in development only", () => {
    const text = (env: Record<string, string>) =>
      startMessages(loadConfig(env))
        .map((m) => m.msg)
        .join("\n");
    const dev = text({});
    expect(dev).toContain("ordo-admin");
    expect(dev).toContain(DEMO_USERS.hr.password);
    const password = "a-long-production-password";
    const prod = text({ NODE_ENV: "production", ORDO_ADMIN_PASSWORD: password, ORDO_SEED_DEMO: "true" });
    expect(prod).toContain("ORDO_ADMIN_PASSWORD");
    expect(prod).toContain("ORDO_TOKEN_SECRET");
    for (const secret of [password, "ordo-admin", DEMO_USERS.hr.password, DEMO_USERS.employee.password]) {
      expect(prod).not.toContain(secret);
    }
  });
});
