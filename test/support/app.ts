/** A real Ordo app on a fresh copy of the template database, driven in-process with supertest. */
import { inject } from "vitest";
import request from "supertest";
import type { Server } from "node:http";
import { createApp } from "../../server/app";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { openFromTemplate } from "../../server/db/testing";
import { TEST_ADMIN, DEMO_USERS } from "./constants";

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

export async function startTestApp(env: Record<string, string> = {}) {
  const database = await openFromTemplate(inject("dbTemplate"));
  const config = loadConfig({
    DATABASE_URL: "memory",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ORDO_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...env,
  });
  const logger = createLogger(config.logLevel);
  const app = createApp({ config, database, logger });
  const tokens = new Map<string, string>();
  let server: Server | undefined;

  async function login(email: string, password: string): Promise<string> {
    const key = `${email}:${password}`;
    if (!tokens.has(key)) {
      const res = await request(app).post("/api/auth/login").send({ email, password });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(key, res.body.token);
    }
    return tokens.get(key)!;
  }
  const as = (token: string, tenant?: string) => {
    const h: Record<string, string> = { authorization: `Bearer ${token}` };
    if (tenant) h["x-tenant"] = tenant;
    return h;
  };

  return {
    app,
    ctx: app.context,
    db: database.knex,
    database,
    request: () => request(app),
    login,
    /** Headers for the consultant admin in a tenant (default demo). */
    admin: async (tenant = "demo") => as(await login(TEST_ADMIN.email, TEST_ADMIN.password), tenant),
    hr: async () => as(await login(DEMO_USERS.hr.email, DEMO_USERS.hr.password)),
    employee: async () => as(await login(DEMO_USERS.employee.email, DEMO_USERS.employee.password)),
    as,
    /** Listens on a random port (for clients that need a URL, like ra-data-simple-rest). */
    async listen(): Promise<string> {
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, "127.0.0.1", () => resolve(s));
      });
      const addr = server.address();
      return `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    },
    async close() {
      if (server) await new Promise((r) => server!.close(r));
      await database.close();
    },
  };
}
