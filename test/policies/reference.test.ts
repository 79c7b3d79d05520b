import { describe, expect, it } from "vitest";
import { REFERENCE_CITY_CODES as CITIES } from "../../domain";
import { referencePolicySet, referenceTables, validateTable } from "../../policies";

const policy = referencePolicySet();

describe("shipped reference tables", () => {
  it("has every table, each valid with source, confidence and effective range on every row", () => {
    expect(referenceTables.map((t) => t.def.key)).toEqual([
      "si-base-limits",
      "si-rates",
      "si-work-injury-classes",
      "si-housing-fund",
      "si-city-settings",
      "pension-divisors",
      "pension-average-wage",
      "pension-account-interest",
    ]);
    for (const { def, rows } of referenceTables) {
      expect(validateTable(def, rows), def.key).toEqual([]);
      for (const r of rows) {
        expect(r.source.length).toBeGreaterThan(0);
        if (r.confidence === "L") expect(r.note ?? r.source, `${def.key} ${JSON.stringify(r.key)}`).toBeTruthy();
      }
    }
  });

  it("keeps housing-fund limits equal in si-housing-fund and si-base-limits", () => {
    for (const r of policy.rows("si-housing-fund")) {
      const limits = policy.lookup("si-base-limits", { city: r.key.city, insurance: "housing_fund" }, r.effectiveFrom)!;
      expect([limits.values.lower, limits.values.upper, limits.effectiveTo]).toEqual([
        r.values.lower,
        r.values.upper,
        r.effectiveTo,
      ]);
    }
  });

  it("has rates, settings and eight work-injury classes for every month a city has limits", () => {
    for (const city of CITIES) {
      const months = policy.history("si-base-limits", { city, insurance: "pension" }).map((r) => r.effectiveFrom);
      for (const date of months) {
        for (const insurance of ["pension", "medical", "unemployment", "maternity"]) {
          expect(policy.lookup("si-rates", { city, insurance }, date), `${city} ${insurance} ${date}`).toBeDefined();
        }
        for (let c = 1; c <= 8; c++)
          expect(policy.lookup("si-work-injury-classes", { city, riskClass: c }, date)).toBeDefined();
        expect(policy.lookup("si-city-settings", { city }, date)?.values).toMatchObject({
          baseYearStartMonth: 7,
          rounding: "HALF_UP",
          lateFeeDailyRate: "0.05",
        });
      }
    }
  });

  it("ships the city settings the product relies on", () => {
    const s = (city: string) => policy.lookup("si-city-settings", { city }, "2025-01-01")!;
    expect(s("440100").values.backPaymentWindowMonths).toBe(6);
    expect(s("440100").confidence).toBe("L");
    expect(s("440300").values.backPaymentWindowMonths).toBe(3);
    expect(s("110000").values.paymentDeadlineDay).toBe(25);
  });

  it("marks figures with the reference's confidence", () => {
    const lim = (city: string, insurance: string, date: string) =>
      policy.lookup("si-base-limits", { city, insurance }, date)!;
    expect(lim("110000", "pension", "2024-07-01").confidence).toBe("H");
    expect(lim("310000", "pension", "2024-07-01").confidence).toBe("H");
    expect(lim("510100", "pension", "2024-07-01").confidence).toBe("L");
    expect(lim("440100", "medical", "2023-07-01").confidence).toBe("L");
    expect(policy.lookup("si-rates", { city: "330100", insurance: "medical" }, "2024-06-01")!.note).toMatch(
      /not verified/,
    );
    expect(policy.lookup("pension-average-wage", { city: "110000", year: 2024 }, "2024-06-01")!.values.wage).toBe(
      "11883",
    );
    expect(policy.lookup("pension-average-wage", { city: "110000", year: 2025 }, "2025-06-01")!.values.wage).toBe(
      "12049",
    );
    expect(policy.lookup("pension-divisors", { age: 60 }, "2025-01-01")!.note).toMatch(/138\.4/);
  });
});
