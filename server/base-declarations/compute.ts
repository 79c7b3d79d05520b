/**
 * What a base declaration says for one employee (pure: history and policy in, base out). The base is
 * the previous calendar year's average monthly wage over the full months worked; a new hire without a
 * full month in that year declares the first full month's wage; the result is clamped per insurance to
 * the city's limits for the base year.
 */
import Decimal from "decimal.js";
import {
  addMonths,
  baseYearStart,
  formatMonth,
  lastDay,
  monthOf,
  resolveMonth,
  type PolicySet,
} from "../../policies/index";
import { fail } from "../errors";
import type { WageChange } from "./wage-history";

export type Method = "average" | "first_month" | "current_wage";

export interface EmployeeFacts {
  hireDate: string;
  leaveDate: string | null;
  currentWage: string;
}

/** The wage in force in `month`: the latest change effective by then (the earliest known before any). */
export function wageAt(history: WageChange[], month: string, currentWage: string): string {
  let found: WageChange | undefined;
  for (const c of history) if (c.effectiveMonth <= month) found = c;
  if (found) return found.wage;
  const first = history[0];
  return first ? (first.previousWage ?? first.wage) : currentWage;
}

/** The first month worked from its first day. */
export const firstFullMonth = (hireDate: string) =>
  hireDate.endsWith("-01") ? monthOf(hireDate) : addMonths(monthOf(hireDate), 1);

/** The last month worked to its last day (null: still employed). */
const lastFullMonth = (leaveDate: string | null) =>
  leaveDate === null
    ? null
    : leaveDate === lastDay(monthOf(leaveDate))
      ? monthOf(leaveDate)
      : addMonths(monthOf(leaveDate), -1);

/** The wage a declaration for a base year whose previous calendar year is `year` should carry. */
export function declaredWage(
  history: WageChange[],
  e: EmployeeFacts,
  year: number,
): { wage: string; method: Method; months: number } {
  if (!history.length) return { wage: new Decimal(e.currentWage).toFixed(2), method: "current_wage", months: 0 };
  const first = firstFullMonth(e.hireDate);
  const from = first > `${year}-01` ? first : `${year}-01`;
  const last = lastFullMonth(e.leaveDate);
  const to = last !== null && last < `${year}-12` ? last : `${year}-12`;
  let sum = new Decimal(0);
  let months = 0;
  for (let m = from; m <= to; m = addMonths(m, 1)) {
    sum = sum.plus(wageAt(history, m, e.currentWage));
    months++;
  }
  if (months > 0)
    return { wage: sum.div(months).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2), method: "average", months };
  return { wage: new Decimal(wageAt(history, first, e.currentWage)).toFixed(2), method: "first_month", months: 0 };
}

/** The months of base year `baseYear` in `city`, from the city's baseYearStartMonth (si-city-settings). */
export function baseYearMonths(policy: PolicySet, city: string, baseYear: number): { start: string; end: string } {
  // A base year Y starts in calendar year Y whatever its first month, so December Y is always inside it.
  const settings = policy.has("si-city-settings")
    ? policy.lookup("si-city-settings", { city }, `${baseYear}-12-01`)
    : undefined;
  const startMonth = settings?.values.baseYearStartMonth as number | undefined;
  if (!startMonth)
    throw fail(
      "NO_POLICY",
      { problem: `no si-city-settings row with baseYearStartMonth for city ${city} in ${baseYear}` },
      { details: { field: "city", table: "si-city-settings" }, errors: { city: "has no base-year policy" } },
    );
  const start = formatMonth(baseYear, startMonth);
  return { start, end: addMonths(start, 11) };
}

/** The declared wage clamped to each insurance's limits in `month` (the base year's first month). */
export function clampBases(policy: PolicySet, city: string, month: string, wage: string): Record<string, string> {
  const plan = resolveMonth(policy, city, month);
  const w = new Decimal(wage);
  const out: Record<string, string> = {};
  for (const [insurance, line] of plan.lines)
    out[insurance] = Decimal.min(Decimal.max(w, line.lower.toString()), line.upper.toString()).toFixed(2);
  return out;
}

/**
 * What the declaration for the base year holding `month` should carry (before the limits): the base 错缴
 * is measured against, so a raise during the base year changes nothing until the next one. Null when the
 * city has no base-year policy for the month.
 */
export function expectedDeclaredWage(
  policy: PolicySet,
  city: string,
  month: string,
  history: WageChange[],
  e: EmployeeFacts,
): string | null {
  let start: string;
  try {
    start = baseYearStart(policy, city, month);
  } catch {
    return null;
  }
  return declaredWage(history, e, Number(start.slice(0, 4)) - 1).wage;
}
