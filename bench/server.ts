/** A demo Ordo on a fresh in-memory PGlite (or the database given), on a free port: what the HTTP benches measure. */
import type { Server } from "node:http";
import { createApp } from "../server/app";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { openDatabase, type Database } from "../server/db/index";
import { seedDemo } from "../server/seed";

export async function startBenchServer(
  employees = 10,
  opts: { env?: Record<string, string>; database?: Database } = {},
) {
  const database = opts.database ?? (await openDatabase({ kind: "pglite" }));
  await database.migrate();
  const config = loadConfig({ DATABASE_URL: "memory", LOG_LEVEL: "silent", ...opts.env });
  const logger = createLogger("silent");
  await seedDemo(database.knex, logger, {
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
    employees,
  });
  const app = createApp({ config, database, logger });
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, "127.0.0.1", () => r(s));
  });
  const port = (server.address() as { port: number }).port;
  return {
    app,
    config,
    port,
    async close() {
      server.close();
      await database.close();
    },
  };
}
