import { describe, expect, it } from "vitest";
import {
  gapImpact,
  minimumContributionMonths,
  PolicyDecimal,
  minimumContributionYears,
  monthRange,
  pensionDivisor,
  referencePolicySet,
  retirementAge,
  PolicySet,
  referenceTables,
  simulatePension,
  type RetirementCategory,
} from "../../policies";

const policy = referencePolicySet();
// The same reference data without the crediting-rate table: contributions at face value, for hand checks.
const noInterest = new PolicySet(referenceTables.filter((t) => t.def.key !== "pension-account-interest"));

describe("retirement age (2025 reform)", () => {
  const cases: [RetirementCategory, string, string, string][] = [
    // category, birth date, age (y m), retirement date
    ["male", "1964-12-15", "60 0", "2024-12-15"],
    ["male", "1965-01-10", "60 1", "2025-02-10"],
    ["male", "1965-04-30", "60 1", "2025-05-30"],
    ["male", "1965-05-31", "60 2", "2025-07-31"],
    ["male", "1970-01-15", "61 4", "2031-05-15"],
    ["male", "1976-08-01", "62 11", "2039-07-01"],
    ["male", "1976-09-01", "63 0", "2039-09-01"],
    ["male", "1990-06-01", "63 0", "2053-06-01"],
    ["female_cadre", "1969-12-31", "55 0", "2024-12-31"],
    ["female_cadre", "1970-01-20", "55 1", "2025-02-20"],
    ["female_cadre", "1975-06-15", "56 5", "2031-11-15"],
    ["female_cadre", "1981-08-01", "57 11", "2039-07-01"],
    ["female_cadre", "1981-09-01", "58 0", "2039-09-01"],
    ["female_worker", "1974-12-01", "50 0", "2024-12-01"],
    ["female_worker", "1975-01-01", "50 1", "2025-02-01"],
    ["female_worker", "1975-03-01", "50 2", "2025-05-01"],
    ["female_worker", "1975-12-31", "50 6", "2026-06-30"],
    ["female_worker", "1980-01-01", "52 7", "2032-08-01"],
    ["female_worker", "1984-10-01", "54 11", "2039-09-01"],
    ["female_worker", "1984-11-01", "55 0", "2039-11-01"],
    ["female_worker", "1995-02-28", "55 0", "2050-02-28"],
  ];
  for (const [category, birth, age, date] of cases) {
    it(`${category} born ${birth} retires at ${age} on ${date}`, () => {
      const r = retirementAge(birth, category);
      expect(`${r.age.years} ${r.age.months}`).toBe(age);
      expect(r.retirementDate).toBe(date);
      expect(r.retirementMonth).toBe(date.slice(0, 7));
    });
  }

  it("handles a 29 February birthday and rejects bad input", () => {
    expect(retirementAge("1976-02-29", "male")).toMatchObject({ delayMonths: 34, retirementDate: "2038-12-29" });
    expect(() => retirementAge("1976-02-30", "male")).toThrow(/birthDate/);
    expect(() => retirementAge("1976-02-01", "other" as RetirementCategory)).toThrow(/category/);
  });
});

describe("minimum contribution years", () => {
  it("15 until 2029, then +6 months a year to 20 in 2039", () => {
    expect([2025, 2029, 2030, 2031, 2035, 2039, 2045].map(minimumContributionMonths)).toEqual([
      180, 180, 186, 192, 216, 240, 240,
    ]);
    expect(minimumContributionYears("2030-05")).toBe("15.5");
    expect(minimumContributionYears(2039)).toBe("20.0");
  });
});

describe("personal-account divisors (国发〔2005〕38号)", () => {
  it("ships the full table for ages 40–70", () => {
    const table = [
      233, 230, 226, 223, 220, 216, 212, 207, 204, 199, 195, 190, 185, 180, 175, 170, 164, 158, 152, 145, 139, 132, 125,
      117, 109, 101, 93, 84, 75, 65, 56,
    ];
    expect(table.map((_, i) => pensionDivisor(policy, (40 + i) * 12))).toEqual(table.map(String));
  });

  it("interpolates months: 60y1m = 138.4", () => {
    expect(pensionDivisor(policy, 721)).toBe("138.4");
    expect(pensionDivisor(policy, 55 * 12 + 1)).toBe("169.5");
    expect(pensionDivisor(policy, 50 * 12 + 1)).toBe("194.6");
    expect(() => pensionDivisor(policy, 39 * 12)).toThrow(expect.objectContaining({ code: "NO_POLICY" }));
  });
});

describe("gap effect", () => {
  it("3 months at base 10000 leave 2400 out of the account, 17.27 a month less at 60", () => {
    expect(gapImpact(policy, { base: 10000, months: 3, ageMonths: 720 })).toEqual({
      accountShortfall: "2400.00",
      divisor: "139",
      monthlyPensionShortfall: "17.27",
    });
  });

  it("the simulation shows the same shortfall", () => {
    const months = monthRange("2009-06", "2024-05");
    const full = simulatePension(noInterest, {
      city: "110000",
      birthDate: "1964-06-15",
      category: "male",
      history: months.map((month) => ({ month, base: 10000 })),
    });
    const gap = simulatePension(noInterest, {
      city: "110000",
      birthDate: "1964-06-15",
      category: "male",
      history: months
        .filter((m) => !["2015-01", "2015-02", "2015-03"].includes(m))
        .map((month) => ({ month, base: 10000 })),
    });
    expect(new PolicyDecimal(full.personalAccountBalance).minus(gap.personalAccountBalance).toFixed(2)).toBe("2400.00");
    // 144000 / 139 = 1035.97 and 141600 / 139 = 1018.71 when each is rounded: the monthly pensions are
    // rounded once, from exact parts, so they differ by 2400 / 139 plus the basic-pension part.
    expect(new PolicyDecimal(full.personalAccountPension).minus(gap.personalAccountPension).toFixed(2)).toBe("17.26");
    expect(gap.eligible).toBe(false); // 177 < 180 months
  });
});

describe("pension simulation", () => {
  it("from a 15-year history in Beijing (hand-checked)", () => {
    const history = monthRange("2009-06", "2024-05").map((month) => ({ month, base: "10000" }));
    const r = simulatePension(noInterest, { city: "110000", birthDate: "1964-06-15", category: "male", history });
    expect(r).toMatchObject({
      contributionMonths: 180,
      minimumContributionMonths: 180,
      eligible: true,
      averageWage: "11883.00",
      averageContributionIndex: "0.8415",
      divisor: "139",
      // The exact index 10000 / 11883 (shown as 0.8415): (11883 + 10000) / 2 × 15 × 1% = 1641.225
      basicPension: "1641.23",
      personalAccountBalance: "144000.00",
      personalAccountPension: "1035.97",
      monthlyPension: "2677.20", // rounded once: 1641.225 + 144000 / 139 (1035.9712) = 2677.1962
    });
  });

  it("from assumptions, with a gap, until the month before retirement", () => {
    const base = {
      city: "110000",
      birthDate: "1990-03-10",
      category: "female_worker" as const,
      assumptions: { startMonth: "2015-03", currentBase: "8000" },
    };
    const r = simulatePension(noInterest, base);
    expect(r.retirement.retirementMonth).toBe("2045-03");
    expect(r).toMatchObject({
      contributionMonths: 360,
      minimumContributionMonths: 240,
      eligible: true,
      averageWage: "12049.00",
      personalAccountBalance: "230400.00",
      divisor: "170",
      personalAccountPension: "1355.29",
    });
    const withGap = simulatePension(noInterest, {
      ...base,
      assumptions: { ...base.assumptions, gaps: [{ from: "2020-01", to: "2020-03" }] },
    });
    expect(withGap.contributionMonths).toBe(357);
  });

  it("grows the base on each anniversary and continues after a history", () => {
    const r = simulatePension(noInterest, {
      city: "110000",
      birthDate: "1964-06-15",
      category: "male",
      history: [{ month: "2022-06", base: 5000 }],
      assumptions: { startMonth: "2022-06", currentMonth: "2022-07", currentBase: "10000", annualGrowth: "10" },
      averageContributionIndex: "1",
    });
    // 2022-07..2023-06 at 10000, 2023-07..2024-05 at 11000; plus 5000 once
    expect(r.contributionMonths).toBe(24);
    expect(r.personalAccountBalance).toBe("19680.00"); // (5000 + 12 × 10000 + 11 × 11000) × 8% = 246000 × 8%
    expect(r.basicPension).toBe("237.66"); // 11883 × 2 / 2 × 2 × 1%
  });

  it("caps each year's contribution index at 3 and floors it at 0.6", () => {
    const at = (base: string) =>
      simulatePension(noInterest, {
        city: "110000",
        birthDate: "1964-06-15",
        category: "male",
        history: monthRange("2024-01", "2024-05").map((month) => ({ month, base })),
      }).averageContributionIndex;
    expect(at("100000")).toBe("3.0000"); // 100000 / 11883 = 8.42 counts as 3
    expect(at("1000")).toBe("0.6000"); // 1000 / 11883 = 0.08 counts as 0.6
    expect(at("11883")).toBe("1.0000");
  });

  it("credits the published rate each year: the opening balance in full, each month for the months left", () => {
    // 2023 at 10000 a month (800 into the account), retiring in 2025; 2023 3.97 %, 2024 2.62 %, 2025 none.
    const r = simulatePension(policy, {
      city: "110000",
      birthDate: "1965-03-15",
      category: "male",
      history: monthRange("2023-01", "2023-12").map((month) => ({ month, base: "10000" })),
    });
    // Σ 800 × (1 + 3.97% × (13 − m)/12) = 9600 + 800 × 3.97% × 6.5 = 9806.44; × 1.0262 = 10063.369…
    expect(r.personalAccountBalance).toBe("10063.37");
    const assumed = simulatePension(policy, {
      city: "110000",
      birthDate: "1965-03-15",
      category: "male",
      history: monthRange("2023-01", "2023-12").map((month) => ({ month, base: "10000" })),
      accountInterest: "5",
    });
    // 2025 has no published rate: the assumption (5 %) credits the balance from 2025-01 to the retirement month.
    const rm = Number(assumed.retirement.retirementMonth.slice(5, 7));
    const exact = new PolicyDecimal("9806.44").times("1.0262");
    expect(assumed.personalAccountBalance).toBe(
      exact
        .times(
          new PolicyDecimal("0.05")
            .times(rm - 1)
            .div(12)
            .plus(1),
        )
        .toFixed(2),
    );
  });

  it("states what a gap costs, rounded once: the seed's 3 months at 10000, retiring at 60, are 17.27", () => {
    const input = {
      city: "110000",
      birthDate: "1964-06-15",
      category: "male" as const,
      assumptions: { startMonth: "2009-06", currentBase: "10000", gaps: [{ from: "2010-01", to: "2010-03" }] },
      averageContributionIndex: "1",
    };
    const r = simulatePension(noInterest, input);
    // Face value 10000 × 8% × 3 = 2400, over 139: 17.2661… → 17.27 (rounding each pension first gave 17.26).
    expect(r.gapImpact).toMatchObject({ months: 3, accountShortfall: "2400.00", accountPensionShortfall: "17.27" });
    // Without interest the whole loss is that plus the basic pension's 3 months: 11883 × 2 / 2 × 3/12 % = 29.7075.
    expect(r.gapImpact!.monthlyPensionShortfall).toBe("46.97"); // 17.2661 + 29.7075 = 46.9736
    // With the published crediting rates the account loses more: 2400 grew from 2016 to 2024.
    const credited = simulatePension(policy, input);
    expect(credited.gapImpact!.accountPensionShortfall).toBe("17.27");
    expect(Number(credited.gapImpact!.monthlyPensionShortfall)).toBeGreaterThan(46.97);
  });

  it("needs a history or assumptions", () => {
    expect(() => simulatePension(policy, { city: "110000", birthDate: "1964-06-15", category: "male" })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });
});
