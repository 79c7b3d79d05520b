/**
 * Monthly-run benchmark: N employees in one tenant of a fresh in-memory PGlite (six cities, all
 * enrolled; some left without de-enrollment and some with a base below the wage, so alerts are
 * written too), then POST /api/monthly-runs?wait=true for one month through HTTP.
 *   npx tsx bench/monthly-run.ts [employees]
 */
import { createApp } from "../server/app";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { openDatabase } from "../server/db/index";
import { seedDemo } from "../server/seed";
import { fmt } from "./stats";

export async function benchMonthlyRun({ employees = 100_000, month = "2025-03", at = "2025-03-20" } = {}) {
  const database = await openDatabase({ kind: "pglite" });
  await database.migrate();
  const logger = createLogger("silent");
  const config = loadConfig({ DATABASE_URL: "memory", LOG_LEVEL: "silent" });
  await seedDemo(database.knex, logger, {
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
    employees: 1,
  });
  const db = database.knex;
  const tenant = await db("tenants").where({ slug: "demo" }).first();
  const units = await db("org_units").where({ tenant_id: tenant.id }).select("id", "city");
  await db("employees").where({ tenant_id: tenant.id }).delete();
  await db.raw(
    `INSERT INTO employees (tenant_id, employee_no, name, org_unit_id, insured_city, hire_date, leave_date, status,
       monthly_wage, employment_type, birth_date, gender, hukou_local)
     SELECT ?, 'M' || lpad(i::text, 7, '0'), '员工' || i, (?::uuid[])[1 + (i % ?)::int], (?::text[])[1 + (i % ?)::int],
       date '2015-01-01' + (i % 3000)::int, CASE WHEN i % 100 = 0 THEN date '2025-01-31' END,
       CASE WHEN i % 100 = 0 THEN 'left' ELSE 'active' END,
       (4000 + (i::bigint * 104729 % 40000))::numeric(14,2), 'full_time',
       date '1970-01-01' + (i::bigint * 31 % 11000)::int,
       CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END, i % 3 = 0
     FROM generate_series(1, ?) AS i`,
    [
      tenant.id,
      units.map((u: { id: string }) => u.id),
      units.length,
      units.map((u: { city: string }) => u.city),
      units.length,
      employees,
    ],
  );
  // Everyone enrolled since 2024; every 20th declared at 80% of the wage (错缴).
  await db.raw(
    `INSERT INTO enrollments (tenant_id, employee_id, insured_city, insurances, base, from_date, status, reason)
     SELECT tenant_id, id, insured_city, '["pension","medical","unemployment","work_injury","maternity"]'::jsonb,
       CASE WHEN right(employee_no, 2)::int % 20 = 0 THEN round(monthly_wage * 0.8, 2) ELSE monthly_wage END,
       date '2024-01-01', 'active', 'bench'
     FROM employees WHERE tenant_id = ?`,
    [tenant.id],
  );
  const app = createApp({ config, database, logger });
  const server = await new Promise<import("node:http").Server>((r) => {
    const s = app.listen(0, "127.0.0.1", () => r(s));
  });
  try {
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
    const t0 = performance.now();
    const res = await fetch(`${base}/monthly-runs?wait=true`, {
      method: "POST",
      headers,
      body: JSON.stringify({ month, at }),
    });
    const seconds = (performance.now() - t0) / 1000;
    const job = await res.json();
    if (job.status !== "done") throw new Error(`monthly run ${job.status}: ${job.error ?? JSON.stringify(job)}`);
    const ledger = Number((await db("contributions").where({ tenant_id: tenant.id, month }).count({ n: "*" }))[0]!.n);
    return {
      employees,
      seconds,
      perSecond: Math.round(employees / seconds),
      ledger,
      alerts: job.result.alerts as number,
      byType: job.result.byType as Record<string, number>,
    };
  } finally {
    await new Promise((r) => server.close(r));
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 100_000);
  const r = await benchMonthlyRun({ employees: n });
  console.log(
    `monthly run: ${r.employees.toLocaleString()} employees in ${fmt(r.seconds)} s ` +
      `(${r.perSecond.toLocaleString()}/s); ${r.ledger.toLocaleString()} ledger rows, ` +
      `${r.alerts.toLocaleString()} alerts ${JSON.stringify(r.byType)}`,
  );
}
