/**
 * A PostgreSQL database of a test's own, migrated and seeded, for the queue tests that need several Ordo
 * servers on one database. It runs in both passes of the suite: DATABASE_URL's server in the postgres pass,
 * ORDO_TEST_POSTGRES_URL's (.ci/run sets it; default postgres://postgres@127.0.0.1:5432/postgres) in the
 * PGlite pass. An unreachable PostgreSQL fails these tests; they are never skipped.
 */
import { openDatabase, type Database } from "../../server/db/index";
import { scratchPostgres } from "../../server/db/testing";
import { installQueue } from "../../server/jobs/queue";
import { createLogger } from "../../server/logger";
import { seedDemo } from "../../server/seed";
import { TEST_ADMIN } from "./constants";

export const POSTGRES_ADMIN_URL = process.env.DATABASE_URL?.startsWith("postgres")
  ? process.env.DATABASE_URL
  : (process.env.ORDO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");

export async function seededPostgres(opts: { extraEmployees?: number } = {}) {
  const scratch = await scratchPostgres(POSTGRES_ADMIN_URL, "ordo_queue");
  const database = await openDatabase({ kind: "postgres", url: scratch.url, poolMax: 2 });
  const logger = createLogger("silent");
  try {
    await database.migrate();
    await seedDemo(database.knex, logger, {
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
      employees: 30,
    });
    await addEmployees(database, opts.extraEmployees ?? 0);
    await installQueue(database.knex, logger, ["monthly-run"]);
  } finally {
    await database.close();
  }
  return scratch;
}

/** More employees in the demo tenant (as bench/monthly-run.ts) and everyone of both tenants enrolled. */
async function addEmployees(database: Database, n: number) {
  const db = database.knex;
  const demo = await db("tenants").where({ slug: "demo" }).first();
  const units = await db("org_units").where({ tenant_id: demo.id }).select("id", "city");
  if (n > 0)
    await db.raw(
      `INSERT INTO employees (tenant_id, employee_no, name, org_unit_id, insured_city, hire_date, status,
         monthly_wage, employment_type, birth_date, gender, hukou_local)
       SELECT ?, 'Q' || lpad(i::text, 7, '0'), '员工' || i, (?::uuid[])[1 + (i % ?)::int],
         (?::text[])[1 + (i % ?)::int], date '2015-01-01' + (i % 3000)::int, 'active',
         (4000 + (i::bigint * 104729 % 40000))::numeric(14,2), 'full_time', date '1970-01-01' + (i * 31 % 11000),
         CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END, i % 3 = 0
       FROM generate_series(1, ?) AS i`,
      [
        demo.id,
        units.map((u: Record<string, string>) => u.id),
        units.length,
        units.map((u: Record<string, string>) => u.city),
        units.length,
        n,
      ],
    );
  await db.raw(
    `INSERT INTO enrollments (tenant_id, employee_id, insured_city, insurances, base, from_date, status, reason)
     SELECT e.tenant_id, e.id, e.insured_city, '["pension","medical","unemployment","work_injury","maternity"]'::jsonb,
       e.monthly_wage, date '2024-01-01', 'active', 'queue test'
     FROM employees e
     WHERE NOT EXISTS (SELECT 1 FROM enrollments x WHERE x.tenant_id = e.tenant_id AND x.employee_id = e.id)`,
  );
}
