/** Self-service summary for an employee, and the HR dashboard (sums in SQL). */
import type { Knex } from "knex";
import {
  analyzeContinuity,
  calculateBackPayment,
  monthOf,
  addMonths,
  simulatePension,
  type PolicySet,
} from "../../policies/index";
import { fail } from "../errors";
import { viewCondition } from "../alerts/service";
import { employeeState } from "./service";
import { retirementCategoryOf } from "../../domain/index";

type Row = Record<string, any>;

/** Runs a policy calculation; a missing policy row or input answers the reason instead of failing the page. */
function attempt<T>(fn: () => T): T | { error: { code: string; message: string } } {
  try {
    return fn();
  } catch (e) {
    return { error: { code: (e as { code?: string }).code ?? "ERROR", message: (e as Error).message } };
  }
}

export async function mySummary(
  db: Knex,
  policy: PolicySet,
  tenantId: string,
  employeeId: string | null,
  opts: { at?: string; asOf?: string },
) {
  if (!employeeId) throw fail("NO_EMPLOYEE", {}, { message: "This account is not linked to an employee" });
  const employee = await db("employees").where({ tenant_id: tenantId, id: employeeId }).first();
  if (!employee)
    throw fail(
      "NOT_FOUND",
      { resource: "Employees", id: employeeId },
      { message: "Your employee record was not found" },
    );
  const at = opts.at ?? new Date().toISOString().slice(0, 10);
  const state = await employeeState(db, tenantId, employeeId);
  const counted = (state.contributions as Row[]).filter((c) => c.status !== "not_received");
  const asOf = opts.asOf ?? addMonths(monthOf(at), -1);
  const continuity = analyzeContinuity(
    counted.map((c) => ({ month: c.month, backPaid: c.backPaid })),
    { asOf },
  );
  const continuityExcludingBackPaid = analyzeContinuity(
    counted.map((c) => ({ month: c.month, backPaid: c.backPaid })),
    { asOf, excludeBackPaid: true },
  );
  const gapMonths = continuity.gaps.flatMap((g) => {
    const out: string[] = [];
    for (let m = g.from; m <= g.to; m = addMonths(m, 1)) out.push(m);
    return out;
  });
  const lastBase = counted.length ? counted[counted.length - 1].base : employee.monthly_wage;
  const city = counted.length ? counted[counted.length - 1].city : employee.insured_city;
  const window = policy.has("si-city-settings")
    ? ((policy.lookup("si-city-settings", { city }, at)?.values.backPaymentWindowMonths as number | undefined) ?? 0)
    : 0;
  const backPayment = gapMonths.length
    ? {
        months: gapMonths,
        windowMonths: window,
        estimate: attempt(() =>
          calculateBackPayment(policy, {
            city,
            months: gapMonths,
            wage: lastBase,
            paymentDate: at,
            hukouLocal: employee.hukou_local,
          }),
        ),
      }
    : null;
  const { category: cat, assumed } = retirementCategoryOf(employee.gender, employee.post);
  const simulated =
    employee.birth_date && cat
      ? attempt(() =>
          simulatePension(policy, {
            city,
            birthDate: employee.birth_date,
            category: cat,
            history: counted.map((c) => ({ month: c.month, base: c.base })),
            assumptions: { startMonth: monthOf(at), currentBase: employee.monthly_wage, annualGrowth: "3" },
          }),
        )
      : { error: { code: "INCOMPLETE_PROFILE", message: "birth date and gender are needed to simulate the pension" } };
  const pension = "error" in simulated ? simulated : { ...simulated, retirementAssumption: assumed };
  const { decision: _, ...records } = state;
  return {
    employee: {
      id: employee.id,
      employeeNo: employee.employee_no,
      name: employee.name,
      insuredCity: employee.insured_city,
      hireDate: employee.hire_date,
      leaveDate: employee.leave_date,
      monthlyWage: employee.monthly_wage,
      status: employee.status,
    },
    ...records,
    continuity: {
      asOf,
      cumulativeMonths: continuity.cumulativeMonths,
      continuousMonths: continuity.continuousMonths,
      continuousMonthsExcludingBackPaid: continuityExcludingBackPaid.continuousMonths,
      backPaidMonths: continuity.backPaidMonths,
      gaps: continuity.gaps,
    },
    backPayment,
    pension,
  };
}

export async function dashboard(db: Knex, tenantId: string, q: { from?: string; to?: string }) {
  const months = (qb: Knex.QueryBuilder) => {
    if (q.from) qb.andWhere("month", ">=", q.from);
    if (q.to) qb.andWhere("month", "<=", q.to);
    return qb;
  };
  const [alertsByType, byMonth, byCity] = await Promise.all([
    db("alerts")
      .where({ tenant_id: tenantId })
      .modify(viewCondition("open"))
      .groupBy("type")
      .select("type", db.raw("count(*)::int AS count"))
      .orderBy([{ column: "count", order: "desc" }, { column: "type" }]),
    months(db("contributions").where({ tenant_id: tenantId }))
      .groupBy("month")
      .orderBy("month")
      .select("month", db.raw("sum(employer)::text AS employer"), db.raw("sum(employee)::text AS employee")),
    months(db("contributions").where({ tenant_id: tenantId }))
      .groupBy("city")
      .orderBy("city")
      .select("city", db.raw("sum(employer)::text AS employer"), db.raw("sum(employee)::text AS employee")),
  ]);
  return { alertsByType, contributionsByMonth: byMonth, contributionsByCity: byCity };
}
