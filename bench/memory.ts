/**
 * Memory: heap growth over N evaluate requests of one published rule set, through the service path
 * the HTTP route `POST /rule-sets/:key/evaluate` takes (resolve the version from the database, check
 * the facts, compile, evaluate), in process. The heap is measured after a full GC (exposed at run
 * time when node was not started with --expose-gc) once warmed up and again at the end; validators
 * compiled per request would show here as steady growth (ajv#1879).
 *   npx tsx bench/memory.ts [requests]
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { pathToFileURL } from "node:url";
import { createAppContext } from "../server/app";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { openDatabase } from "../server/db/index";
import { seedDemo } from "../server/seed";
import { compiledSchemaCount } from "../rules/index";
import { hrRuleSet, benchEmployees } from "./rules";

function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

async function settledHeap(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

export async function benchMemory({ requests = 100_000, warmup = 2_000 } = {}) {
  const gc = collector();
  const database = await openDatabase({ kind: "pglite" });
  await database.migrate();
  const config = loadConfig({ DATABASE_URL: "memory", LOG_LEVEL: "silent" });
  const logger = createLogger("silent");
  await seedDemo(database.knex, logger, {
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
    employees: 1,
  });
  const ctx = createAppContext({ config, database, logger });
  const db = database.knex;
  const tenant = await db("tenants").where({ slug: "demo" }).first();
  const nobody = null as never; // the store records no author
  await ctx.rules.create(db, tenant.id, { key: "bench-memory", name: "Bench memory", ...hrRuleSet }, nobody);
  await ctx.rules.publish(db, tenant.id, "bench-memory", { effectiveFrom: "2000-01-01" }, nobody);
  const people = benchEmployees(1000);
  const at = "2025-03-01";
  // What the evaluate route does for each request.
  const evaluate = async (i: number) => {
    const resolved = await ctx.rules.resolve(db, tenant.id, "bench-memory", undefined, at);
    const facts = ctx.rules.checkFacts(resolved, people[i % people.length]);
    return ctx.rules.evaluate(ctx.rules.compile(tenant.id, resolved), resolved, facts, at);
  };
  for (let i = 0; i < warmup; i++) await evaluate(i);
  const compiledBefore = compiledSchemaCount();
  const before = await settledHeap(gc);
  const t0 = performance.now();
  for (let i = 0; i < requests; i++) await evaluate(i);
  const seconds = (performance.now() - t0) / 1000;
  const after = await settledHeap(gc);
  const compiledAfter = compiledSchemaCount();
  await database.close();
  return {
    requests,
    seconds,
    heapBeforeMb: before / 2 ** 20,
    heapAfterMb: after / 2 ** 20,
    growthMb: (after - before) / 2 ** 20,
    validatorsCompiled: compiledAfter - compiledBefore,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchMemory({ requests: Number(process.argv[2] ?? 100_000) });
  console.log(r);
}
