/** Starts Ordo: config, database (migrated), first-start seed, HTTP server. */
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";
import { openDatabase } from "./db/index";
import { createApp } from "./app";
import { seedOnStart, startMessages } from "./seed";
import { runDemoActivity } from "./demo-activity";

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const where =
    config.database === "postgres"
      ? "PostgreSQL"
      : config.databaseUrl === "memory"
        ? "PGlite (in memory)"
        : `PGlite in ${config.dataDir}`;
  logger.info(`Ordo starting on ${where}`);
  for (const { level, msg } of startMessages(config)) logger[level](msg);
  const tOpen = performance.now();
  const database = await openDatabase({
    kind: config.database,
    url: config.databaseUrl,
    dataDir: config.database === "pglite" && config.databaseUrl !== "memory" ? config.dataDir : undefined,
  });
  const t0 = performance.now();
  await database.migrate();
  const t1 = performance.now();
  const seeded = await seedOnStart(database.knex, logger, config);
  logger.info(
    {
      openMs: Math.round(t0 - tOpen),
      migrateMs: Math.round(t1 - t0),
      seedMs: seeded ? Math.round(performance.now() - t1) : 0,
    },
    "database ready",
  );
  const app = createApp({ config, database, logger });
  await app.context.jobs.start();
  const server = app.listen(config.port, config.host, () => {
    logger.info(
      { host: config.host, port: config.port, db: database.kind },
      `Ordo listening on http://${config.host}:${config.port}`,
    );
  });
  if (seeded && config.demoActivity) {
    // Filled in while the server already answers: the dashboard has history a few seconds later.
    // The retail chain's too, so its region and store cost comparison has a ledger to compare.
    runDemoActivity(app.context)
      .then(() => runDemoActivity(app.context, undefined, "retail"))
      .catch((err) => logger.error({ err }, "demo activity failed"));
  }
  const stop = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    server.close();
    await app.context.jobs.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
