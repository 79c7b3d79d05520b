import { describe, expect, it } from "vitest";
import { REFERENCE_CITY_CODES as CITIES } from "../../domain";
import { referencePolicySet, referenceTables, validateTable } from "../../policies";

const policy = referencePolicySet();

/** Publications a shipped row may name without a notice number or an address. */
const KNOWN_PUBLICATIONS = [
  "Forvis Mazars China social insurance newsletter",
  "Social Insurance Law of the PRC",
  "职工基本养老保险个人账户记账利率等参数的通知",
];
const NOTICE_NUMBER = /〔(19|20)\d{2}〕\d+号/;
const ADDRESS = /https?:\/\/[a-z0-9.-]+\.[a-z]{2,}/i;

/** Why a source is not acceptable, or undefined when it names a publication or says how it was estimated. */
function provenanceProblem(source: string): string | undefined {
  if (source.startsWith("estimate: ") && source.length > "estimate: ".length + 10) return undefined;
  if (/reference|Ordo estimate/i.test(source)) return "cites Ordo's own reference instead of a publication";
  if (NOTICE_NUMBER.test(source) || ADDRESS.test(source)) return undefined;
  if (KNOWN_PUBLICATIONS.some((p) => source.includes(p))) return undefined;
  return "names no publication (notice number, known publication or address) and is not an estimate";
}

describe("shipped reference tables", () => {
  it("has every table, each valid with source, confidence and effective range on every row", () => {
    expect(referenceTables.map((t) => t.def.key)).toEqual([
      "si-base-limits",
      "si-rates",
      "si-work-injury-classes",
      "si-housing-fund",
      "si-city-settings",
      "si-rounding",
      "pension-divisors",
      "pension-average-wage",
      "pension-account-interest",
      "min-wage",
      "bureau-file-layouts",
    ]);
    for (const { def, rows } of referenceTables) {
      expect(validateTable(def, rows), def.key).toEqual([]);
      for (const r of rows) {
        expect(r.source.length).toBeGreaterThan(0);
        if (r.confidence === "L") expect(r.note ?? r.source, `${def.key} ${JSON.stringify(r.key)}`).toBeTruthy();
      }
    }
  });

  it("every shipped row names a publication or says how it was estimated, and an estimate is L", () => {
    const bad: string[] = [];
    for (const { def, rows } of referenceTables) {
      rows.forEach((r, i) => {
        const why = provenanceProblem(r.source);
        if (why) bad.push(`${def.key}/rows/${i} ${JSON.stringify(r.key)}: ${why}: ${r.source}`);
        if (r.source.startsWith("estimate:") && r.confidence !== "L") bad.push(`${def.key}/rows/${i}: estimate not L`);
      });
    }
    expect(bad).toEqual([]);
  });

  it("recognises publications and refuses self-citations", () => {
    expect(provenanceProblem("京人社发〔2024〕12号")).toBeUndefined();
    expect(provenanceProblem("https://rsj.sh.gov.cn, notice of 2025-09-18")).toBeUndefined();
    expect(provenanceProblem("Forvis Mazars China social insurance newsletter, December 2024")).toBeUndefined();
    expect(provenanceProblem("estimate: 60% / 300% of the 2023 urban average wage")).toBeUndefined();
    expect(provenanceProblem("Ordo estimate")).toBeDefined();
    expect(provenanceProblem("Beijing notice as summarised in the Ordo reference")).toBeDefined();
    expect(provenanceProblem("Chengdu base notices")).toBeDefined();
    expect(provenanceProblem("estimate:")).toBeDefined();
  });

  it("keeps housing-fund limits in si-base-limits only, covering every si-housing-fund row", () => {
    const def = referenceTables.find((t) => t.def.key === "si-housing-fund")!.def;
    expect(Object.keys(def.valueColumns)).not.toContain("lower");
    expect(Object.keys(def.valueColumns)).not.toContain("upper");
    for (const r of policy.rows("si-housing-fund")) {
      expect(r.values).not.toHaveProperty("lower");
      for (const date of [r.effectiveFrom, r.effectiveTo ?? "2026-06-30"]) {
        const limits = policy.lookup("si-base-limits", { city: r.key.city, insurance: "housing_fund" }, date);
        expect(limits, `${r.key.city} ${date}`).toBeDefined();
      }
    }
  });

  it("ships the audited work-injury limits of 2024: Guangzhou 2100 and no upper, Shenzhen no upper", () => {
    const wi = (city: string) => policy.lookup("si-base-limits", { city, insurance: "work_injury" }, "2024-09-01")!;
    expect(wi("440100").values).toEqual({ lower: "2100" });
    expect(wi("440300").values).toEqual({ lower: "2360" });
    for (const city of ["440100", "440300"]) expect(wi(city).source).toMatch(/Forvis Mazars.*December 2024/);
  });

  it("ships the default rounding (to the cent, half up) for every city and insurance type", () => {
    for (const city of CITIES) {
      const from = policy.history("si-base-limits", { city, insurance: "pension" })[0].effectiveFrom;
      for (const insurance of ["pension", "medical", "unemployment", "work_injury", "maternity", "housing_fund"]) {
        expect(policy.lookup("si-rounding", { city, insurance }, from)?.values, `${city} ${insurance}`).toEqual({
          mode: "HALF_UP",
          precision: 2,
        });
      }
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
