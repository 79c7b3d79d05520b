/**
 * createApp builds the Express app and never listens (main.ts starts it; tests drive it in-process).
 */
import compression from "compression";
import express, { Router, type Express } from "express";
import { existsSync } from "node:fs";
import expressStaticGzip from "express-static-gzip";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import type { Config } from "./config";
import type { Database } from "./db/index";
import type { AppContext } from "./http/context";
import { actorOf } from "./http/context";
import { ApiDoc } from "./http/openapi";
import { errorHandler } from "./http/errors";
import { fail } from "./errors";
import { cors, noStore, securityHeaders } from "./http/security";
import { authenticate, pickTenant, tokenSecret, type AuthUser } from "./auth/service";
import { EntityRegistry } from "./entities/registry";
import { coreEntities } from "./entities/core";
import { authRoutes, publicAuthRoutes, sessionRoutes } from "./api/auth";
import { entityOpenApi, entityRoutes } from "./api/entities";
import { alertRoutes } from "./api/alerts";
import { mount } from "./http/route";
import { loadPlugins } from "./plugins";
import { RuleSetService } from "./rule-sets/service";
import { ruleSetRoutes } from "./api/rule-sets";
import { decisions } from "./entities/decisions";
import { bureauExports } from "./entities/bureau-exports";
import { bureauExportRoutes } from "./api/bureau-exports";
import { policyTableRoutes } from "./api/policy-tables";
import { siRoutes } from "./api/si";
import { publicReportRoutes, reportRoutes } from "./api/reports";
import { DELIVERY_JOB, processReportDelivery } from "./reports/delivery";
import { reminderTemplateRoutes } from "./api/reminder-templates";
import { packRoutes } from "./api/packs";
import { configBundleRoutes } from "./api/config-bundle";
import { lifecycleEntities } from "./entities/lifecycle";
import { lifecycleRoutes } from "./api/lifecycle";
import { baseDeclarationEntities } from "./entities/base-declarations";
import { baseDeclarationRoutes } from "./api/base-declarations";
import { paymentRoutes } from "./api/payments";
import { batchRoutes } from "./api/batches";
import { BATCH_JOB } from "./batches/service";
import { processBatchApply } from "./batches/apply";
import { PgBossQueue } from "./jobs/queue";
import { schedules } from "./entities/schedules";
import { processMonthlyRun } from "./lifecycle/monthly-run";
import { ADJUSTMENT_JOB, processAdjustments } from "./si/adjustments";
import { notificationEntities } from "./notifications/entities";
import { notificationRoutes } from "./api/notifications";
import { DISPATCH_JOB, processDispatchJob, scanDueNotifications } from "./notifications/dispatch";
import { regionRoutes } from "./api/regions";
import { scanRegionReminders } from "./regions/reminders";
import { auditRoutes } from "./api/audit";
import { dailyAuditPurge } from "./audit/purge";

export interface AppOptions {
  config: Config;
  database: Database;
  logger: Logger;
}

export function createAppContext({ config, database, logger }: AppOptions): AppContext {
  let secret: Promise<string> | undefined;
  const { registry } = loadPlugins(config.plugins);
  const ctx: AppContext = {
    rules: new RuleSetService(registry, config.rulesLimits),
    jobs: new PgBossQueue(database.knex, logger, { staleMs: config.jobStaleSeconds * 1000, ...config.queue }),
    config,
    db: database.knex,
    dbKind: database.kind,
    logger,
    entities: new EntityRegistry([
      ...coreEntities,
      decisions,
      ...lifecycleEntities,
      ...baseDeclarationEntities,
      ...notificationEntities,
      schedules,
      bureauExports,
    ]),
    doc: new ApiDoc(),
    // Derived from the database (or config), identical on every server: caching it keeps no per-server state.
    tokenSecret: () =>
      (secret ??= tokenSecret(database.knex, config.tokenSecret).catch((e) => {
        secret = undefined;
        throw e;
      })),
  };
  ctx.jobs.register("monthly-run", (tenantId, jobId, attempt) => processMonthlyRun(ctx, tenantId, jobId, attempt), {
    key: (params) => String(params.month), // one run of a tenant-month at a time, across servers
  });
  ctx.jobs.register(ADJUSTMENT_JOB, (tenantId, jobId) => processAdjustments(ctx, tenantId, jobId));
  ctx.jobs.register(DISPATCH_JOB, (tenantId, jobId) => processDispatchJob(ctx, tenantId, jobId));
  // Once a minute across all servers: notifications whose time has come (a reminder scheduled for today,
  // a retry whose backoff ran out) get their tenant's dispatch job.
  ctx.jobs.onTick(async (now) => {
    if (await scanDueNotifications(ctx.db, now)) ctx.jobs.wake();
  });
  // The daily region-reminder scan (each tenant once a China day): HR of a region before each city's deadline.
  ctx.jobs.onTick(async (now) => {
    if (await scanRegionReminders(ctx.db, ctx.rules.registry, ctx.logger, now)) ctx.jobs.wake();
  });
  ctx.jobs.onTick(dailyAuditPurge(ctx));
  ctx.jobs.register(DELIVERY_JOB, (tenantId, jobId, attempt) => processReportDelivery(ctx, tenantId, jobId, attempt));
  ctx.jobs.register(BATCH_JOB, (tenantId, jobId, attempt) => processBatchApply(ctx, tenantId, jobId, attempt), {
    key: (params) => String(params.batchId),
  });
  return ctx;
}

export function createApp(opts: AppOptions): Express & { context: AppContext } {
  const ctx = createAppContext(opts);
  const app = express() as Express & { context: AppContext };
  app.context = ctx;
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // req.ip, the client address the login throttle keys on: the socket unless proxies are trusted.
  app.set("trust proxy", ctx.config.trustProxy);
  app.use(securityHeaders());
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const given = req.headers["x-request-id"];
        const id = typeof given === "string" && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/api/health" },
    }),
  );
  // JSON answers compressed when the client accepts it (lists and reports are large). evaluate-batch
  // streams megabytes of repetitive JSON: zlib level 3 costs about 1 µs a record there, the default
  // level 6 2.5 µs, for 49 kB instead of 27 kB per 2,000 records (bench/http.ts).
  const batchAnswer = /^\/api\/rule-sets\/[^/?]+\/evaluate-batch(\?|$)/;
  app.use(
    "/api",
    compression({
      threshold: 1024,
      filter: (req, res) => !batchAnswer.test(req.originalUrl) && compression.filter(req, res),
    }),
  );
  app.use("/api/rule-sets/:key/evaluate-batch", compression({ threshold: 1024, level: 3 }));
  app.use("/api", noStore, cors(ctx.config.corsOrigins));
  app.use("/api", express.json({ limit: ctx.config.bodyLimit, type: ["application/json", "application/*+json"] }));
  app.use("/api", express.text({ limit: ctx.config.bodyLimit, type: ["text/csv", "text/plain"] }));

  const api = Router();
  mount(api, ctx.doc, {
    method: "get",
    path: "/health",
    summary: "Liveness and database check",
    tags: ["system"],
    public: true,
    handler: async () => {
      await ctx.db.raw("select 1");
      return { status: "ok", db: ctx.dbKind };
    },
  });
  api.use(publicAuthRoutes(ctx));
  api.use(publicReportRoutes(ctx));
  api.use(async (req, res, next) => {
    const { user, token } = await authenticate(ctx.db, await ctx.tokenSecret(), req.headers.authorization);
    res.locals.user = user;
    res.locals.token = token;
    next();
  });
  api.use(sessionRoutes(ctx));
  api.use((req, res, next) => {
    const user = res.locals.user as AuthUser;
    const slug = req.headers["x-tenant"];
    req.actor = { user, tenant: pickTenant(user, typeof slug === "string" && slug ? slug : undefined) };
    next();
  });
  ctx.doc.add("get", "/api/openapi.json", {
    summary: "This document, with the tenant's entity schemas",
    tags: ["system"],
  });
  api.get("/openapi.json", async (req, res) => {
    actorOf(req);
    const { paths, schemas } = await entityOpenApi(ctx, req);
    res.json(ctx.doc.document(paths, schemas));
  });
  api.use(authRoutes(ctx));
  api.use(ruleSetRoutes(ctx, ctx.rules));
  api.use(lifecycleRoutes(ctx));
  api.use(baseDeclarationRoutes(ctx));
  api.use(paymentRoutes(ctx));
  api.use(batchRoutes(ctx));
  api.use(alertRoutes(ctx));
  api.use(notificationRoutes(ctx));
  api.use(regionRoutes(ctx));
  api.use(bureauExportRoutes(ctx));
  api.use(entityRoutes(ctx));
  api.use(policyTableRoutes(ctx));
  api.use(siRoutes(ctx));
  api.use(reportRoutes(ctx));
  api.use(reminderTemplateRoutes(ctx));
  api.use(auditRoutes(ctx));
  api.use(packRoutes(ctx));
  api.use(configBundleRoutes(ctx));
  api.use((req) => {
    throw fail("ROUTE_NOT_FOUND", { method: req.method, path: `/api${req.path}` });
  });
  app.use("/api", api);

  const dist = ctx.config.adminDist;
  if (existsSync(join(dist, "index.html"))) {
    // Precompressed copies (.br, .gz) written by the build; hashed assets never change, so browsers
    // keep them; index.html is revalidated so a new build is picked up at once.
    app.use(
      expressStaticGzip(dist, {
        enableBrotli: true,
        orderPreference: ["br", "gzip"],
        index: false,
        serveStatic: {
          setHeaders: (res, path) =>
            res.setHeader(
              "Cache-Control",
              /[\\/]assets[\\/]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
            ),
        },
      }),
    );
    app.get("/{*splat}", (req, res, next) =>
      req.path.startsWith("/api/")
        ? next()
        : res.sendFile(join(dist, "index.html"), { headers: { "Cache-Control": "no-cache" } }),
    );
  }
  app.use((req, _res, next) => next(fail("ROUTE_NOT_FOUND", { method: req.method, path: req.path })));
  app.use(errorHandler);
  return app;
}
