/**
 * Does a large import hold other requests? `/api/health` latency (p50, p95, max) while a 60,000-row
 * policy-table CSV (about 3.5 MB; a 10 MB jsonb draft) is imported, against the same probe on an idle
 * server just before (the baseline). Target: p95 and max under 100 ms. The probe runs in a worker
 * thread, so its clock does not depend on the server's event loop. PGlite, and PostgreSQL when
 * `BENCH_DATABASE_URL` (or the default local server) answers.
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import knex from "knex";
import { openDatabase, type Database } from "../server/db/index";
import { startBenchServer } from "./server";
import { percentile } from "./stats";

const PROBE = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let running = true;
parentPort.on("message", () => { running = false; });
const once = () => new Promise((resolve, reject) => {
  const req = http.get({ host: "127.0.0.1", port: workerData.port, path: "/api/health", agent }, (res) => {
    res.resume();
    res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error("health " + res.statusCode))));
  });
  req.on("error", reject);
});
(async () => {
  const ms = [];
  parentPort.postMessage({ started: true });
  while (running) {
    const t0 = performance.now();
    await once().catch(once);
    ms.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 5));
  }
  agent.destroy();
  parentPort.postMessage({ ms });
})();
`;

export type Latency = { p50: number; p95: number; max: number; n: number };

/** Probes /api/health from a worker thread while `work` runs. */
async function healthDuring(port: number, work: () => Promise<unknown>): Promise<Latency> {
  const worker = new Worker(PROBE, { eval: true, workerData: { port } });
  await new Promise((r) => worker.once("message", r));
  try {
    await work();
  } finally {
    worker.postMessage("stop");
  }
  const { ms } = await new Promise<{ ms: number[] }>((r) => worker.once("message", r));
  await worker.terminate();
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms.at(-1)!, n: ms.length };
}

export function bigTableCsv(rows: number): string {
  const lines = ["city,band,amount,rate,effectiveFrom,effectiveTo,source,confidence,note"];
  for (let i = 0; i < rows; i++)
    lines.push(`${110000 + (i % 50)},${1 + Math.floor(i / 50)},${1000 + i}.50,0.${i % 100},2024-01-01,,import,H,`);
  return `${lines.join("\n")}\n`;
}

async function importOn(database: Database | undefined, rows: number) {
  const server = await startBenchServer(10, { env: { ORDO_BODY_LIMIT: "20mb" }, database });
  const base = `http://127.0.0.1:${server.port}/api`;
  const call = async (path: string, body: string, type = "application/json", token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": type, ...(token ? { authorization: `Bearer ${token}`, "x-tenant": "demo" } : {}) },
      body,
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return res.json();
  };
  const { config } = server;
  const { token } = await call(
    "/auth/login",
    JSON.stringify({ email: config.adminEmail, password: config.adminPassword }),
  );
  const table = {
    name: "Bench import",
    keyColumns: { city: { type: "string", pattern: "^\\d{6}$" }, band: { type: "integer", minimum: 1 } },
    valueColumns: { amount: { type: "string", pattern: "^\\d+(\\.\\d+)?$" }, rate: { type: "number" } },
    rows: [],
  };
  await call("/policy-tables", JSON.stringify({ key: "bench-warm", ...table }), undefined, token);
  await call("/policy-tables", JSON.stringify({ key: "bench-big", ...table }), undefined, token);
  const csv = bigTableCsv(rows);
  await call("/policy-tables/bench-warm/import", bigTableCsv(500), "text/csv", token); // warm-up
  const idle = await healthDuring(server.port, () => new Promise((r) => setTimeout(r, 1000)));
  let imported = 0;
  let seconds = 0;
  const during = await healthDuring(server.port, async () => {
    const t0 = performance.now();
    imported = ((await call("/policy-tables/bench-big/import", csv, "text/csv", token)) as { imported: number })
      .imported;
    seconds = (performance.now() - t0) / 1000;
  });
  await server.close();
  if (imported !== rows) throw new Error(`imported ${imported} rows, expected ${rows}`);
  return { idle, during, seconds };
}

/** A throw-away PostgreSQL database for the bench, or undefined when no server answers. */
async function postgres(url: string): Promise<{ database: Database; drop(): Promise<void> } | undefined> {
  const name = `ordo_bench_import_${process.pid}`;
  const admin = knex({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } catch {
    await admin.destroy();
    return undefined;
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: u.toString() });
  return {
    database,
    async drop() {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

export async function benchImportHealth(opts: { rows?: number; url?: string } = {}) {
  const rows = opts.rows ?? 60_000;
  const url = opts.url ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const out: { db: string; idle: Latency; during: Latency; seconds: number }[] = [];
  out.push({ db: "PGlite", ...(await importOn(undefined, rows)) });
  const pg = await postgres(url);
  if (pg) {
    try {
      out.push({ db: "PostgreSQL", ...(await importOn(pg.database, rows)) });
    } finally {
      await pg.drop();
    }
  }
  return { rows, results: out };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchImportHealth().then((r) => console.dir(r, { depth: 4 }));
}
