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
}

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

export function simulatePension(policy: PolicySet, input: PensionInput): PensionResult {
  if (!input.history && !input.assumptions) {
    throw new PolicyError("INVALID_INPUT", "simulatePension needs a contribution history or assumptions");
  }
  const retirement = retirementAge(input.birthDate, input.category);
  const months = contributionMonths(input, addMonths(retirement.retirementMonth, -1));
  const wageOf = averageWages(policy, input.city, input.wageGrowth ?? input.assumptions?.annualGrowth ?? "0");
  const retirementYear = parseMonth(retirement.retirementMonth).year;
  const averageWage = input.averageWage ? toDec(input.averageWage, "averageWage") : wageOf(retirementYear);

  let index: Dec;
  if (input.averageContributionIndex !== undefined)
    index = toDec(input.averageContributionIndex, "averageContributionIndex");
  else if (months.length === 0) index = new D(0);
  else
    index = months
      .reduce((sum, m) => sum.plus(m.base.div(wageOf(parseMonth(m.month).year))), new D(0))
      .div(months.length);
  // The index is stated to 4 decimals (as on pension statements) and the formula uses that figure.
  index = index.toDecimalPlaces(4, D.ROUND_HALF_UP);

  const rate = input.personalAccountRate ?? "8";
  const balance = months.reduce(
    (sum, m) => sum.plus(m.base.times(rate).div(100)),
    toDec(input.initialBalance ?? "0", "initialBalance"),
  );
  const divisor = pensionDivisor(policy, retirement.ageMonths, retirement.retirementDate);
  const basic = averageWage.times(new D(1).plus(index)).div(2).times(months.length).div(12).div(100);
  const basicPension = money(basic);
  const personalAccountPension = money(balance.div(divisor));
  const minimum = minimumContributionMonths(retirement.retirementMonth);
  return {
    retirement,
    contributionMonths: months.length,
    minimumContributionMonths: minimum,
    eligible: months.length >= minimum,
    averageWage: money(averageWage),
    averageContributionIndex: index.toFixed(4),
    divisor,
    basicPension,
    personalAccountBalance: money(balance),
    personalAccountPension,
    monthlyPension: new D(basicPension).plus(personalAccountPension).toFixed(2),
  };
}
