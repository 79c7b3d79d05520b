import { SOCIAL_INSURANCE_CODES } from "../domain/index";
import {
  addDays,
  addMonths,
  assertDate,
  assertMonth,
  daysBetween,
  dayOfMonth,
  formatMonth,
  monthOf,
  monthRange,
  parseMonth,
} from "./dates";
import { D, money, roundingMode, toDec, type Dec } from "./decimal";
import { calculateContributions, noPolicy, type ContributionInput, type ContributionItem } from "./contributions";
import { PolicyError } from "./errors";
import { PolicySet } from "./policy-set";
import type { PolicyTable } from "./tables";

// Art. 86 late fees and back-payments concern social insurance; the housing fund is opt-in.
const SOCIAL_INSURANCES: readonly string[] = SOCIAL_INSURANCE_CODES;

type Wages = string | number | Record<string, string | number>;

function wageFor(wages: Wages, month: string): string | number {
  if (typeof wages !== "object") return wages;
  const w = wages[month];
  if (w === undefined) throw new PolicyError("INVALID_WAGE", `no wage given for ${month}`, { month });
  return w;
}

export interface LateFee {
  /** Last day to pay without a fee. */
  deadline: string;
  /** The first day of arrears (deadline + 1). */
  arrearsFrom: string;
  /** Days from arrearsFrom to the payment date, both counted (payment date − deadline). */
  days: number;
  fee: string;
}

/** amount × dailyRate% × days, rounded to the cent (1000.00 × 0.05% × 31 days = 15.50). */
export function calculateLateFee(
  amount: string | number,
  deadline: string,
  paymentDate: string,
  dailyRate = "0.05",
  rounding = "HALF_UP",
): LateFee {
  assertDate(deadline, "deadline");
  assertDate(paymentDate, "paymentDate");
  const days = Math.max(0, daysBetween(deadline, paymentDate));
  const fee = toDec(amount, "amount").times(dailyRate).div(100).times(days);
  return { deadline, arrearsFrom: addDays(deadline, 1), days, fee: money(fee, roundingMode(rounding)) };
}

export interface BackPaymentInput extends Omit<ContributionInput, "month" | "wage"> {
  /** Missed months, "YYYY-MM", or an inclusive range. */
  months: string[] | { from: string; to: string };
  /** One wage for every month, or a wage per month. */
  wage: Wages;
  /** The day the arrears are paid; late fees run up to and including it. */
  paymentDate: string;
}

export interface BackPaymentMonth {
  month: string;
  items: ContributionItem[];
  employer: string;
  employee: string;
  owed: string;
  lateFee: LateFee;
}

export interface BackPaymentResult {
  city: string;
  paymentDate: string;
  months: BackPaymentMonth[];
  totals: { employer: string; employee: string; owed: string; lateFee: string; total: string };
}

function listMonths(months: BackPaymentInput["months"]): string[] {
  const list = Array.isArray(months)
    ? months
    : monthRange(assertMonth(months.from, "months.from"), assertMonth(months.to, "months.to"));
  return [...new Set(list.map((m) => assertMonth(m, "months")))].sort();
}

export function calculateBackPayment(policy: PolicySet, input: BackPaymentInput): BackPaymentResult {
  const paymentDate = assertDate(input.paymentDate, "paymentDate");
  const insurances = input.insurances ?? SOCIAL_INSURANCES;
  const totals = { employer: new D(0), employee: new D(0), lateFee: new D(0) };
  const months = listMonths(input.months).map((month): BackPaymentMonth => {
    const r = calculateContributions(policy, { ...input, insurances, month, wage: wageFor(input.wage, month) });
    const settings = policy.lookup("si-city-settings", { city: input.city }, `${month}-01`);
    if (!settings) throw noPolicy(input.city, month, "no si-city-settings row", { table: "si-city-settings" });
    // The month's contribution is due in the month itself, by its deadline day.
    const deadline = dayOfMonth(month, settings.values.paymentDeadlineDay as number);
    const owed = new D(r.totals.employer).plus(r.totals.employee);
    const lateFee = calculateLateFee(
      owed.toFixed(2),
      deadline,
      paymentDate,
      settings.values.lateFeeDailyRate as string,
      settings.values.rounding as string,
    );
    totals.employer = totals.employer.plus(r.totals.employer);
    totals.employee = totals.employee.plus(r.totals.employee);
    totals.lateFee = totals.lateFee.plus(lateFee.fee);
    return {
      month,
      items: r.items,
      employer: r.totals.employer,
      employee: r.totals.employee,
      owed: owed.toFixed(2),
      lateFee,
    };
  });
  const owed = totals.employer.plus(totals.employee);
  return {
    city: input.city,
    paymentDate,
    months,
    totals: {
      employer: money(totals.employer),
      employee: money(totals.employee),
      owed: money(owed),
      lateFee: money(totals.lateFee),
      total: money(owed.plus(totals.lateFee)),
    },
  };
}

export interface DifferenceInput extends Omit<ContributionInput, "month" | "wage"> {
  wage: Wages;
  /** Publication date of the late notice; needed only where fromMonth or throughMonth is left out. */
  publicationDate?: string;
  /** Default: the start of the base year containing the publication month (July in the shipped cities). */
  fromMonth?: string;
  /**
   * Default: the month before the publication month. From the publication month on the new limits are
   * collected as such, so the months charged at the old limits are exactly fromMonth..throughMonth.
   */
  throughMonth?: string;
}

export interface DifferenceItem {
  insurance: string;
  baseBefore: string;
  baseAfter: string;
  employer: string;
  employee: string;
}

export interface DifferenceResult {
  city: string;
  fromMonth: string;
  throughMonth: string;
  months: { month: string; items: DifferenceItem[]; employer: string; employee: string; total: string }[];
  totals: { employer: string; employee: string; total: string };
}

/** The month the base year containing `month` started, per the city's baseYearStartMonth. */
export function baseYearStart(policy: PolicySet, city: string, month: string): string {
  const settings = policy.lookup("si-city-settings", { city }, `${month}-01`);
  if (!settings) throw noPolicy(city, month, "no si-city-settings row", { table: "si-city-settings" });
  const start = settings.values.baseYearStartMonth as number;
  const { year, month: m } = parseMonth(month);
  return formatMonth(m >= start ? year : year - 1, start);
}

/**
 * 差额补缴: what the new limits add to months already collected at the old ones. `before` is the
 * policy as collected (tables are wrapped with carryForward, so old limits continue past their end).
 */
export function calculateDifferenceBackPayment(
  before: PolicySet | PolicyTable[],
  after: PolicySet,
  input: DifferenceInput,
): DifferenceResult {
  const old = before instanceof PolicySet ? before : new PolicySet(before, { carryForward: true });
  const publication = () => {
    if (input.publicationDate === undefined)
      throw new PolicyError("INVALID_INPUT", "publicationDate is required without fromMonth and throughMonth", {
        field: "publicationDate",
      });
    return monthOf(assertDate(input.publicationDate, "publicationDate"));
  };
  const fromMonth = input.fromMonth
    ? assertMonth(input.fromMonth, "fromMonth")
    : baseYearStart(after, input.city, publication());
  const throughMonth = input.throughMonth
    ? assertMonth(input.throughMonth, "throughMonth")
    : addMonths(publication(), -1);
  if (throughMonth < fromMonth)
    throw new PolicyError("INVALID_INPUT", `throughMonth ${throughMonth} is before fromMonth ${fromMonth}`, {
      field: "throughMonth",
      fromMonth,
      throughMonth,
    });
  const insurances = input.insurances ?? SOCIAL_INSURANCES;
  let employerTotal: Dec = new D(0);
  let employeeTotal: Dec = new D(0);
  const months = monthRange(fromMonth, throughMonth).map((month) => {
    const args = { ...input, insurances, month, wage: wageFor(input.wage, month) };
    const a = calculateContributions(old, args);
    const b = calculateContributions(after, args);
    const items = b.items.map(
      (item, i): DifferenceItem => ({
        insurance: item.insurance,
        baseBefore: a.items[i].base,
        baseAfter: item.base,
        employer: new D(item.employer).minus(a.items[i].employer).toFixed(2),
        employee: new D(item.employee).minus(a.items[i].employee).toFixed(2),
      }),
    );
    const employer = new D(b.totals.employer).minus(a.totals.employer);
    const employee = new D(b.totals.employee).minus(a.totals.employee);
    employerTotal = employerTotal.plus(employer);
    employeeTotal = employeeTotal.plus(employee);
    return {
      month,
      items,
      employer: employer.toFixed(2),
      employee: employee.toFixed(2),
      total: employer.plus(employee).toFixed(2),
    };
  });
  return {
    city: input.city,
    fromMonth,
    throughMonth,
    months,
    totals: {
      employer: employerTotal.toFixed(2),
      employee: employeeTotal.toFixed(2),
      total: employerTotal.plus(employeeTotal).toFixed(2),
    },
  };
}
