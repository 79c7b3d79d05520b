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
import { backPaymentWith } from "../si/service";
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
function backPaymentFacts(
  policy: PolicySet,
  opts: { city: string; gapStartsMonth: string; windowMonths: number; wage: string; hukouLocal: boolean },
) {
  if (opts.windowMonths <= 0) return null;
  const to = addMonths(opts.gapStartsMonth, opts.windowMonths - 1);
  const payBy = lastDay(to);
  const months = { from: opts.gapStartsMonth, to };
  const window = { allowed: true, windowMonths: opts.windowMonths, months: opts.windowMonths, ...months, payBy };
  let r: ReturnType<typeof backPaymentWith>;
  try {
    r = backPaymentWith(policy, {
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

type Row = Record<string, any>;

/** What an employee's facts are computed from: their row, latest enrollment and contribution months. */
interface EmployeeSources {
  employee: Row;
  enrollment: Row | undefined;
  ledger: { month: string; status: string; back_paid: boolean }[];
}

/** The tenant-wide part: the policy set and the head office (the root org unit). */
interface TenantSources {
  policy: PolicySet;
  hq: { city: string } | undefined;
}

const tenantSources = async (db: Knex, tenantId: string): Promise<TenantSources> => {
  const [policy, hq] = await Promise.all([
    loadPolicySet(db, tenantId),
    db("org_units").where({ tenant_id: tenantId }).whereNull("parent_id").orderBy("created_at").first("city"),
  ]);
  return { policy, hq };
};

// The columns the facts read (not the search text or custom fields: a chunk's rows stay small).
const EMPLOYEE_COLUMNS = [
  "id",
  "employee_no",
  "name",
  "birth_date",
  "gender",
  "post",
  "hukou_local",
  "employment_type",
  "monthly_wage",
  "insured_city",
  "leave_date",
];

/** The sources of many employees in three queries (employees, latest enrollments, contributions). */
async function employeeSources(db: Knex, tenantId: string, ids: readonly string[]) {
  const valid = [...new Set(ids.filter(isUuid))];
  const out = new Map<string, EmployeeSources>();
  if (!valid.length) return out;
  const [employees, enrollments, ledger] = await Promise.all([
    db("employees").where({ tenant_id: tenantId }).whereIn("id", valid).select(EMPLOYEE_COLUMNS),
    db("enrollments")
      .distinctOn("employee_id")
      .where({ tenant_id: tenantId })
      .whereIn("employee_id", valid)
      .whereIn("status", ["pending", "active", "ended"])
      .orderBy([{ column: "employee_id" }, { column: "from_date", order: "desc" }, { column: "id" }]),
    db("contributions")
      .where({ tenant_id: tenantId })
      .whereIn("employee_id", valid)
      .select("employee_id", "month", "status", "back_paid"),
  ]);
  for (const e of employees) out.set(e.id, { employee: e, enrollment: undefined, ledger: [] });
  for (const en of enrollments) {
    const s = out.get(en.employee_id);
    if (s) s.enrollment = en;
  }
  for (const c of ledger) out.get(c.employee_id)?.ledger.push(c);
  return out;
}

const noEmployee = (employeeId: string) =>
  fail(
    "NOT_FOUND",
    { resource: "employees", id: employeeId },
    { message: `No employee "${employeeId}"`, details: { field: "employeeId" } },
  );

/**
 * Reminder facts for the employees of one chunk (a monthly run's, a scan's): the first request loads the
 * sources of every employee named, in a fixed number of queries, and the published templates asked for are
 * looked up once per date. An employee outside the chunk is loaded alone. It lives for one chunk (one
 * transaction): nothing is kept across requests of the server.
 */
export class ReminderFactsLoader {
  private sources?: Promise<{ tenant: TenantSources; employees: Map<string, EmployeeSources> }>;
  private readonly templates = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Knex,
    private readonly tenantId: string,
    private readonly employeeIds: readonly string[],
  ) {}

  private load() {
    this.sources ??= Promise.all([
      tenantSources(this.db, this.tenantId),
      employeeSources(this.db, this.tenantId, this.employeeIds),
    ]).then(([tenant, employees]) => ({ tenant, employees }));
    return this.sources;
  }

  async facts(employeeId: string, eventParams: Record<string, unknown>, at: string) {
    const { tenant, employees } = await this.load();
    const own =
      employees.get(employeeId) ?? (await employeeSources(this.db, this.tenantId, [employeeId])).get(employeeId);
    if (!own) throw noEmployee(employeeId);
    return buildFacts(tenant, own, eventParams, at);
  }

  /** A lookup memoised for this loader's life (the template version in force on a date). */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.templates.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.templates.set(key, p);
    }
    return p;
  }
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
  const [tenant, employees] = await Promise.all([
    tenantSources(db, tenantId),
    employeeSources(db, tenantId, [employeeId]),
  ]);
  const own = employees.get(employeeId);
  if (!own) throw noEmployee(employeeId);
  return buildFacts(tenant, own, eventParams, at);
}

function buildFacts(
  { policy, hq }: TenantSources,
  { employee: e, enrollment, ledger }: EmployeeSources,
  eventParams: Record<string, unknown>,
  at: string,
): Record<string, unknown> {
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
        ? backPaymentFacts(policy, {
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
