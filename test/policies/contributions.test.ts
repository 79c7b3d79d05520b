import { describe, expect, it } from "vitest";
import { calculateContributions, PolicyError, referencePolicySet, type ContributionInput } from "../../policies";

const policy = referencePolicySet();
const calc = (input: ContributionInput) => calculateContributions(policy, input);
const item = (input: ContributionInput, insurance: string) => calc(input).items.find((i) => i.insurance === insurance)!;

const SI = ["pension", "medical", "unemployment", "work_injury", "maternity"];
const MED = ["medical", "maternity"];
const UNEMP = ["unemployment", "work_injury"];
const HF = ["housing_fund"];

/** Hand-copied from the reference: [city, base year (July..June), types, lower, upper]. */
const LIMITS: [string, number, string[], string, string][] = [
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
  ["440100", 2024, ["pension"], "5284", "26421"],
  ["440100", 2024, MED, "5996", "29979"],
  ["440100", 2024, UNEMP, "2300", "38082"],
  ["440100", 2025, ["pension"], "5510", "27549"],
  ["440100", 2025, MED, "5996", "29979"],
  ["440100", 2025, UNEMP, "2300", "38082"],
  ["440100", 2023, HF, "2300", "39579"],
  ["440100", 2024, HF, "2300", "39579"],
  ["440100", 2025, HF, "2300", "39579"],
  ["440300", 2023, ["pension"], "2360", "26421"],
  ["440300", 2023, MED, "7778", "38892"],
  ["440300", 2023, UNEMP, "2360", "38892"],
  ["440300", 2024, ["pension"], "3523", "26421"],
  ["440300", 2024, MED, "6475", "32376"],
  ["440300", 2024, UNEMP, "2360", "43659"],
  ["440300", 2025, ["pension"], "4775", "27549"],
  ["440300", 2025, MED, "6733", "33666"],
  ["440300", 2025, UNEMP, "2520", "44934"],
  ["440300", 2023, HF, "2360", "38892"],
  ["440300", 2024, HF, "2360", "43659"],
  ["440300", 2025, HF, "2520", "44934"],
  ["330100", 2023, [...SI, ...HF], "4462", "24060"],
  ["330100", 2024, [...SI, ...HF], "4812", "24930"],
  ["330100", 2025, [...SI, ...HF], "4986", "25299"],
  ["510100", 2024, [...SI, ...HF], "4511", "22555"],
  ["510100", 2025, [...SI, ...HF], "4588", "22938"],
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
      it(`${city} ${year}/${year + 1} ${insurance}: ${lower}..${upper}`, () => {
        for (const month of [`${year}-07`, `${year + 1}-06`]) {
          const at = (wage: string) => item({ city, month, wage, insurances: [insurance] }, insurance).base;
          expect(at("0")).toBe(`${lower}.00`);
          expect(at(String(Number(lower) - 1))).toBe(`${lower}.00`);
          expect(at(lower)).toBe(`${lower}.00`);
          expect(at("10000.5")).toBe("10000.50");
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
    expect(item(base, "pension").employerRate).toBe("16");
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
