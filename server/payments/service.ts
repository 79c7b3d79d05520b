/**
 * Payments: ledger rows marked paid one by one, in bulk, or from the bureau's payment file. Every way ends
 * in `payRows`, which stores the day paid and the employer's Art. 86 late fee and resolves the month's
 * `not_received` alert, in the caller's transaction.
 *
 * Late fee (滞纳金, Social Insurance Law Art. 86): from the day after the city's payment deadline
 * (si-city-settings.paymentDeadlineDay of the month) to the day paid, 0.05% a day of the arrears. The
 * arrears are the month's whole contribution (employer and withheld employee shares: the employer owes
 * both to the bureau), as in the back-payment calculation; the fee is the employer's alone.
 */
import type { Knex } from "knex";
import { appendAudit } from "../audit/log";
import { calculateLateFee, dayOfMonth, firstDay, PolicyDecimal, type PolicySet } from "../../policies/index";
import { fail } from "../errors";
import { isUuid } from "../http/formats";
import { loadPolicySet } from "../policy-tables/policy-set";

type Row = Record<string, any>;
export type PaymentSource = "single" | "bulk" | "import";
const CHUNK = 1000;

export interface Payment {
  paidOn: string;
  note?: string;
  source: PaymentSource;
  importId?: string;
}

/** Today in China (UTC+8), where the bureau is: a payment made this morning there is not "in the future". */
export const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function checkPaidOn(paidOn: string, field = "paidOn"): void {
  if (paidOn > todayInChina())
    throw fail(
      "PAID_ON_IN_FUTURE",
      { field, paidOn },
      { details: { field }, errors: { [field.replace(/^\//, "")]: "is in the future" } },
    );
}

export interface LateFee {
  deadline: string | null;
  daysLate: number | null;
  lateFee: string | null;
}

/** The late fee of a month paid on `paidOn`; nulls when the city has no payment deadline in policy. */
export function lateFeeOf(
  policy: PolicySet,
  row: { city: string; month: string; employer: string; employee: string },
  paidOn: string,
): LateFee {
  const settings = policy.lookup("si-city-settings", { city: row.city }, firstDay(row.month));
  const day = settings?.values.paymentDeadlineDay;
  if (typeof day !== "number") return { deadline: null, daysLate: null, lateFee: null };
  const deadline = dayOfMonth(row.month, day);
  const arrears = new PolicyDecimal(row.employer).plus(row.employee).toFixed(2);
  const fee = calculateLateFee(
    arrears,
    deadline,
    paidOn,
    (settings!.values.lateFeeDailyRate as string | undefined) ?? "0.05",
    (settings!.values.rounding as string | undefined) ?? "HALF_UP",
  );
  return { deadline, daysLate: fee.days, lateFee: fee.fee };
}

/**
 * Marks unpaid ledger rows paid (rows already paid are left as they are) and resolves their months'
 * not_received alerts. `rows` need id, employee_id, month, city, employer and employee; each may carry
 * its own `paid_on` (a payment file's column), else `payment.paidOn` is used.
 */
export async function payRows(
  trx: Knex.Transaction,
  tenantId: string,
  policy: PolicySet,
  rows: Row[],
  payment: Payment,
): Promise<{ paid: Row[]; lateFee: string; alertsResolved: number }> {
  const paid: Row[] = [];
  let alertsResolved = 0;
  let total = new PolicyDecimal(0);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => {
      const paidOn = (r.paid_on as string | undefined) ?? payment.paidOn;
      const fee = lateFeeOf(policy, r as never, paidOn);
      return { id: r.id, paid_on: paidOn, late_fee: fee.lateFee, days_late: fee.daysLate };
    });
    const updated: Row[] = (
      await trx.raw(
        `UPDATE contributions c SET status = 'paid', paid_on = p.paid_on, paid_at = now(), late_fee = p.late_fee,
           days_late = p.days_late, payment_note = ?, payment_source = ?, payment_import_id = ?, updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS p(id uuid, paid_on date, late_fee numeric, days_late integer)
         WHERE c.tenant_id = ? AND c.id = p.id AND c.status <> 'paid'
         RETURNING c.id, c.employee_id, c.month, c.paid_on::text AS paid_on, c.late_fee::text AS late_fee,
           c.days_late`,
        [payment.note ?? null, payment.source, payment.importId ?? null, JSON.stringify(values), tenantId],
      )
    ).rows;
    for (const u of updated) if (u.late_fee !== null) total = total.plus(u.late_fee);
    // Each paid month's audit entry, in the payment's transaction.
    const prior = new Map(rows.map((r) => [r.id as string, r]));
    await appendAudit(
      trx,
      tenantId,
      updated.map((u) => ({
        resource: "contributions",
        resourceId: u.id as string,
        operation: "pay",
        before: { status: prior.get(u.id)?.status ?? null, paidOn: null, lateFee: null },
        after: {
          status: "paid",
          paidOn: u.paid_on,
          lateFee: u.late_fee,
          daysLate: u.days_late,
          source: payment.source,
          importId: payment.importId ?? null,
        },
      })),
    );
    alertsResolved += await resolveNotReceived(trx, tenantId, updated);
    paid.push(...updated);
  }
  return { paid, lateFee: total.toFixed(2), alertsResolved };
}

/**
 * Resolves the open not_received alerts of paid months. An alert names its month in `data.month` (the
 * monthly run writes it); alerts raised before that are found by the shipped pack's dedupe key.
 */
export async function resolveNotReceived(
  trx: Knex.Transaction | Knex,
  tenantId: string,
  /** employee_id, month and paid_on of each paid row. */
  paid: Row[],
): Promise<number> {
  if (!paid.length) return 0;
  const pairs = paid.map((p) => ({
    employee_id: p.employee_id,
    month: p.month,
    note: `paid on ${p.paid_on} (已于 ${p.paid_on} 缴纳)`,
  }));
  // Resolved by Ordo (no user: resolved_by stays null), with the alert's history row, as resolveAlerts does.
  const res = await trx.raw(
    `UPDATE alerts a SET resolved = true, resolved_at = now(), resolved_by = NULL, resolution = 'auto',
       snoozed_until = NULL, updated_at = now()
     FROM jsonb_to_recordset(?::jsonb) AS p(employee_id uuid, month text, note text), employees e
     WHERE a.tenant_id = ? AND a.type = 'not_received' AND NOT a.resolved AND a.employee_id = p.employee_id
       AND e.tenant_id = a.tenant_id AND e.id = a.employee_id
       AND (coalesce(a.data->>'previousMonth', a.data->>'month') = p.month
         OR a.dedupe_key = 'not_received:' || e.employee_no || ':' || p.month)
     RETURNING a.id, p.note`,
    [JSON.stringify(pairs), tenantId],
  );
  const rows = res.rows as { id: string; note: string }[];
  if (rows.length)
    await trx("alert_events").insert(
      rows.map((r) => ({
        tenant_id: tenantId,
        alert_id: r.id,
        action: "auto_resolved",
        note: r.note,
        data: JSON.stringify({ reason: "paid" }),
      })),
    );
  return rows.length;
}

/**
 * For the monthly run: not_received alerts just raised for `month` whose ledger row is paid after all (a
 * payment committed while the run was reading) are resolved at once, so a paid month never stays flagged.
 */
export async function resolveRaisedForPaid(
  trx: Knex.Transaction,
  tenantId: string,
  employeeIds: string[],
  month: string,
): Promise<number> {
  if (!employeeIds.length) return 0;
  const paid = await trx("contributions")
    .where({ tenant_id: tenantId, month, status: "paid" })
    .whereIn("employee_id", employeeIds)
    .select("employee_id", "month", trx.raw("paid_on::text AS paid_on"));
  return resolveNotReceived(
    trx,
    tenantId,
    paid.map((p: Row) => ({ ...p, paid_on: p.paid_on ?? month })),
  );
}

const notFound = (id: string) =>
  fail("NOT_FOUND", { resource: "contributions", id }, { details: { resource: "contributions", id } });

const PAY_COLUMNS = ["id", "employee_id", "month", "city", "employer", "employee", "status", "paid_on"];

/** POST /contributions/:id/pay. Paying a paid row again on the same day changes nothing; another day is 409. */
export async function payOne(
  db: Knex,
  tenantId: string,
  id: string,
  body: { paidOn: string; note?: string },
): Promise<void> {
  checkPaidOn(body.paidOn);
  if (!isUuid(id)) throw notFound(id);
  const policy = await loadPolicySet(db, tenantId);
  await db.transaction(async (trx) => {
    const row = await trx("contributions").where({ tenant_id: tenantId, id }).forUpdate().first(PAY_COLUMNS);
    if (!row) throw notFound(id);
    if (row.status === "paid") {
      if (row.paid_on === body.paidOn) return;
      throw fail(
        "ALREADY_PAID",
        { month: row.month, paidOn: row.paid_on ?? "?" },
        { details: { id, paidOn: row.paid_on } },
      );
    }
    await payRows(trx, tenantId, policy, [row], { paidOn: body.paidOn, note: body.note, source: "single" });
  });
}

export interface BulkPay {
  ids?: string[];
  filter?: { month: string; city?: string };
  paidOn: string;
  note?: string;
}

/** POST /contributions/pay: by ids (all of this tenant, else 404 and nothing paid) or every unpaid row of a month. */
export async function payMany(db: Knex, tenantId: string, body: BulkPay) {
  if ((body.ids === undefined) === (body.filter === undefined))
    throw fail(
      "INVALID_BODY",
      { pointer: "/ids", problem: "send either ids or filter" },
      { details: { errors: { ids: "send either ids or filter" } }, errors: { ids: "send either ids or filter" } },
    );
  checkPaidOn(body.paidOn);
  const policy = await loadPolicySet(db, tenantId);
  return db.transaction(async (trx) => {
    let rows: Row[];
    if (body.ids) {
      const ids = [...new Set(body.ids)];
      rows = [];
      for (let i = 0; i < ids.length; i += CHUNK)
        rows.push(
          ...(await trx("contributions")
            .where({ tenant_id: tenantId })
            .whereIn("id", ids.slice(i, i + CHUNK))
            .forUpdate()
            .select(PAY_COLUMNS)),
        );
      const found = new Set(rows.map((r) => r.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length)
        throw fail(
          "NOT_FOUND",
          { resource: "contributions", id: missing[0]! },
          { details: { resource: "contributions", missing: missing.slice(0, 100) } },
        );
    } else {
      const q = trx("contributions").where({ tenant_id: tenantId, month: body.filter!.month });
      if (body.filter!.city) q.andWhere({ city: body.filter!.city });
      rows = await q.whereIn("status", ["due", "not_received"]).forUpdate().select(PAY_COLUMNS);
    }
    const unpaid = rows.filter((r) => r.status !== "paid");
    const out = await payRows(trx, tenantId, policy, unpaid, {
      paidOn: body.paidOn,
      note: body.note,
      source: "bulk",
    });
    return {
      paid: out.paid.length,
      alreadyPaid: rows.length - unpaid.length,
      lateFee: out.lateFee,
      alertsResolved: out.alertsResolved,
      ids: out.paid.map((r) => r.id),
    };
  });
}
