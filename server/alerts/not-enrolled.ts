/**
 * The monthly run's coverage check: an active employee (hired by the month's end, not gone before it
 * starts) with no enrollment for the month gets a `not_enrolled` alert instead of being skipped. One
 * open alert per employee: a month with one still open raises nothing new; an enrollment resolves it.
 */
import type { Knex } from "knex";
import { renderAlertMessage } from "../../domain/index";

type Row = Record<string, any>;

export async function notEnrolledAlerts(
  trx: Knex,
  tenantId: string,
  month: string,
  decisionId: string | null,
  unenrolled: Row[],
): Promise<Row[]> {
  const first = `${month}-01`;
  const candidates = unenrolled.filter(
    (e) =>
      e.status === "active" &&
      (!e.hire_date || String(e.hire_date).slice(0, 7) <= month) &&
      !(e.leave_date && String(e.leave_date) < first),
  );
  if (!candidates.length) return [];
  const open = new Set(
    (
      await trx("alerts")
        .where({ tenant_id: tenantId, type: "not_enrolled", resolved: false })
        .whereIn(
          "employee_id",
          candidates.map((e) => e.id),
        )
        .select("employee_id")
    ).map((r: Row) => r.employee_id as string),
  );
  return candidates
    .filter((e) => !open.has(e.id))
    .map((e) => {
      const params = { employeeName: e.name, employeeNo: e.employee_no, month, source: "monthly-run" };
      return {
        tenant_id: tenantId,
        type: "not_enrolled",
        severity: "warning",
        employee_id: e.id,
        due_date: null,
        message: renderAlertMessage("not_enrolled", params, "en", `${e.name} is not enrolled in ${month}`),
        data: JSON.stringify(params),
        dedupe_key: `not_enrolled:${e.id}:${month}`,
        decision_id: decisionId,
      };
    });
}
