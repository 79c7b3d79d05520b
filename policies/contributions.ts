import type Decimal from "decimal.js";
import { assertMonth, firstDay } from "./dates";
import { D, money, roundingMode, toDec, type Dec } from "./decimal";
import { PolicyError } from "./errors";
import type { PolicySet } from "./policy-set";
import { cityByCode, INSURANCE_CODES as INSURANCES } from "../domain/index";
import type { PolicyRow } from "./tables";

export interface ContributionInput {
  city: string;
  /** "YYYY-MM": limits and rates in force on the 1st of the month apply. */
  month: string;
  wage: string | number;
  /** Local hukou (本地户籍); absent means non-local, as on a new employee record. */
  hukouLocal?: boolean;
  /** Industry risk class 1..8; default 1. */
  workInjuryClass?: number;
  /** Percent each side; default the city's minimum rate. */
  housingFundRate?: string;
  /** Percent, the employer's side only; default housingFundRate, else the city's minimum rate. */
  housingFundEmployerRate?: string;
  /** Percent, the employee's side only; default housingFundRate, else the city's minimum rate. */
  housingFundEmployeeRate?: string;
  /** Percent each side (Shanghai 补充公积金); no supplementary line unless it or a side's rate is given. */
  supplementaryHousingFundRate?: string;
  /** Percent, the employer's side of the supplementary fund; default supplementaryHousingFundRate, else the minimum. */
  supplementaryHousingFundEmployerRate?: string;
  /** Percent, the employee's side of the supplementary fund; default supplementaryHousingFundRate, else the minimum. */
  supplementaryHousingFundEmployeeRate?: string;
  /** Default: every type in INSURANCES. */
  insurances?: readonly string[];
}

export interface ContributionItem {
  insurance: string;
  base: string;
  employer: string;
  employee: string;
  employerRate: string;
  employeeRate: string;
}

export interface ContributionResult {
  city: string;
  month: string;
  items: ContributionItem[];
  totals: { employer: string; employee: string };
  /**
   * True when the month lies past the last published period of a row it used (a late notice): the
   * amounts are carried forward at that period's values and settled by 差额补缴 once the notice is in.
   */
  provisional: boolean;
  /** The first month ("YYYY-MM") of the period carried forward; null when not provisional. */
  carriedFrom: string | null;
  /** The last month of that period (its effectiveTo); null when not provisional. */
  carriedThrough: string | null;
}

/** How one line item's amounts are rounded (si-rounding). */
export interface LineRounding {
  mode: Decimal.Rounding;
  /** Decimal places: 2 to the cent, 1 to the jiao, 0 to the yuan. */
  places: number;
}

interface Line {
  lower: Dec;
  /** Infinity when the city publishes no upper limit for the type: the base is then only clamped below. */
  upper: Dec;
  rounding: LineRounding;
  employerRate: string;
  employeeRate: string;
  employerRateNonLocal?: string;
  employerFixed: Dec;
  employeeFixed: Dec;
  /** The rows of this line that ended before the month and are carried forward (limits first). */
  carried: PolicyRow[];
}

/** Everything the month needs, resolved once per (city, month) and memoised on the policy set. */
export interface MonthPlan {
  city: string;
  month: string;
  rounding: Decimal.Rounding;
  settings: PolicyRow;
  lines: Map<string, Line>;
  workInjury: Map<number, string>;
  housingFund?: PolicyRow;
  missing: Map<string, string>;
  /** Carried-forward rows that every item depends on (city settings). */
  carried: PolicyRow[];
  /** Work-injury class rows carried forward, by class. */
  carriedWorkInjury: Map<number, PolicyRow>;
}

export function cityLabel(city: string): string {
  const name = cityByCode(city);
  return name ? `${city} (${name.en})` : city;
}

export function noPolicy(city: string, month: string, what: string, extra: Record<string, unknown> = {}): PolicyError {
  return new PolicyError("NO_POLICY", `No policy for city ${cityLabel(city)} in ${month}: ${what}`, {
    city,
    month,
    ...extra,
  });
}

const ZERO = new D(0);
const NO_UPPER = new D(Infinity);
const FACTORS = new Map<string, Dec>();

/** Percent string → multiplier, cached: rates repeat across the whole monthly run. */
function factor(percent: string): Dec {
  let f = FACTORS.get(percent);
  if (!f) {
    f = new D(percent).div(100);
    if (FACTORS.size < 10_000) FACTORS.set(percent, f);
  }
  return f;
}

/** A row found only because the set carries the latest row forward past its end (PolicySet carryForward). */
const isCarried = (row: PolicyRow | undefined, date: string): row is PolicyRow =>
  !!row && row.effectiveTo !== null && row.effectiveTo < date;

export function resolveMonth(policy: PolicySet, city: string, month: string): MonthPlan {
  const memoKey = `contrib|${city}|${month}`;
  const cached = policy.memo.get(memoKey) as MonthPlan | undefined;
  if (cached) return cached;
  const date = firstDay(month);
  const carry = (into: PolicyRow[], row: PolicyRow | undefined) => {
    if (isCarried(row, date)) into.push(row);
  };
  const settings = policy.lookup("si-city-settings", { city }, date);
  if (!settings) throw noPolicy(city, month, "no si-city-settings row", { table: "si-city-settings" });
  const plan: MonthPlan = {
    city,
    month,
    settings,
    rounding: roundingMode(settings.values.rounding as string),
    lines: new Map(),
    workInjury: new Map(),
    missing: new Map(),
    housingFund: policy.lookup("si-housing-fund", { city }, date),
    carried: isCarried(settings, date) ? [settings] : [],
    carriedWorkInjury: new Map(),
  };
  const hasRounding = policy.has("si-rounding");
  for (const insurance of INSURANCES) {
    const limits = policy.lookup("si-base-limits", { city, insurance }, date);
    if (!limits) {
      plan.missing.set(insurance, "si-base-limits");
      continue;
    }
    const upper = limits.values.upper;
    const rounding = hasRounding ? policy.lookup("si-rounding", { city, insurance }, date) : undefined;
    const line: Line = {
      lower: new D(limits.values.lower as string),
      upper: upper === undefined || upper === null ? NO_UPPER : new D(upper as string),
      rounding: rounding
        ? { mode: roundingMode(rounding.values.mode as string), places: rounding.values.precision as number }
        : { mode: plan.rounding, places: 2 },
      employerRate: "0",
      employeeRate: "0",
      employerFixed: ZERO,
      employeeFixed: ZERO,
      carried: [],
    };
    carry(line.carried, limits);
    carry(line.carried, rounding);
    if (insurance === "housing_fund") {
      if (!plan.housingFund) {
        plan.missing.set(insurance, "si-housing-fund");
        continue;
      }
      carry(line.carried, plan.housingFund);
    } else if (insurance !== "work_injury") {
      const rate = policy.lookup("si-rates", { city, insurance }, date);
      if (!rate) {
        plan.missing.set(insurance, "si-rates");
        continue;
      }
      carry(line.carried, rate);
      const v = rate.values;
      line.employerRate = v.employerRate as string;
      line.employeeRate = v.employeeRate as string;
      line.employerRateNonLocal = (v.employerRateNonLocal as string | undefined) ?? undefined;
      line.employerFixed = new D((v.employerFixed as string | undefined) ?? 0);
      line.employeeFixed = new D((v.employeeFixed as string | undefined) ?? 0);
    }
    plan.lines.set(insurance, line);
  }
  for (let cls = 1; cls <= 8; cls++) {
    const row = policy.lookup("si-work-injury-classes", { city, riskClass: cls }, date);
    if (row) plan.workInjury.set(cls, row.values.rate as string);
    if (isCarried(row, date)) plan.carriedWorkInjury.set(cls, row);
  }
  policy.memo.set(memoKey, plan);
  return plan;
}

function checkRate(text: string, min: string, max: string, field: string, ctx: Record<string, unknown>): string {
  const rate = /^\d+(\.\d+)?$/.test(text) ? new D(text) : undefined;
  if (!rate || rate.lt(min) || rate.gt(max)) {
    throw new PolicyError("INVALID_RATE", `${field} ${text}% is outside ${min}%..${max}%`, { ...ctx, field, min, max });
  }
  return text;
}

export function calculateContributions(policy: PolicySet, input: ContributionInput): ContributionResult {
  const { city } = input;
  const month = assertMonth(input.month);
  let wage: Dec;
  try {
    wage = toDec(input.wage, "wage");
  } catch {
    throw new PolicyError("INVALID_WAGE", `wage is not a number: ${String(input.wage)}`, { wage: input.wage });
  }
  if (wage.isNegative())
    throw new PolicyError("INVALID_WAGE", `wage must not be negative: ${String(input.wage)}`, { wage: input.wage });
  const plan = resolveMonth(policy, city, month);
  const roundedWage = wage.decimalPlaces() > 2 ? wage.toDecimalPlaces(2, plan.rounding) : wage;
  const cls = input.workInjuryClass ?? 1;
  if (!Number.isInteger(cls) || cls < 1 || cls > 8) {
    throw new PolicyError("INVALID_INPUT", `workInjuryClass must be an integer 1..8: ${cls}`, { workInjuryClass: cls });
  }
  const wanted = input.insurances ?? INSURANCES;
  const items: ContributionItem[] = [];
  const carried: PolicyRow[] = [...plan.carried];
  let employerTotal = ZERO;
  let employeeTotal = ZERO;
  const add = (insurance: string, base: Dec, employerRate: string, employeeRate: string, line: Line) => {
    let employer = base.times(factor(employerRate));
    let employee = base.times(factor(employeeRate));
    if (!line.employerFixed.isZero()) employer = employer.plus(line.employerFixed);
    if (!line.employeeFixed.isZero()) employee = employee.plus(line.employeeFixed);
    employer = employer.toDecimalPlaces(line.rounding.places, line.rounding.mode);
    employee = employee.toDecimalPlaces(line.rounding.places, line.rounding.mode);
    employerTotal = employerTotal.plus(employer);
    employeeTotal = employeeTotal.plus(employee);
    items.push({
      insurance,
      base: base.toFixed(2),
      employer: employer.toFixed(2),
      employee: employee.toFixed(2),
      employerRate,
      employeeRate,
    });
  };

  for (const insurance of wanted) {
    if (!(INSURANCES as readonly string[]).includes(insurance)) {
      throw new PolicyError("INVALID_INPUT", `unknown insurance type ${insurance}`, { insurance });
    }
    const line = plan.lines.get(insurance);
    if (!line)
      throw noPolicy(city, month, `no ${plan.missing.get(insurance)} row for ${insurance}`, {
        insurance,
        table: plan.missing.get(insurance),
      });
    const base = wage.lt(line.lower) ? line.lower : wage.gt(line.upper) ? line.upper : roundedWage;
    carried.push(...line.carried);
    if (insurance === "work_injury") {
      const carriedClass = plan.carriedWorkInjury.get(cls);
      if (carriedClass) carried.push(carriedClass);
      const rate = plan.workInjury.get(cls);
      if (rate === undefined)
        throw noPolicy(city, month, `no si-work-injury-classes row for class ${cls}`, {
          insurance,
          table: "si-work-injury-classes",
        });
      add(insurance, base, rate, "0", line);
    } else if (insurance === "housing_fund") {
      const hf = plan.housingFund!.values;
      const ctx = { city, month };
      const min = hf.minRate as string;
      const max = hf.maxRate as string;
      const both = input.housingFundRate;
      if (both !== undefined) checkRate(both, min, max, "housingFundRate", ctx);
      const employerRate = checkRate(
        input.housingFundEmployerRate ?? both ?? min,
        min,
        max,
        "housingFundEmployerRate",
        ctx,
      );
      const employeeRate = checkRate(
        input.housingFundEmployeeRate ?? both ?? min,
        min,
        max,
        "housingFundEmployeeRate",
        ctx,
      );
      add(insurance, base, employerRate, employeeRate, line);
      const supBoth = input.supplementaryHousingFundRate;
      const supEmployer = input.supplementaryHousingFundEmployerRate;
      const supEmployee = input.supplementaryHousingFundEmployeeRate;
      if (supBoth !== undefined || supEmployer !== undefined || supEmployee !== undefined) {
        if (hf.supplementaryMaxRate === undefined || hf.supplementaryMaxRate === null) {
          throw new PolicyError("INVALID_RATE", `${cityLabel(city)} has no supplementary housing fund`, ctx);
        }
        const supMin = (hf.supplementaryMinRate as string | undefined) ?? "0";
        const supMax = hf.supplementaryMaxRate as string;
        const field = "supplementaryHousingFund";
        if (supBoth !== undefined) checkRate(supBoth, supMin, supMax, `${field}Rate`, ctx);
        const er = checkRate(supEmployer ?? supBoth ?? supMin, supMin, supMax, `${field}EmployerRate`, ctx);
        const ee = checkRate(supEmployee ?? supBoth ?? supMin, supMin, supMax, `${field}EmployeeRate`, ctx);
        add("housing_fund_supplementary", base, er, ee, line);
      }
    } else {
      const employerRate =
        input.hukouLocal !== true && line.employerRateNonLocal ? line.employerRateNonLocal : line.employerRate;
      add(insurance, base, employerRate, line.employeeRate, line);
    }
  }
  // The period named is the one of the first carried row, a line's limits before its rates.
  const period = carried.find((r) => r.key.insurance !== undefined) ?? carried[0];
  return {
    city,
    month,
    items,
    totals: { employer: money(employerTotal), employee: money(employeeTotal) },
    provisional: carried.length > 0,
    carriedFrom: period ? period.effectiveFrom.slice(0, 7) : null,
    carriedThrough: period?.effectiveTo ? period.effectiveTo.slice(0, 7) : null,
  };
}
