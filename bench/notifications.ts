/**
 * Notifications benchmark: N employees in one tenant of a fresh in-memory PGlite, all leaving, and the
 * gap notice (si-gap-options, the default pack) rendered and queued for a sample of them the way a
 * queue-reminder action does it (renderReminder over the employee's facts, including the back-payment
 * calculation, then one outbox insert per chunk). Baseline, measured in the same run: queuing the same
 * number of already-rendered rows (the outbox without rendering). Queuing 2,000 of them again must store
 * nothing (idempotency). Each chunk loads its employees' facts and the template once (ReminderFactsLoader),
 * as a monthly run's chunk does.
 *   npx tsx bench/notifications.ts [employees] [sample]
 */
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { openDatabase } from "../server/db/index";
import { seedDemo } from "../server/seed";
import { reminderNotifications } from "../server/notifications/trigger";
import { insertNotifications } from "../server/notifications/outbox";
import { ReminderFactsLoader } from "../server/reminders/facts";
import { fmt } from "./stats";

type Row = Record<string, any>;
const CHUNK = 200;
const AT = "2025-04-10";

export async function benchNotifications({
  employees = 100_000,
  sample = employees,
}: {
  employees?: number;
  sample?: number;
} = {}) {
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
  try {
    const tenant = await db("tenants").where({ slug: "demo" }).first();
    const units = await db("org_units").where({ tenant_id: tenant.id }).select("id", "city");
    await db("employees").where({ tenant_id: tenant.id }).delete();
    await db.raw(
      `INSERT INTO employees (tenant_id, employee_no, name, org_unit_id, insured_city, hire_date, leave_date, status,
         monthly_wage, employment_type, birth_date, gender, hukou_local)
       SELECT ?, 'N' || lpad(i::text, 7, '0'), '员工' || i, (?::uuid[])[1 + (i % ?)::int], (?::text[])[1 + (i % ?)::int],
         date '2015-01-01' + (i % 3000)::int, date '2025-04-30', 'active',
         (4000 + (i::bigint * 104729 % 40000))::numeric(14,2), 'full_time',
         date '1970-01-01' + (i::bigint * 31 % 11000)::int, CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END, i % 3 = 0
       FROM generate_series(1, ?) AS i`,
      [tenant.id, units.map((u: Row) => u.id), units.length, units.map((u: Row) => u.city), units.length, employees],
    );
    await db.raw(
      `INSERT INTO enrollments
         (tenant_id, employee_id, insured_city, insurances, base, from_date, to_date, status, reason)
       SELECT tenant_id, id, insured_city, '["pension","medical","unemployment","work_injury","maternity"]'::jsonb,
         monthly_wage, date '2024-01-01', date '2025-04-30', 'active', 'bench'
       FROM employees WHERE tenant_id = ?`,
      [tenant.id],
    );
    const step = Math.max(1, Math.floor(employees / sample));
    const ids: string[] = (
      await db("employees")
        .where({ tenant_id: tenant.id })
        .whereRaw("substring(employee_no from 2)::int % ? = 0", [step])
        .orderBy("employee_no")
        .limit(sample)
        .select("id")
    ).map((r: Row) => r.id);

    const queueAll = async (period: string, ids: string[]) => {
      let stored = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        stored += await db.transaction(async (trx) => {
          const rows: Row[] = [];
          const chunk = ids.slice(i, i + CHUNK);
          // As a monthly run's chunk does: the chunk's facts and the template are loaded once.
          const loader = new ReminderFactsLoader(trx, tenant.id, chunk);
          for (const employeeId of chunk) {
            const r = await reminderNotifications(
              trx,
              undefined,
              { tenantId: tenant.id, employeeId, at: AT, decisionId: null },
              { recipient: "employee", template: "si-gap-options", channel: "in-app", period, payload: {} },
              loader,
            );
            rows.push(...r.rows);
          }
          return (await insertNotifications(trx, rows)).length;
        });
      }
      return stored;
    };
    const t0 = performance.now();
    const queued = await queueAll("2025-05", ids);
    const seconds = (performance.now() - t0) / 1000;
    // The same reminders again (a repeated run), over the first 2,000: nothing may be stored twice.
    const again = await queueAll("2025-05", ids.slice(0, 2000));

    // Baseline: the same rows, already rendered, queued under another period (insert only).
    const rendered: Row[] = await db("notifications").where({ tenant_id: tenant.id, period: "2025-05" });
    const t1 = performance.now();
    for (let i = 0; i < rendered.length; i += CHUNK) {
      const rows = rendered.slice(i, i + CHUNK).map(({ id: _id, created_at: _c, updated_at: _u, ...r }) => ({
        ...r,
        facts: JSON.stringify(r.facts),
        period: "baseline",
        idempotency_key: `${r.idempotency_key}|baseline`,
      }));
      await db.transaction((trx) => insertNotifications(trx, rows));
    }
    const baselineSeconds = (performance.now() - t1) / 1000;
    // Cities with a back-payment window state the amount (the others say back-payment is not possible).
    const amounts = rendered.filter((r) => /共计¥[\d,]+\.\d{2}/.test(r.body)).length;
    return {
      employees,
      sample: ids.length,
      queued,
      again,
      seconds,
      perSecond: Math.round(ids.length / seconds),
      baselinePerSecond: Math.round(rendered.length / baselineSeconds),
      projected100k: 100_000 / (ids.length / seconds),
      amounts,
    };
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchNotifications({
    employees: Number(process.argv[2] ?? 100_000),
    sample: Number(process.argv[3] ?? process.argv[2] ?? 100_000),
  });
  console.log(
    `notifications: ${r.sample.toLocaleString()} of ${r.employees.toLocaleString()} employees rendered and queued ` +
      `in ${fmt(r.seconds)} s = ${r.perSecond.toLocaleString()}/s ` +
      `(baseline insert-only ${r.baselinePerSecond.toLocaleString()}/s); ` +
      `100,000 would take ${fmt(r.projected100k)} s; queued again: ${r.again}; notices stating an amount: ${r.amounts}`,
  );
}
