import { addMonths, assertMonth, monthIndex, monthRange, parseMonth } from "./dates";
import { D, money, toDec, type Dec } from "./decimal";
import { PolicyError } from "./errors";
import type { PolicySet } from "./policy-set";
import { retirementAge, minimumContributionMonths, type RetirementAge, type RetirementCategory } from "./retirement";

export * from "./retirement";

/**
 * Divisor for a retirement age in months. Whole years come from the 国发〔2005〕38号 table; a month
 * part is interpolated linearly and rounded to 0.1, which reproduces the published 60y1m = 138.4.
 */
export function pensionDivisor(policy: PolicySet, ageMonths: number, date = "2025-01-01"): string {
  const years = Math.floor(ageMonths / 12);
  const rest = ageMonths % 12;
  const at = (age: number) => {
    const row = policy.lookup("pension-divisors", { age }, date);
    if (!row)
      throw new PolicyError("NO_POLICY", `No pension divisor for age ${age} on ${date}`, {
        age,
        date,
        table: "pension-divisors",
      });
    return new D(row.values.months as string);
  };
  const d0 = at(years);
  if (rest === 0) return d0.toString();
  return d0
    .minus(
      d0
        .minus(at(years + 1))
        .times(rest)
        .div(12),
    )
    .toDecimalPlaces(1, D.ROUND_HALF_UP)
    .toString();
}

export interface GapImpactInput {
  base: string | number;
  months: number;
  /** Retirement age in months (720 = 60 years). */
  ageMonths: number;
  personalAccountRate?: string;
}

/** A gap leaves base × 8% × months out of the personal account: 10000 × 8% × 3 = 2400, / 139 = 17.27 a month at 60. */
export function gapImpact(
  policy: PolicySet,
  input: GapImpactInput,
): { accountShortfall: string; divisor: string; monthlyPensionShortfall: string } {
  const shortfall = toDec(input.base, "base")
    .times(input.personalAccountRate ?? "8")
    .div(100)
    .times(input.months);
  const divisor = pensionDivisor(policy, input.ageMonths);
  return { accountShortfall: money(shortfall), divisor, monthlyPensionShortfall: money(shortfall.div(divisor)) };
}

export interface PensionInput {
  city: string;
  birthDate: string;
  category: RetirementCategory;
  /** Months actually contributed, with their base. */
  history?: { month: string; base: string | number }[];
  /** Projection for the months after the history, up to the month before retirement. */
  assumptions?: {
    startMonth: string;
    currentBase: string | number;
    /** Month currentBase applies to; default startMonth. */
    currentMonth?: string;
    /** Percent a year, applied on each anniversary of currentMonth. */
    annualGrowth?: string;
    gaps?: { from: string; to: string }[];
  };
  /** Overrides the table's average wage at retirement. */
  averageWage?: string;
  /** Percent a year for average wages outside the table's years; default the base growth, else 0. */
  wageGrowth?: string;
  /** Overrides the computed average contribution index. */
  averageContributionIndex?: string;
  /**
   * Percent a year credited to the personal account in years the crediting-rate table has no row
   * for (future years); default 0, so a projection shows contributions at face value.
   */
  accountInterest?: string;
  personalAccountRate?: string;
  initialBalance?: string;
}

export interface PensionResult {
  retirement: RetirementAge;
  contributionMonths: number;
  minimumContributionMonths: number;
  eligible: boolean;
  averageWage: string;
  averageContributionIndex: string;
  divisor: string;
  basicPension: string;
  personalAccountBalance: string;
  personalAccountPension: string;
  monthlyPension: string;
  /** With `assumptions.gaps`: what the gaps cost, from the unrounded figures of both simulations. */
  gapImpact?: {
    months: number;
    /** What the gap months leave out of the account at face value (base × 8% × months), as in the seed. */
    accountShortfall: string;
    /** That shortfall over the divisor: 2400 / 139 = 17.27 for 3 months at 10000, retiring at 60. */
    accountPensionShortfall: string;
    /** The whole monthly pension lost (basic pension and the account with its interest). */
    monthlyPensionShortfall: string;
  };
}

/** Each year's contribution index counts between 60% and 300% (the base limits), 国办发〔2019〕13号. */
const INDEX_FLOOR = "0.6";
const INDEX_CAP = "3";

function growth(percent: string, years: number): Dec {
  return new D(1).plus(new D(percent).div(100)).pow(years);
}

/** Average wage per year: the table where it has the year, else the nearest year grown at wageGrowth. */
function averageWages(policy: PolicySet, city: string, wageGrowth: string): (year: number) => Dec {
  const known = new Map<number, Dec>();
  for (const row of policy.rows("pension-average-wage")) {
    if (String(row.key.city) === city) known.set(Number(row.key.year), new D(row.values.wage as string));
  }
  if (known.size === 0)
    throw new PolicyError("NO_POLICY", `No pension average wage for city ${city}`, {
      city,
      table: "pension-average-wage",
    });
  const years = [...known.keys()].sort((a, b) => a - b);
  return (year) => {
    const hit = known.get(year);
    if (hit) return hit;
    const nearest = year < years[0] ? years[0] : years[years.length - 1];
    return known.get(nearest)!.times(growth(wageGrowth, year - nearest));
  };
}

function contributionMonths(input: PensionInput, lastMonth: string): { month: string; base: Dec }[] {
  const out = new Map<string, Dec>();
  for (const h of input.history ?? []) {
    const m = assertMonth(h.month, "history.month");
    if (m <= lastMonth) out.set(m, toDec(h.base, "history.base"));
  }
  const a = input.assumptions;
  if (a) {
    const latest = [...out.keys()].sort().pop();
    const from =
      latest && latest >= a.startMonth ? addMonths(latest, 1) : assertMonth(a.startMonth, "assumptions.startMonth");
    const anchor = monthIndex(assertMonth(a.currentMonth ?? a.startMonth, "assumptions.currentMonth"));
    const gaps = (a.gaps ?? []).map((g) => [g.from, g.to]);
    const base = toDec(a.currentBase, "assumptions.currentBase");
    for (const m of monthRange(from, lastMonth)) {
      if (out.has(m) || gaps.some(([f, t]) => m >= f && m <= t)) continue;
      const years = Math.floor((monthIndex(m) - anchor) / 12);
      out.set(m, base.times(growth(a.annualGrowth ?? "0", years)).toDecimalPlaces(2, D.ROUND_HALF_UP));
    }
  }
  return [...out.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([month, b]) => ({ month, base: b }));
}

/** Percent a year credited per year: the published rate where the table has the year, else the assumption. */
function creditingRate(policy: PolicySet, fallback: string): (year: number) => Dec {
  const known = new Map<number, Dec>();
  if (policy.has("pension-account-interest")) {
    for (const row of policy.rows("pension-account-interest"))
      known.set(Number(row.key.year), new D(row.values.rate as string));
  }
  const assumed = toDec(fallback, "accountInterest");
  return (year) => known.get(year) ?? assumed;
}

interface Unrounded {
  months: { month: string; base: Dec }[];
  index: Dec;
  balance: Dec;
  basic: Dec;
  account: Dec;
}

/**
 * The simulation without any rounding: each year's index clamped to [0.6, 3]; the account credited
 * yearly, the opening balance at the year's rate and each month's contribution for the months left in
 * the year (the contribution of month m earns (13 − m)/12 of the rate, 1.083 × ½ over a full year).
 */
function simulate(policy: PolicySet, input: PensionInput, retirement: RetirementAge, averageWage: Dec): Unrounded {
  const months = contributionMonths(input, addMonths(retirement.retirementMonth, -1));
  const wageOf = averageWages(policy, input.city, input.wageGrowth ?? input.assumptions?.annualGrowth ?? "0");
  const byYear = new Map<number, { month: number; base: Dec }[]>();
  for (const m of months) {
    const { year, month } = parseMonth(m.month);
    byYear.set(year, [...(byYear.get(year) ?? []), { month, base: m.base }]);
  }
  let index: Dec;
  if (input.averageContributionIndex !== undefined)
    index = toDec(input.averageContributionIndex, "averageContributionIndex");
  else if (months.length === 0) index = new D(0);
  else {
    let weighted = new D(0);
    for (const [year, list] of byYear) {
      const mean = list
        .reduce((sum, m) => sum.plus(m.base), new D(0))
        .div(list.length)
        .div(wageOf(year));
      weighted = weighted.plus(D.min(D.max(mean, INDEX_FLOOR), INDEX_CAP).times(list.length));
    }
    index = weighted.div(months.length);
  }
  const rate = new D(input.personalAccountRate ?? "8").div(100);
  const credit = creditingRate(policy, input.accountInterest ?? "0");
  let balance = toDec(input.initialBalance ?? "0", "initialBalance");
  const years = [...byYear.keys()].sort((x, y) => x - y);
  const first = years[0];
  const retirementYear = parseMonth(retirement.retirementMonth).year;
  if (first !== undefined) {
    for (let year = first; year < retirementYear; year++) {
      const r = credit(year).div(100);
      balance = balance.times(r.plus(1));
      for (const m of byYear.get(year) ?? []) {
        balance = balance.plus(
          m.base.times(rate).times(
            r
              .times(13 - m.month)
              .div(12)
              .plus(1),
          ),
        );
      }
    }
    // The retirement year is credited up to the retirement month only.
    const rm = parseMonth(retirement.retirementMonth).month;
    const r = credit(retirementYear).div(100);
    balance = balance.times(
      r
        .times(rm - 1)
        .div(12)
        .plus(1),
    );
    for (const m of byYear.get(retirementYear) ?? []) {
      balance = balance.plus(
        m.base.times(rate).times(
          r
            .times(rm - m.month)
            .div(12)
            .plus(1),
        ),
      );
    }
  }
  const divisor = new D(pensionDivisor(policy, retirement.ageMonths, retirement.retirementDate));
  const basic = averageWage.times(index.plus(1)).div(2).times(months.length).div(12).div(100);
  return { months, index, balance, basic, account: balance.div(divisor) };
}

export function simulatePension(policy: PolicySet, input: PensionInput): PensionResult {
  if (!input.history && !input.assumptions) {
    throw new PolicyError("INVALID_INPUT", "simulatePension needs a contribution history or assumptions");
  }
  const retirement = retirementAge(input.birthDate, input.category);
  const wageOf = averageWages(policy, input.city, input.wageGrowth ?? input.assumptions?.annualGrowth ?? "0");
  const averageWage = input.averageWage
    ? toDec(input.averageWage, "averageWage")
    : wageOf(parseMonth(retirement.retirementMonth).year);
  const run = simulate(policy, input, retirement, averageWage);
  const minimum = minimumContributionMonths(retirement.retirementMonth);
  const result: PensionResult = {
    retirement,
    contributionMonths: run.months.length,
    minimumContributionMonths: minimum,
    eligible: run.months.length >= minimum,
    averageWage: money(averageWage),
    // Shown to 4 decimals as on pension statements; the formula uses the exact figure.
    averageContributionIndex: run.index.toFixed(4, D.ROUND_HALF_UP),
    divisor: pensionDivisor(policy, retirement.ageMonths, retirement.retirementDate),
    basicPension: money(run.basic),
    personalAccountBalance: money(run.balance),
    personalAccountPension: money(run.account),
    // Rounded once, from the exact parts.
    monthlyPension: money(run.basic.plus(run.account)),
  };
  const gaps = input.assumptions?.gaps;
  if (gaps?.length) {
    const full = simulate(
      policy,
      { ...input, assumptions: { ...input.assumptions!, gaps: [] } },
      retirement,
      averageWage,
    );
    const kept = new Set(run.months.map((m) => m.month));
    const missing = full.months.filter((m) => !kept.has(m.month));
    const faceValue = missing.reduce(
      (sum, m) => sum.plus(m.base.times(input.personalAccountRate ?? "8").div(100)),
      new D(0),
    );
    result.gapImpact = {
      months: missing.length,
      accountShortfall: money(faceValue),
      accountPensionShortfall: money(faceValue.div(result.divisor)),
      monthlyPensionShortfall: money(full.basic.plus(full.account).minus(run.basic).minus(run.account)),
    };
  }
  return result;
}
