/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run.
 *   --only rules,http,policies,monthly,notifications,memory,api,login,import,reports,batches   run a subset
 *   BENCH_DATABASE_URL                       PostgreSQL for the 1M-employee API bench
 *                                            (default postgres://postgres@127.0.0.1:5432/test)
 */
import { existsSync } from "node:fs";
import { fmt } from "./stats";
import { benchRules } from "./rules";
import { benchHttp } from "./http";
import { benchPolicies } from "./policies";
import { benchApi } from "./api";
import { benchMemory } from "./memory";
import { benchLoginFlood } from "./login-flood";
import { benchImportHealth } from "./import-health";
import { benchReports } from "./reports";

const arg = process.argv.indexOf("--only");
const only = arg > 0 ? new Set(process.argv[arg + 1]!.split(",")) : undefined;
const want = (name: string) => !only || only.has(name);
const rows: { bench: string; result: string; baseline: string; ratio: string }[] = [];
let failed = false;

if (want("rules")) {
  console.log("rules: 15-rule HR rule set over 100,000 generated employees …");
  const r = await benchRules({ n: 100_000 });
  rows.push({
    bench: "rule evaluation, in process",
    result: `${r.ordoPerSec.toLocaleString()}/s (Ordo, compiled)`,
    baseline: `${r.jrePerSec.toLocaleString()}/s (json-rules-engine run)`,
    ratio: `${fmt(r.ratio)}x${r.identical ? "" : " RESULTS DIFFER"}`,
  });
  failed ||= !r.identical;
}
if (want("http")) {
  console.log("http: evaluate-batch (server in its own process) against one request per record …");
  const r = await benchHttp();
  for (const x of r.sizes) {
    const spread = (k: "perSec" | "perCoreSecond") => {
      const all = x.passes.map((p) => p[k]);
      return `${Math.min(...all).toLocaleString()}–${Math.max(...all).toLocaleString()}`;
    };
    rows.push({
      bench: `evaluate-batch through HTTP, batches of ${x.batchSize.toLocaleString()}`,
      result:
        `${x.perCoreSecond.toLocaleString()} records per server core-second (${spread("perCoreSecond")}); ` +
        `wall ${x.perSec.toLocaleString()}/s (${spread("perSec")})`,
      baseline: `${fmt(r.singleUsPerRecord)} µs a record with one evaluate per record`,
      ratio:
        `${fmt(r.singleUsPerRecord / x.usPerRecord)}x cheaper; target ${r.target.toLocaleString()}/s on one core: ` +
        `${x.perCoreSecond >= r.target ? "met" : "NOT met"}${x.identical ? "" : " RESULTS DIFFER"}`,
    });
  }
  failed ||= !r.identical;
}
if (want("policies")) {
  console.log("policies: contributions for 100,000 employees across six cities …");
  const r = benchPolicies(100_000);
  rows.push({
    bench: "contribution calculation, in process",
    result: `${r.perSecond.toLocaleString()}/s`,
    baseline: `policy set load ${fmt(r.loadMs)} ms`,
    ratio: "",
  });
}
if (want("monthly") && existsSync(new URL("./monthly-run.ts", import.meta.url))) {
  console.log("monthly: monthly run for 100,000 employees …");
  const path = "./monthly-run";
  const mod = (await import(path)) as {
    benchMonthlyRun: (o: { employees: number }) => Promise<{ employees: number; seconds: number; perSecond: number }>;
  };
  const r = await mod.benchMonthlyRun({ employees: 100_000 });
  rows.push({
    bench: "monthly run (ledger rows + alerts)",
    result: `${r.employees.toLocaleString()} employees in ${fmt(r.seconds)} s`,
    baseline: "",
    ratio: `${r.perSecond.toLocaleString()} employees/s`,
  });
}
if (want("notifications")) {
  console.log("notifications: gap notices rendered and queued for 100,000 leaving employees …");
  const { benchNotifications } = await import("./notifications");
  const r = await benchNotifications({ employees: 100_000 });
  rows.push({
    bench: "notifications rendered + queued",
    result: `${r.perSecond.toLocaleString()}/s (${r.sample.toLocaleString()} employees in ${fmt(r.seconds)} s)`,
    baseline: `${r.baselinePerSecond.toLocaleString()}/s (queuing rendered rows only)`,
    ratio:
      `${fmt(r.baselinePerSecond / r.perSecond)}x for rendering` +
      (r.again === 0 && r.queued === r.sample ? "" : " NOT IDEMPOTENT"),
  });
  failed ||= r.again !== 0 || r.queued !== r.sample;
}
if (want("memory")) {
  console.log("memory: heap growth over 100,000 evaluate requests (service path of the route) …");
  const r = await benchMemory({ requests: 100_000 });
  rows.push({
    bench: "heap growth, 100,000 evaluate requests",
    result: `${fmt(r.growthMb, 2)} MB (${fmt(r.heapBeforeMb)} → ${fmt(r.heapAfterMb)} MB)`,
    baseline: "target < 20 MB",
    ratio: `${r.validatorsCompiled} validators compiled`,
  });
  failed ||= r.growthMb >= 20 || r.validatorsCompiled > 0;
}
if (want("api")) {
  console.log("api: 1,000,000 employees in one tenant on PostgreSQL (seeded once into database ordo_bench) …");
  const r = await benchApi({ employees: 1_000_000, requests: 200 });
  rows.push({
    bench: "filtered, sorted page (HTTP, 1M employees)",
    result: `median ${fmt(r.pageHttp.median)} ms, p95 ${fmt(r.pageHttp.p95)} ms`,
    baseline: `same SQL direct: median ${fmt(r.pageSql.median)} ms`,
    ratio: `${fmt(r.pageHttp.median / r.pageSql.median, 2)}x`,
  });
  rows.push({
    bench: "q search (HTTP, 1M employees)",
    result: `median ${fmt(r.searchHttp.median)} ms, p95 ${fmt(r.searchHttp.p95)} ms`,
    baseline: "",
    ratio: "",
  });
}
if (want("reports")) {
  console.log("reports: 12 months of ledger for 100,000 employees on PostgreSQL (database ordo_bench_reports) …");
  const r = await benchReports({ employees: 100_000, requests: 20 });
  rows.push({
    bench: `cost per city by month (HTTP, ${(r.employees * r.months).toLocaleString()} ledger rows)`,
    result: `median ${fmt(r.grouped.median)} ms, p95 ${fmt(r.grouped.p95)} ms`,
    baseline: `same SQL direct: median ${fmt(r.direct.median)} ms`,
    ratio: `${fmt(r.grouped.median / r.direct.median, 2)}x`,
  });
  rows.push({
    bench: `monthly detail export, CSV (${r.fullExport.rows.toLocaleString()} rows)`,
    result: `${r.fullExport.rowsPerSecond.toLocaleString()} rows/s, ${r.memory} +${fmt(r.fullExport.peakGrowthMb)} MB`,
    baseline: `${r.sampleExport.rows.toLocaleString()} rows: peak +${fmt(r.sampleExport.peakGrowthMb)} MB`,
    ratio: `memory ${fmt(r.fullExport.peakGrowthMb / Math.max(r.sampleExport.peakGrowthMb, 1), 2)}x for 10x the rows`,
  });
  failed ||= r.grouped.p95 >= 1000;
}
if (want("login")) {
  console.log("login: /api/health alone and under a flood of 60 parallel logins …");
  const r = await benchLoginFlood({ parallel: 60, samples: 200 });
  for (const [name, flood] of [
    ["cheap requests (401s without a token: the reference)", r.cheap],
    ["logins, wrong passwords, one account", r.wrong],
    ["logins, right passwords (each needs scrypt)", r.right],
  ] as const) {
    rows.push({
      bench: `/api/health p95 under ${r.parallel} parallel ${name}`,
      result: `p95 ${fmt(flood.p95)} ms (${fmt(flood.requestsPerSecond)} requests/s)`,
      baseline: `alone: p95 ${fmt(r.alone.p95)} ms`,
      ratio: `${fmt(flood.p95 / r.alone.p95, 2)}x`,
    });
  }
}
if (want("import")) {
  console.log("import: /api/health while a 60,000-row policy-table CSV is imported (PGlite, then PostgreSQL) …");
  const r = await benchImportHealth({ rows: 60_000 });
  for (const x of r.results) {
    rows.push({
      bench: `/api/health during a ${r.rows.toLocaleString()}-row CSV import (${x.db}, ${fmt(x.seconds)} s)`,
      result: `p50 ${fmt(x.during.p50)} ms, p95 ${fmt(x.during.p95)} ms, max ${fmt(x.during.max)} ms (n ${x.during.n})`,
      baseline: `idle: p95 ${fmt(x.idle.p95)} ms, max ${fmt(x.idle.max)} ms; target p95 and max < 100 ms`,
      ratio: `${fmt(x.during.p95 / x.idle.p95, 2)}x`,
    });
    failed ||= x.during.p95 >= 100 || x.during.max >= 100;
  }
}
if (want("batches")) {
  console.log("batches: a 10,000-row XLSX of hires uploaded, previewed (dry run) and applied (PGlite) …");
  const { benchBatches } = await import("./batches");
  const r = await benchBatches({ rows: 10_000 });
  rows.push({
    bench: `batch upload, ${r.rows.toLocaleString()} rows (validate / preview / apply)`,
    result: `${fmt(r.validateS)} s / ${fmt(r.previewS)} s / ${fmt(r.applyS)} s = ${fmt(r.totalS)} s`,
    baseline:
      `one at a time (create + hire): ${fmt(r.oneByOneS * 1000)} ms a row ` +
      `= ${fmt(r.oneByOneS * r.rows)} s; target < 60 s`,
    ratio: `${fmt((r.oneByOneS * r.rows) / r.totalS, 1)}x faster; ${fmt(r.totalS / 60, 2)}x of target`,
  });
  failed ||= r.totalS >= 60 || r.applied !== r.rows;
}
console.table(rows);
if (failed) process.exitCode = 1;
