/**
 * The facts a reminder is rendered with, for one employee: the catalogue's placeholders (catalogue.ts),
 * built from the employee, the contribution ledger (continuity) and the same SI calculations the API
 * answers: the back-payment figures are `backPayment()` of /api/si/back-payment for the same months.
 */
import type { Knex } from "knex";
import Decimal from "decimal.js";
import {
  addDays,
  addMonths,
  analyzeContinuity,
  calculateContributions,
  lastDay,
  monthOf,
  monthRange,
  type PolicySet,
} from "../../policies/index";
import { cityByCode, SOCIAL_INSURANCE_CODES } from "../../domain/index";
import { AppError, fail } from "../errors";
import { isUuid } from "../http/formats";
import { loadPolicySet } from "../policy-tables/policy-set";
import { backPayment } from "../si/service";
import { gapOptions } from "../lifecycle/service";

const today = () => new Date().toISOString().slice(0, 10);

function ageOn(birthDate: string | null, at: string): number | null {
  if (!birthDate) return null;
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, mo, d] = at.split("-").map(Number) as [number, number, number];
  return y - by - (mo < bm || (mo === bm && d < bd) ? 1 : 0);
}

function cityRates(policy: PolicySet, city: string, month: string, wage: string, hukouLocal: boolean) {
  try {
    const r = calculateContributions(policy, {
      city,
      month,
      wage,
      hukouLocal,
      insurances: [...SOCIAL_INSURANCE_CODES],
    });
    const sum = (f: (i: (typeof r.items)[number]) => string) => r.items.reduce((s, i) => s.plus(f(i)), new Decimal(0));
    return {
      month,
      employerRate: sum((i) => i.employerRate).toString(),
      employeeRate: sum((i) => i.employeeRate).toString(),
      employer: r.totals.employer,
      employee: r.totals.employee,
      total: new Decimal(r.totals.employer).plus(r.totals.employee).toFixed(2),
    };
  } catch {
    return null; // no policy for the month: unknown, not zero
  }
}

/** Back-payment over the city's window after leaving; null where the city allows none. */
async function backPaymentFacts(
  db: Knex,
  tenantId: string,
  opts: { city: string; gapStartsMonth: string; windowMonths: number; wage: string; hukouLocal: boolean },
) {
  if (opts.windowMonths <= 0) return null;
  const to = addMonths(opts.gapStartsMonth, opts.windowMonths - 1);
  const payBy = lastDay(to);
  const months = { from: opts.gapStartsMonth, to };
  const window = { allowed: true, windowMonths: opts.windowMonths, months: opts.windowMonths, ...months, payBy };
  let r: Awaited<ReturnType<typeof backPayment>>;
  try {
    r = await backPayment(db, tenantId, {
      city: opts.city,
      months,
      wage: opts.wage,
      paymentDate: payBy,
      hukouLocal: opts.hukouLocal,
    });
  } catch (err) {
    // No policy for those months yet: the window and dates stand, the amounts are unknown (never zero).
    if (!(err instanceof AppError) || !err.isPublic) throw err;
    const unknown = { perMonth: null, owed: null, lateFee: null, total: null, employer: null, employee: null };
    return { ...window, ...unknown };
  }
  return {
    ...window,
    months: r.months.length,
    perMonth: r.months[0]!.owed,
    owed: r.totals.owed,
    lateFee: r.totals.lateFee,
    total: r.totals.total,
    employer: r.totals.employer,
    employee: r.totals.employee,
  };
}

/**
 * The facts of the catalogue for an employee on `at` (default today). `eventParams` come in as `event`;
 * an event's `leaveDate` stands in for an employee whose leaving is not recorded yet.
 */
export async function reminderFacts(
  db: Knex,
  tenantId: string,
  employeeId: string,
  eventParams: Record<string, unknown> = {},
  at: string = today(),
): Promise<Record<string, unknown>> {
  const e = isUuid(employeeId)
    ? await db("employees").where({ tenant_id: tenantId, id: employeeId }).first()
    : undefined;
  if (!e)
    throw fail(
      "NOT_FOUND",
      { resource: "employees", id: employeeId },
      { message: `No employee "${employeeId}"`, details: { field: "employeeId" } },
    );
  const [policy, enrollment, ledger, hq] = await Promise.all([
    loadPolicySet(db, tenantId),
    db("enrollments")
      .where({ tenant_id: tenantId, employee_id: e.id })
      .whereIn("status", ["pending", "active", "ended"])
      .orderBy("from_date", "desc")
      .first(),
    db("contributions").where({ tenant_id: tenantId, employee_id: e.id }).select("month", "status", "back_paid"),
    db("org_units").where({ tenant_id: tenantId }).whereNull("parent_id").orderBy("created_at").first("city"),
  ]);
  const hukouLocal = !!e.hukou_local;
  const city: string = enrollment?.status !== "ended" && enrollment ? enrollment.insured_city : e.insured_city;
  const wage = new Decimal(enrollment?.base ?? e.monthly_wage).toFixed(2);
  const leaveDate: string | null =
    e.leave_date ?? (typeof eventParams.leaveDate === "string" ? eventParams.leaveDate : null);
  const lastPaidMonth = leaveDate ? monthOf(leaveDate) : null;
  const gapStartsMonth = lastPaidMonth ? addMonths(lastPaidMonth, 1) : null;

  // Paid and due months cover the month; a contribution not received (未到账) is a gap.
  const paid = ledger
    .filter((c: { status: string }) => c.status !== "not_received")
    .map((c: { month: string; back_paid: boolean }) => ({ month: c.month, backPaid: c.back_paid }));
  const atMonth = monthOf(at);
  const latest = paid
    .map((p: { month: string }) => p.month)
    .sort()
    .at(-1) as string | undefined;
  const left = leaveDate !== null && leaveDate < at;
  const asOf = left ? atMonth : latest;
  const continuity = analyzeContinuity(paid, asOf && latest && asOf >= latest ? { asOf } : {});
  const gapMonths =
    continuity.gaps.reduce((n, g) => n + g.months, 0) +
    (left && !latest && gapStartsMonth && gapStartsMonth <= atMonth ? monthRange(gapStartsMonth, atMonth).length : 0);

  const options = gapStartsMonth ? gapOptions(policy, city, gapStartsMonth, wage, hukouLocal) : null;
  const name = (code: string | undefined, locale: "zh" | "en") => (code ? (cityByCode(code)?.[locale] ?? code) : null);
  return {
    today: at,
    employeeId: e.id,
    employeeNo: e.employee_no,
    employeeName: e.name,
    birthDate: e.birth_date ?? null,
    age: ageOn(e.birth_date ?? null, at),
    gender: e.gender ?? null,
    post: e.post ?? null,
    hukouLocal,
    employmentType: e.employment_type,
    monthlyWage: new Decimal(e.monthly_wage).toFixed(2),
    base: wage,
    enrolled: !!enrollment && enrollment.status !== "ended",
    insuredCity: city,
    insuredCityZh: name(city, "zh"),
    insuredCityEn: name(city, "en"),
    headOfficeCity: hq?.city ?? null,
    headOfficeCityZh: name(hq?.city, "zh"),
    headOfficeCityEn: name(hq?.city, "en"),
    insuredElsewhere: !!hq && hq.city !== city,
    continuousMonths: continuity.continuousMonths,
    cumulativeMonths: continuity.cumulativeMonths,
    gapMonths,
    leaveDate,
    lastPaidMonth,
    gapStartsMonth,
    noticeDate: leaveDate ? addDays(leaveDate, -30) : null,
    backPayment:
      options && gapStartsMonth
        ? await backPaymentFacts(db, tenantId, {
            city,
            gapStartsMonth,
            windowMonths: options.backPayment.windowMonths,
            wage,
            hukouLocal,
          })
        : null,
    flexibleEmployment: options?.flexibleEmployment ?? null,
    cityRates: cityRates(policy, city, atMonth, wage, hukouLocal),
    event: eventParams,
  };
}
