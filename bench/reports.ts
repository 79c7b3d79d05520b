/**
 * Reports on PostgreSQL: 12 months of ledger for 100,000 employees (seeded once into database
 * ordo_bench_reports). Median and p95 of the cost-per-city-by-month report through HTTP against the same
 * statement run directly (the baseline), and the monthly detail export streamed through HTTP: rows per
 * second and peak memory, against an export of a tenth of the rows (memory must not grow with the rows).
 */
import { REFERENCE_CITY_CODES } from "../domain/index";
import { createApp } from "../server/app";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { openDatabase } from "../server/db/index";
import { seedDemo } from "../server/seed";
import { ReportService } from "../server/reports/service";
import { compileReport } from "../server/reports/compile";
import { fmt, timeMany } from "./stats";

const BENCH_DB = "ordo_bench_reports";
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);

export async function benchReports(opts: { url?: string; employees?: number; requests?: number } = {}) {
  const url = opts.url ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const target = opts.employees ?? 100_000;
  const admin = await openDatabase({ kind: "postgres", url, poolMax: 1 });
  const exists = await admin.knex.raw("SELECT 1 FROM pg_database WHERE datname = ?", [BENCH_DB]);
  if (!exists.rows.length) await admin.knex.raw(`CREATE DATABASE ${BENCH_DB}`);
  await admin.close();
  const u = new URL(url);
  u.pathname = `/${BENCH_DB}`;
  const database = await openDatabase({ kind: "postgres", url: u.toString(), poolMax: 10 });
  await database.migrate();
  const logger = createLogger("silent");
  const config = loadConfig({ DATABASE_URL: u.toString(), LOG_LEVEL: "silent" });
  await seedDemo(database.knex, logger, { adminEmail: config.adminEmail, adminPassword: config.adminPassword });
  const db = database.knex;
  const tenant = await db("tenants").where({ slug: "demo" }).first();
  const seeded = Number(
    (await db("contributions").where({ tenant_id: tenant.id }).whereLike("month", "2025-%").count({ n: "*" }))[0]!.n,
  );
  if (seeded < target * MONTHS.length) {
    const t0 = performance.now();
    await db("contributions").where({ tenant_id: tenant.id }).delete();
    await db("employees").where({ tenant_id: tenant.id }).whereLike("employee_no", "R%").delete();
    const units = await db("org_units").where({ tenant_id: tenant.id }).select("id", "city");
    const cities = REFERENCE_CITY_CODES;
    await db.raw(
      `INSERT INTO employees (tenant_id, employee_no, name, org_unit_id, insured_city, hire_date, monthly_wage,
         employment_type)
       SELECT ?, 'R' || lpad(i::text, 7, '0'), '员工' || i, (?::uuid[])[1 + (i % ?)::int],
         (?::text[])[1 + (i % ?)::int], date '2015-01-01', (4000 + (i * 104729 % 40000))::numeric(14,2), 'full_time'
       FROM generate_series(0::bigint, ?::bigint - 1) AS i`,
      [tenant.id, units.map((x) => x.id), units.length, cities, cities.length, target],
    );
    // Twelve months per employee; five insurance items each (the shape the monthly run writes).
    for (const month of MONTHS) {
      await db.raw(
        `INSERT INTO contributions (tenant_id, employee_id, month, city, base, employer, employee, items, status)
         SELECT e.tenant_id, e.id, ?, e.insured_city, e.monthly_wage,
           round(e.monthly_wage * 0.245, 2), round(e.monthly_wage * 0.105, 2),
           jsonb_build_array(
             jsonb_build_object('insurance', 'pension', 'base', e.monthly_wage,
               'employer', round(e.monthly_wage * 0.16, 2), 'employee', round(e.monthly_wage * 0.08, 2)),
             jsonb_build_object('insurance', 'medical', 'base', e.monthly_wage,
               'employer', round(e.monthly_wage * 0.07, 2), 'employee', round(e.monthly_wage * 0.02, 2)),
             jsonb_build_object('insurance', 'unemployment', 'base', e.monthly_wage,
               'employer', round(e.monthly_wage * 0.005, 2), 'employee', round(e.monthly_wage * 0.005, 2)),
             jsonb_build_object('insurance', 'work_injury', 'base', e.monthly_wage,
               'employer', round(e.monthly_wage * 0.004, 2), 'employee', 0),
             jsonb_build_object('insurance', 'maternity', 'base', e.monthly_wage,
               'employer', round(e.monthly_wage * 0.006, 2), 'employee', 0)),
           'paid'
         FROM employees e WHERE e.tenant_id = ? AND e.employee_no LIKE 'R%'`,
        [month, tenant.id],
      );
      process.stdout.write(`\r  seeded ledger through ${month}`);
    }
    await db.raw("VACUUM ANALYZE contributions");
    await db.raw("VACUUM ANALYZE employees");
    console.log(`\n  seeding took ${fmt((performance.now() - t0) / 1000)} s`);
  }

  const app = createApp({ config, database, logger });
  const server = await new Promise<import("node:http").Server>((r) => {
    const s = app.listen(0, "127.0.0.1", () => r(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api`;
  const login = await fetch(`${base}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: config.adminEmail, password: config.adminPassword }),
  });
  const headers = {
    authorization: `Bearer ${(await login.json()).token}`,
    "x-tenant": "demo",
    "content-type": "application/json",
  };
  const n = opts.requests ?? 20;
  const params = { from: "2025-01", through: "2025-12" };
  const grouped = await timeMany(
    n,
    async () => {
      const r = await fetch(`${base}/reports/cost-by-city-month/run`, {
        method: "POST",
        headers,
        body: JSON.stringify({ params }),
      });
      if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
      await r.json();
    },
    2,
  );
  // The baseline: the same compiled statement, run directly.
  const service = new ReportService();
  const spec = await service.specOf(db, tenant.id, "cost-by-city-month");
  const resolved = await service.resolve(db, tenant.id, spec);
  const direct = await timeMany(n, () => compileReport(db, tenant.id, resolved, params, "en").query, 2);

  /** Streams an export through HTTP, discarding it; answers rows/s and the peak RSS growth. */
  const exportRun = async (limitRows?: number) => {
    if (limitRows) {
      const detail = await service.specOf(db, tenant.id, "monthly-contribution-detail");
      await db("documents").where({ tenant_id: tenant.id, kind: "report", key: "bench-detail-sample" }).delete();
      await service.create(
        db,
        tenant.id,
        { key: "bench-detail-sample", name: "sample", ...detail, limit: limitRows },
        null as never,
      );
    }
    const key = limitRows ? "bench-detail-sample" : "monthly-contribution-detail";
    // Live memory: with --expose-gc (npm run bench) each sample collects first, so garbage not yet
    // collected does not count; without it, the resident set size.
    const gc = (globalThis as { gc?: () => void }).gc;
    const live = () => {
      if (!gc) return process.memoryUsage().rss;
      gc();
      return process.memoryUsage().heapUsed;
    };
    const rss0 = live();
    let peak = rss0;
    const timer = setInterval(() => {
      peak = Math.max(peak, live());
    }, 100);
    const t0 = performance.now();
    const r = await fetch(
      `${base}/reports/${key}/export?format=csv&params=${encodeURIComponent('{"month":"2025-06"}')}`,
      {
        headers,
      },
    );
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    let lines = 0;
    const reader = r.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const b of value) if (b === 10) lines++;
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    const rows = lines - 2;
    return { rows, seconds, rowsPerSecond: Math.round(rows / seconds), peakGrowthMb: (peak - rss0) / 2 ** 20 };
  };
  const fullExport = await exportRun();
  const sampleExport = await exportRun(Math.round(fullExport.rows / 10));
  server.close();
  await database.close();
  return {
    grouped,
    direct,
    fullExport,
    sampleExport,
    employees: target,
    months: MONTHS.length,
    memory: (globalThis as { gc?: unknown }).gc ? "live heap" : "RSS",
  };
}
