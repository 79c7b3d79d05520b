/**
 * API benchmark on PostgreSQL: 1,000,000 employees in one tenant; median and p95 latency of a filtered,
 * sorted page and of a `q` search through HTTP, against the same SQL run directly (the baseline).
 */
import { REFERENCE_CITY_CODES } from "../domain/index";
import { createApp } from "../server/app";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { openDatabase } from "../server/db/index";
import { seedDemo } from "../server/seed";
import { fmt, timeMany } from "./stats";

const BENCH_DB = "ordo_bench";

export async function benchApi(opts: { url?: string; employees?: number; requests?: number } = {}) {
  const url = opts.url ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const target = opts.employees ?? 1_000_000;
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
  const have = Number((await db("employees").where({ tenant_id: tenant.id }).count({ n: "*" }))[0]!.n);
  if (have < target) {
    const t0 = performance.now();
    const units = (await db("org_units").where({ tenant_id: tenant.id }).select("id", "city")).map(
      (r: { id: string; city: string }) => r,
    );
    const chunk = 100_000;
    for (let start = have; start < target; start += chunk) {
      const end = Math.min(target, start + chunk);
      await db.raw(
        `INSERT INTO employees (tenant_id, employee_no, name, org_unit_id, insured_city, hire_date, monthly_wage,
           employment_type, birth_date, gender, hukou_local)
         SELECT ?, 'B' || lpad(i::text, 7, '0'),
           (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + (i % 10)::int]
             || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰'])[1 + ((i / 10) % 13)::int]
             || (ARRAY['','明','华','平','红','峰','林'])[1 + ((i / 130) % 7)::int],
           (?::uuid[])[1 + (i % ?)::int], (?::text[])[1 + (i % ?)::int],
           date '2010-01-01' + (i * 7919 % 5000)::int, (3000 + (i * 104729 % 50000))::numeric(14,2),
           (ARRAY['full_time','full_time','seasonal','temporary','remote'])[1 + (i % 5)::int],
           date '1965-01-01' + (i * 31 % 13000)::int, CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END, i % 3 = 0
         FROM generate_series(?::bigint, ?::bigint) AS i`,
        [tenant.id, units.map((x) => x.id), units.length, units.map((x) => x.city), units.length, start, end - 1],
      );
      process.stdout.write(`\r  seeded ${end.toLocaleString()} employees`);
    }
    await db.raw("VACUUM ANALYZE employees");
    console.log(`\n  seeding took ${fmt((performance.now() - t0) / 1000)} s`);
  }

  const unvacuumed = await db.raw(
    "SELECT n_dead_tup + n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relname = 'employees'",
  );
  if (Number(unvacuumed.rows[0]?.n ?? 0) > 0) await db.raw("VACUUM ANALYZE employees");
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
  const headers = { authorization: `Bearer ${(await login.json()).token}`, "x-tenant": "demo" };
  const n = opts.requests ?? 200;
  const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));
  const cities = REFERENCE_CITY_CODES;
  const get = async (qs: string) => {
    const r = await fetch(`${base}/employees?${qs}`, { headers });
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    await r.json();
    return r.headers.get("content-range");
  };
  // The HR list screen: employees insured in a city, hired since a date, newest first, paging through.
  const page = (i: number) =>
    `sort=${enc(["hireDate", "DESC"])}&range=${enc([(i % 20) * 25, (i % 20) * 25 + 24])}` +
    `&filter=${enc({ insuredCity: cities[i % 6], hireDate_gte: "2019-01-01" })}`;
  const search = (i: number) =>
    `sort=${enc(["name", "ASC"])}&range=[0,24]&filter=${enc({ q: ["张伟明", "b00123", "李娜", "王强华"][i % 4] })}`;
  console.log(
    `  ${target.toLocaleString()} employees; sample filtered page: ${await get(page(0))}; ` +
      `sample q: ${await get(search(0))}`,
  );
  const pageHttp = await timeMany(n, (i) => get(page(i)));
  const searchHttp = await timeMany(n, (i) => get(search(i)));
  // Baseline: the same page + count SQL straight through the driver, no HTTP, no validation.
  const sqlPage = (i: number) =>
    Promise.all([
      db.raw(
        `SELECT * FROM employees WHERE tenant_id = ? AND insured_city = ? AND hire_date >= '2019-01-01'
         ORDER BY hire_date DESC, id DESC OFFSET ? LIMIT 25`,
        [tenant.id, cities[i % 6], (i % 20) * 25],
      ),
      db.raw(
        `SELECT count(*) FROM (
           SELECT 1 FROM employees WHERE tenant_id = ? AND insured_city = ? AND hire_date >= '2019-01-01' LIMIT 10001
         ) c`,
        [tenant.id, cities[i % 6]],
      ),
    ]);
  const pageSql = await timeMany(n, sqlPage);
  server.close();
  await database.close();
  return { employees: target, pageHttp, searchHttp, pageSql };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchApi();
  console.table({
    "filtered sorted page (HTTP)": r.pageHttp,
    "q search (HTTP)": r.searchHttp,
    "same page, raw SQL (baseline)": r.pageSql,
  });
}
