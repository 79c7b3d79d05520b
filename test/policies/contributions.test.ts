import { describe, expect, it } from "vitest";
import {
  calculateContributions,
  createPolicySet,
  PolicyError,
  referencePolicySet,
  referenceTables,
  withRows,
  type ContributionInput,
  type PolicyRow,
} from "../../policies";

const policy = referencePolicySet();
const calc = (input: ContributionInput) => calculateContributions(policy, input);
const item = (input: ContributionInput, insurance: string) => calc(input).items.find((i) => i.insurance === insurance)!;

const SI = ["pension", "medical", "unemployment", "work_injury", "maternity"];
const MED = ["medical", "maternity"];
const UNEMP = ["unemployment"];
const HF = ["housing_fund"];
const WI = ["work_injury"];

/** Hand-copied from the reference: [city, base year (July..June), types, lower, upper (null: none)]. */
const LIMITS: [string, number, string[], string, string | null][] = [
  ["110000", 2022, SI, "5869", "31884"],
  ["110000", 2023, SI, "6326", "33891"],
  ["110000", 2024, SI, "6821", "35283"],
  ["110000", 2025, SI, "7162", "35811"],
  ["110000", 2022, HF, "2320", "31884"],
  ["110000", 2023, HF, "2320", "33891"],
  ["110000", 2024, HF, "2420", "35283"],
  ["110000", 2025, HF, "2540", "35811"],
  ["310000", 2022, SI, "6520", "34188"],
  ["310000", 2023, SI, "7310", "36549"],
  ["310000", 2024, SI, "7384", "36921"],
  ["310000", 2025, SI, "7460", "37302"],
  ["310000", 2022, HF, "2590", "34188"],
  ["310000", 2023, HF, "2690", "36549"],
  ["310000", 2024, HF, "2690", "36921"],
  ["310000", 2025, HF, "2690", "37302"],
  ["440100", 2023, ["pension"], "5284", "26421"],
  ["440100", 2023, MED, "5996", "29979"],
  ["440100", 2023, UNEMP, "2300", "38082"],
  ["440100", 2023, WI, "2100", null],
  ["440100", 2024, ["pension"], "5284", "26421"],
  ["440100", 2024, MED, "5996", "29979"],
  ["440100", 2024, UNEMP, "2300", "38082"],
  ["440100", 2024, WI, "2100", null],
  ["440100", 2025, ["pension"], "5510", "27549"],
  ["440100", 2025, MED, "5996", "29979"],
  ["440100", 2025, UNEMP, "2300", "38082"],
  ["440100", 2025, WI, "2100", null],
  ["440100", 2023, HF, "2300", "39579"],
  ["440100", 2024, HF, "2300", "39579"],
  ["440100", 2025, HF, "2300", "39579"],
  ["440300", 2023, ["pension"], "2360", "26421"],
  ["440300", 2023, MED, "7778", "38892"],
  ["440300", 2023, UNEMP, "2360", "38892"],
  ["440300", 2023, WI, "2360", null],
  ["440300", 2024, ["pension"], "3523", "26421"],
  ["440300", 2024, MED, "6475", "32376"],
  ["440300", 2024, UNEMP, "2360", "43659"],
  ["440300", 2024, WI, "2360", null],
  ["440300", 2025, ["pension"], "4775", "27549"],
  ["440300", 2025, MED, "6733", "33666"],
  ["440300", 2025, UNEMP, "2520", "44934"],
  ["440300", 2025, WI, "2520", null],
  ["440300", 2023, HF, "2360", "38892"],
  ["440300", 2024, HF, "2360", "43659"],
  ["440300", 2025, HF, "2520", "44934"],
  ["330100", 2023, SI, "4462", "24060"],
  ["330100", 2024, SI, "4812", "24930"],
  ["330100", 2025, SI, "4986", "25299"],
  ["510100", 2024, SI, "4511", "22555"],
  ["510100", 2025, SI, "4588", "22938"],
  // Housing-fund lower limits: the provincial minimum wage of a public table (audit of 2026-12-01, L).
  ["330100", 2023, HF, "2070", "24060"],
  ["330100", 2024, HF, "2070", "24930"],
  ["330100", 2025, HF, "2070", "25299"],
  ["510100", 2024, HF, "1970", "22555"],
  ["510100", 2025, HF, "1970", "22938"],
];

describe("acceptance: Beijing", () => {
  it("110000, 2024-09, wage 40000: pension base 35283.00, employer 5645.28, employee 2822.64", () => {
    const pension = calc({ city: "110000", month: "2024-09", wage: 40000 }).items.find(
      (i) => i.insurance === "pension",
    )!;
    expect(pension).toMatchObject({
      base: "35283.00",
      employer: "5645.28",
      employee: "2822.64",
      employerRate: "16",
      employeeRate: "8",
    });
  });

  it("1999-01 has no policy: NO_POLICY naming the month", () => {
    let err: unknown;
    try {
      calc({ city: "110000", month: "1999-01", wage: 40000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe("NO_POLICY");
    expect((err as PolicyError).message).toMatch(/1999-01/);
    expect((err as PolicyError).message).toMatch(/110000/);
    expect((err as PolicyError).details).toMatchObject({ city: "110000", month: "1999-01" });
  });

  it("whole Beijing month at 40000 (hand-checked)", () => {
    const r = calc({ city: "110000", month: "2024-09", wage: 40000 });
    expect(r.items.map((i) => [i.insurance, i.employer, i.employee])).toEqual([
      ["pension", "5645.28", "2822.64"],
      ["medical", "3457.73", "708.66"], // 35283 × 9.8% = 3457.734; × 2% + 3 = 708.66
      ["unemployment", "176.42", "176.42"],
      ["work_injury", "70.57", "0.00"],
      ["maternity", "0.00", "0.00"],
      ["housing_fund", "1764.15", "1764.15"],
    ]);
    expect(r.totals).toEqual({ employer: "11114.15", employee: "5471.87" });
  });
});

describe("base clamping for every shipped city, period and insurance type", () => {
  it("covers every row of si-base-limits", () => {
    const expected = LIMITS.reduce((n, [, , types]) => n + types.length, 0);
    expect(policy.rows("si-base-limits")).toHaveLength(expected);
  });

  for (const [city, year, types, lower, upper] of LIMITS) {
    for (const insurance of types) {
      it(`${city} ${year}/${year + 1} ${insurance}: ${lower}..${upper ?? "no upper"}`, () => {
        for (const month of [`${year}-07`, `${year + 1}-06`]) {
          const at = (wage: string) => item({ city, month, wage, insurances: [insurance] }, insurance).base;
          expect(at("0")).toBe(`${lower}.00`);
          expect(at(String(Number(lower) - 1))).toBe(`${lower}.00`);
          expect(at(lower)).toBe(`${lower}.00`);
          expect(at("10000.5")).toBe("10000.50");
          if (upper === null) {
            expect(at("1000000")).toBe("1000000.00");
            continue;
          }
          expect(at(upper)).toBe(`${upper}.00`);
          expect(at(String(Number(upper) + 1))).toBe(`${upper}.00`);
          expect(at("1000000")).toBe(`${upper}.00`);
        }
      });
    }
  }
});

describe("rates", () => {
  it("Beijing medical adds the fixed CNY 3 to the employee share", () => {
    const m = item({ city: "110000", month: "2024-09", wage: 1000, insurances: ["medical"] }, "medical");
    expect(m).toMatchObject({ base: "6821.00", employer: "668.46", employee: "139.42" }); // 6821 × 2% = 136.42 + 3
  });

  it("Shenzhen pension: 16% for local hukou, 15% for non-local", () => {
    const base = { city: "440300", month: "2024-09", wage: 2000, insurances: ["pension"] };
    expect(item({ ...base, hukouLocal: true }, "pension")).toMatchObject({
      base: "3523.00",
      employer: "563.68",
      employee: "281.84",
      employerRate: "16",
    });
    expect(item({ ...base, hukouLocal: false }, "pension")).toMatchObject({
      base: "3523.00",
      employer: "528.45",
      employee: "281.84",
      employerRate: "15",
    });
    // Absent means non-local, the same default as a new employee record.
    expect(item(base, "pension").employerRate).toBe("15");
  });

  it("Shenzhen tier-1 medical 5/2 and separate maternity line", () => {
    const r = calc({ city: "440300", month: "2024-09", wage: 10000, insurances: ["medical", "maternity"] });
    expect(r.items.map((i) => [i.employer, i.employee])).toEqual([
      ["500.00", "200.00"],
      ["45.00", "0.00"],
    ]);
  });

  it("Shanghai medical: 10% in 2023, 9% from 2024", () => {
    expect(item({ city: "310000", month: "2023-09", wage: 10000, insurances: ["medical"] }, "medical").employer).toBe(
      "1000.00",
    );
    expect(item({ city: "310000", month: "2024-09", wage: 10000, insurances: ["medical"] }, "medical").employer).toBe(
      "900.00",
    );
  });

  it("work injury follows the risk class", () => {
    const wi = (city: string, workInjuryClass: number) =>
      item({ city, month: "2024-09", wage: 10000, workInjuryClass, insurances: ["work_injury"] }, "work_injury");
    expect(wi("110000", 8)).toMatchObject({ employerRate: "1.9", employer: "190.00", employee: "0.00" });
    expect(wi("310000", 8)).toMatchObject({ employerRate: "1.52", employer: "152.00" });
    expect(wi("310000", 1).employerRate).toBe("0.16");
    expect(wi("440100", 8).employerRate).toBe("1.4");
    expect(() => wi("110000", 9)).toThrow(/workInjuryClass/);
  });

  it("Guangzhou 2024 totals for a mid wage (hand-checked)", () => {
    const r = calc({
      city: "440100",
      month: "2024-09",
      wage: 10000,
      insurances: ["pension", "medical", "unemployment"],
    });
    expect(r.totals).toEqual({ employer: "2115.00", employee: "1020.00" }); // 1500 + 535 + 80; 800 + 200 + 20
  });
});

describe("housing fund and errors", () => {
  const hf = (housingFundRate?: string, supplementaryHousingFundRate?: string) =>
    calc({
      city: "310000",
      month: "2024-09",
      wage: 20000,
      insurances: ["housing_fund"],
      housingFundRate,
      supplementaryHousingFundRate,
    });

  it("defaults to the minimum rate and accepts rates in range", () => {
    expect(hf().items[0]).toMatchObject({ employer: "1000.00", employee: "1000.00", employerRate: "5" });
    expect(hf("7").items[0].employer).toBe("1400.00");
    expect(hf("7", "5").items[1]).toMatchObject({ insurance: "housing_fund_supplementary", employer: "1000.00" });
  });

  it("refuses rates out of range with INVALID_RATE", () => {
    expect(() => hf("8")).toThrow(expect.objectContaining({ code: "INVALID_RATE" }));
    expect(() => hf("4.99")).toThrow(expect.objectContaining({ code: "INVALID_RATE" }));
    expect(() => hf("5", "6")).toThrow(expect.objectContaining({ code: "INVALID_RATE" }));
    expect(() =>
      calc({
        city: "110000",
        month: "2024-09",
        wage: 1,
        insurances: ["housing_fund"],
        supplementaryHousingFundRate: "1",
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_RATE" }));
    expect(
      calc({ city: "110000", month: "2024-09", wage: 30000, insurances: ["housing_fund"], housingFundRate: "12" })
        .items[0].employee,
    ).toBe("3600.00");
  });

  it("refuses negative or malformed wages with INVALID_WAGE", () => {
    expect(() => calc({ city: "110000", month: "2024-09", wage: -1 })).toThrow(
      expect.objectContaining({ code: "INVALID_WAGE" }),
    );
    expect(() => calc({ city: "110000", month: "2024-09", wage: "abc" })).toThrow(
      expect.objectContaining({ code: "INVALID_WAGE" }),
    );
  });

  it("NO_POLICY for an unknown city or a month outside the data", () => {
    expect(() => calc({ city: "999999", month: "2024-09", wage: 1 })).toThrow(
      expect.objectContaining({ code: "NO_POLICY" }),
    );
    expect(() => calc({ city: "510100", month: "2024-06", wage: 1 })).toThrow(/2024-06/);
  });

  it("keeps cents exact with decimal wages", () => {
    expect(
      item({ city: "110000", month: "2024-09", wage: "10000.10", insurances: ["pension"] }, "pension"),
    ).toMatchObject({ employer: "1600.02", employee: "800.01" });
  });
});

describe("work-injury base without an upper limit (audit of 2026-12-01)", () => {
  const wi = (city: string, wage: string) =>
    item({ city, month: "2024-09", wage, insurances: ["work_injury"] }, "work_injury");

  it("Guangzhou 2024: 100,000 uses a base of 100,000; 1,000 uses the lower limit 2,100", () => {
    expect(wi("440100", "100000")).toMatchObject({ base: "100000.00", employer: "200.00", employerRate: "0.2" });
    expect(wi("440100", "1000")).toMatchObject({ base: "2100.00", employer: "4.20" });
  });

  it("Shenzhen 2024: no upper limit, the lower limit still applies; other types keep their upper", () => {
    expect(wi("440300", "100000").base).toBe("100000.00");
    expect(wi("440300", "1000").base).toBe("2360.00");
    expect(item({ city: "440300", month: "2024-09", wage: "100000", insurances: ["pension"] }, "pension").base).toBe(
      "26421.00",
    );
  });

  it("a consultant's row with an upper limit clamps again", () => {
    const rows = policy
      .rows("si-base-limits")
      .map((r) =>
        r.key.city === "440100" && r.key.insurance === "work_injury"
          ? { ...r, values: { lower: "2100", upper: "50000" } }
          : r,
      );
    const edited = createPolicySet(withRows(referenceTables, { "si-base-limits": rows }));
    const r = calculateContributions(edited, {
      city: "440100",
      month: "2024-09",
      wage: "100000",
      insurances: ["work_injury"],
    });
    expect(r.items[0].base).toBe("50000.00");
  });
});

describe("housing fund: one table of limits, each side's rate, supplementary fund", () => {
  const hf = (input: Partial<ContributionInput> & { city: string; month: string; wage: string }) =>
    calc({ ...input, insurances: ["housing_fund"] }).items.map((i) => [i.insurance, i.base, i.employer, i.employee]);

  it("pins Beijing and Shanghai results from before the limits left si-housing-fund", () => {
    // Computed with the code and data of d538d3b (limits stored twice) and unchanged since.
    expect(hf({ city: "110000", month: "2024-09", wage: "1000" })).toEqual([
      ["housing_fund", "2420.00", "121.00", "121.00"],
    ]);
    expect(hf({ city: "110000", month: "2024-09", wage: "18000.55", housingFundRate: "12" })).toEqual([
      ["housing_fund", "18000.55", "2160.07", "2160.07"],
    ]);
    expect(hf({ city: "110000", month: "2025-09", wage: "50000", housingFundRate: "7.5" })).toEqual([
      ["housing_fund", "35811.00", "2685.83", "2685.83"],
    ]);
    expect(hf({ city: "310000", month: "2024-09", wage: "1000" })).toEqual([
      ["housing_fund", "2690.00", "134.50", "134.50"],
    ]);
    expect(
      hf({
        city: "310000",
        month: "2024-09",
        wage: "23456.78",
        housingFundRate: "7",
        supplementaryHousingFundRate: "5",
      }),
    ).toEqual([
      ["housing_fund", "23456.78", "1641.97", "1641.97"],
      ["housing_fund_supplementary", "23456.78", "1172.84", "1172.84"],
    ]);
    expect(
      hf({ city: "310000", month: "2025-09", wage: "50000", housingFundRate: "6", supplementaryHousingFundRate: "1" }),
    ).toEqual([
      ["housing_fund", "37302.00", "2238.12", "2238.12"],
      ["housing_fund_supplementary", "37302.00", "373.02", "373.02"],
    ]);
  });

  it("reads the limits from si-base-limits: a consultant's edit there changes the base", () => {
    const rows = policy
      .rows("si-base-limits")
      .map((r) =>
        r.key.city === "110000" && r.key.insurance === "housing_fund"
          ? { ...r, values: { lower: "3000", upper: "9000" } }
          : r,
      );
    const edited = createPolicySet(withRows(referenceTables, { "si-base-limits": rows }));
    const at = (wage: string) =>
      calculateContributions(edited, { city: "110000", month: "2024-09", wage, insurances: ["housing_fund"] }).items[0]
        .base;
    expect([at("1000"), at("50000")]).toEqual(["3000.00", "9000.00"]);
  });

  it("takes the employer's and the employee's rate separately, each within the range, default the minimum", () => {
    const r = calc({
      city: "110000",
      month: "2024-09",
      wage: "10000",
      insurances: ["housing_fund"],
      housingFundEmployerRate: "12",
    }).items[0];
    expect(r).toMatchObject({ employerRate: "12", employeeRate: "5", employer: "1200.00", employee: "500.00" });
    const both = calc({
      city: "110000",
      month: "2024-09",
      wage: "10000",
      insurances: ["housing_fund"],
      housingFundRate: "8",
      housingFundEmployeeRate: "10",
    }).items[0];
    expect(both).toMatchObject({ employerRate: "8", employeeRate: "10", employer: "800.00", employee: "1000.00" });
    expect(() =>
      calc({
        city: "110000",
        month: "2024-09",
        wage: "1",
        insurances: ["housing_fund"],
        housingFundEmployeeRate: "13",
      }),
    ).toThrow(
      expect.objectContaining({
        code: "INVALID_RATE",
        details: expect.objectContaining({ field: "housingFundEmployeeRate" }),
      }),
    );
  });

  it("adds Shanghai's supplementary fund per side (1%–5%) only when asked; Beijing has none", () => {
    const sh = (extra: Partial<ContributionInput>) =>
      calc({ city: "310000", month: "2024-09", wage: "20000", insurances: ["housing_fund"], ...extra }).items;
    expect(sh({})).toHaveLength(1);
    expect(sh({ supplementaryHousingFundEmployerRate: "3" })[1]).toMatchObject({
      insurance: "housing_fund_supplementary",
      employerRate: "3",
      employeeRate: "1",
      employer: "600.00",
      employee: "200.00",
    });
    expect(() => sh({ supplementaryHousingFundEmployeeRate: "0.5" })).toThrow(
      expect.objectContaining({ code: "INVALID_RATE" }),
    );
    expect(() =>
      calc({
        city: "110000",
        month: "2024-09",
        wage: "1",
        insurances: ["housing_fund"],
        supplementaryHousingFundEmployerRate: "1",
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_RATE" }));
  });
});

describe("rounding as policy (si-rounding)", () => {
  // Guangzhou work injury, class 1 (0.2%), no upper: a wage of 61,705 gives exactly 123.41.
  const input: ContributionInput = { city: "440100", month: "2024-09", wage: "61705", insurances: ["work_injury"] };
  const withRounding = (values: Record<string, string | number>, insurance = "work_injury") => {
    const rows: PolicyRow[] = policy
      .rows("si-rounding")
      .map((r) => (r.key.city === "440100" && r.key.insurance === insurance ? { ...r, values } : r));
    return createPolicySet(withRows(referenceTables, { "si-rounding": rows }));
  };

  it("defaults to the cent, half up", () => {
    expect(calc(input).items[0].employer).toBe("123.41");
  });

  it("a consultant's row of up-to-the-jiao turns 123.41 into 123.50", () => {
    const r = calculateContributions(withRounding({ mode: "UP", precision: 1 }), input);
    expect(r.items[0].employer).toBe("123.50");
    expect(r.totals.employer).toBe("123.50");
  });

  it("rounds per insurance type: a row for another type leaves work injury alone; to the yuan, down", () => {
    expect(calculateContributions(withRounding({ mode: "UP", precision: 1 }, "pension"), input).items[0].employer).toBe(
      "123.41",
    );
    expect(calculateContributions(withRounding({ mode: "DOWN", precision: 0 }), input).items[0].employer).toBe(
      "123.00",
    );
  });

  it("falls back to the city's mode, to the cent, when the tenant has no si-rounding table", () => {
    const without = createPolicySet(referenceTables.filter((t) => t.def.key !== "si-rounding"));
    expect(calculateContributions(without, input).items[0].employer).toBe("123.41");
  });
});
