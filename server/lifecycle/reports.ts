/** Self-service summary for an employee, and the HR dashboard (sums in SQL). */
import type { Knex } from "knex";
import {
  addMonths,
  calculateBackPayment,
  dayOfMonth,
  firstDay,
  isCountedMonth,
  lastDay,
  ledgerContinuity,
  monthOf,
  simulatePension,
  type PolicySet,
} from "../../policies/index";
import { fail, type Locale } from "../errors";
import { present as presentAlert } from "../alerts/service";
import { viewCondition } from "../alerts/service";
import { employeeState, gapOptions } from "./service";
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

/** The payment deadline of a ledger month in its city (si-city-settings), if the policy has one. */
function deadlineOf(policy: PolicySet, city: string, month: string): string | null {
  if (!policy.has("si-city-settings")) return null;
  const day = policy.lookup("si-city-settings", { city }, firstDay(month))?.values.paymentDeadlineDay;
  return typeof day === "number" ? dayOfMonth(month, day) : null;
}

const monthsFrom = (from: string, to: string) => {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
};

/** The back-payment estimate an employee reads: what they would pay, never the employer's late fees. */
function withoutLateFees(r: ReturnType<typeof calculateBackPayment>) {
  const { lateFee: _, total: __, ...totals } = r.totals;
  return {
    ...r,
    months: r.months.map(({ lateFee: _fee, ...m }) => m),
    totals: { ...totals, total: totals.owed },
  };
}

export interface SummaryOptions {
  at?: string;
  asOf?: string;
  /** The simulator's assumption after leaving: flexible employment (灵活就业) at this base. */
  flexibleBase?: string | number;
}

export async function mySummary(
  db: Knex,
  policy: PolicySet,
  tenantId: string,
  employeeId: string | null,
  opts: SummaryOptions,
  locale: Locale = "en",
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
  const ledger = state.contributions as Row[];
  const leaveDate: string | null = employee.leave_date ?? null;
  const leaveMonth = leaveDate ? monthOf(leaveDate) : null;
  const left = !!leaveDate && leaveDate <= at;
  // After leaving, continuity runs to the leave month: the months after it are the leaver's own gap.
  const asOf = opts.asOf ?? addMonths(monthOf(at), -1);
  const months = ledger.map((c) => ({
    month: c.month,
    status: c.status,
    backPaid: c.backPaid,
    deadline: deadlineOf(policy, c.city, c.month),
  }));
  const continuity = ledgerContinuity(months, { at, asOf });
  const continuityExcludingBackPaid = ledgerContinuity(months, { at, asOf, excludeBackPaid: true });
  const counted = ledger.filter((c) => isCountedMonth(months.find((m) => m.month === c.month)!, at));
  const lastRow = ledger[ledger.length - 1];
  const lastBase = lastRow?.base ?? employee.monthly_wage;
  const city = lastRow?.city ?? employee.insured_city;
  const openEnrollment = (state.enrollments as Row[]).some(
    (e) => ["pending", "active"].includes(e.status) && (!e.toDate || e.toDate >= at),
  );

  // What the employee can do after leaving: flexible employment, and back-payment only where the city
  // has a window (never a figure where it is 0); the unpaid months of the employment are the employer's.
  const gapStartsMonth = leaveMonth ? addMonths(leaveMonth, 1) : null;
  const options = gapStartsMonth ? gapOptions(policy, city, gapStartsMonth, lastBase, employee.hukou_local) : null;
  const window = options?.backPayment.windowMonths ?? 0;
  const backPaymentMonths =
    left && gapStartsMonth && window > 0 && gapStartsMonth <= asOf
      ? monthsFrom(gapStartsMonth, [asOf, options!.backPayment.until!].sort()[0]!)
      : [];
  const backPayment = backPaymentMonths.length
    ? {
        months: backPaymentMonths,
        windowMonths: window,
        deadline: lastDay(options!.backPayment.until!),
        estimate: attempt(() =>
          withoutLateFees(
            calculateBackPayment(policy, {
              city,
              months: backPaymentMonths,
              wage: lastBase,
              paymentDate: at,
              hukouLocal: employee.hukou_local,
            }),
          ),
        ),
      }
    : null;
  const afterLeaving = options
    ? {
        leaveDate,
        left,
        gapStartsMonth,
        city,
        flexibleEmployment: options.flexibleEmployment,
        backPayment: options.backPayment.allowed
          ? {
              allowed: true,
              windowMonths: window,
              lastMonth: options.backPayment.until,
              deadline: lastDay(options.backPayment.until!),
            }
          : { allowed: false, windowMonths: 0 },
      }
    : null;

  const { category: cat, assumed } = retirementCategoryOf(employee.gender, employee.post);
  const history = counted.map((c) => ({ month: c.month, base: c.base }));
  const flexibleBase = opts.flexibleBase === undefined ? undefined : String(opts.flexibleBase);
  // No contributions are projected after a leave date unless the employee picks an assumption.
  const projection = (() => {
    const start = monthOf(at);
    if (!leaveMonth)
      return { assumptions: { startMonth: start, currentBase: employee.monthly_wage, annualGrowth: "3" } };
    const employed = leaveMonth >= start ? monthsFrom(start, leaveMonth) : [];
    const projected = [...history, ...employed.map((month) => ({ month, base: employee.monthly_wage }))];
    if (flexibleBase === undefined) return { history: projected, assumption: { kind: "none" as const } };
    return {
      history: projected,
      assumptions: { startMonth: gapStartsMonth!, currentBase: flexibleBase, annualGrowth: "0" },
      assumption: { kind: "flexible_employment" as const, base: flexibleBase, fromMonth: gapStartsMonth },
    };
  })();
  const simulated =
    employee.birth_date && cat
      ? attempt(() =>
          simulatePension(policy, {
            city,
            birthDate: employee.birth_date,
            category: cat,
            history: projection.history ?? history,
            ...(projection.assumptions ? { assumptions: projection.assumptions } : {}),
          }),
        )
      : { error: { code: "INCOMPLETE_PROFILE", message: "birth date and gender are needed to simulate the pension" } };
  const pension =
    "error" in simulated
      ? simulated
      : {
          ...simulated,
          retirementAssumption: assumed,
          projection: projection.assumption ?? { kind: "current_wage", base: employee.monthly_wage },
        };

  const actions: { code: string; params: Record<string, unknown> }[] = [];
  if (!left && !openEnrollment) actions.push({ code: "not_enrolled", params: {} });
  if (continuity.unpaidMonths.length)
    actions.push({ code: "unpaid_ask_hr", params: { months: continuity.unpaidMonths } });
  if (afterLeaving && gapStartsMonth) {
    actions.push({ code: left ? "gap_started" : "gap_starts", params: { month: gapStartsMonth, leaveDate } });
    if (afterLeaving.flexibleEmployment)
      actions.push({ code: "flexible_employment", params: { ...afterLeaving.flexibleEmployment } });
    actions.push(
      afterLeaving.backPayment.allowed
        ? {
            code: "back_payment_window",
            params: { windowMonths: window, deadline: afterLeaving.backPayment.deadline, city },
          }
        : { code: "no_back_payment", params: { city } },
    );
  }
  // Still due before its deadline: not a gap yet, but not paid either.
  const dueSoon = months.filter((m) => m.status === "due" && isCountedMonth(m, at));
  for (const m of dueSoon) actions.push({ code: "due_soon", params: { month: m.month, deadline: m.deadline } });
  if (!actions.length) actions.push({ code: "all_paid", params: {} });

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
    alerts: (records.alerts as Row[]).map((a) => presentAlert(a, locale)),
    status: {
      employment: left ? "left" : leaveDate ? "leaving" : "active",
      enrolled: openEnrollment,
      unpaidMonths: continuity.unpaidMonths,
      gapMonths: continuity.gaps.reduce((n, g) => n + g.months, 0),
      actions,
    },
    continuity: {
      asOf,
      cumulativeMonths: continuity.cumulativeMonths,
      continuousMonths: continuity.continuousMonths,
      continuousMonthsExcludingBackPaid: continuityExcludingBackPaid.continuousMonths,
      backPaidMonths: continuity.backPaidMonths,
      gaps: continuity.gaps,
      unpaidMonths: continuity.unpaidMonths,
    },
    backPayment,
    afterLeaving,
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
