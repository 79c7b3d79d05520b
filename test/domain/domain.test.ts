// domain/ is the one home of Ordo's cities, insurance types, date patterns and retirement categories:
// the shipped data, the policies and the admin all agree with it.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CITIES,
  CITY_PATTERN,
  DATE,
  INSURANCE_CODES,
  INSURANCES,
  MONTH,
  REFERENCE_CITY_CODES,
  RETIREMENT_CATEGORIES,
  RETIREMENT_CATEGORY_CODES,
  SOCIAL_INSURANCE_CODES,
  cityByCode,
  cityName,
  isCalendarDate,
  isKnownCity,
  isMonth,
  labelsIn,
} from "../../domain";
import { RETIREMENT_RULES, referenceTables, retirementAge, siBaseLimits, siRates } from "../../policies";
import { en } from "../../admin/src/i18n/en";
import { zhCN } from "../../admin/src/i18n/zhCN";
import { CITIES as ADMIN_FALLBACK } from "../../admin/src/si/cities";

const dataDir = new URL("../../policies/data/", import.meta.url);
const shipped = readdirSync(dataDir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({
    file: f,
    rows: JSON.parse(readFileSync(new URL(f, dataDir), "utf8")) as { key: Record<string, unknown> }[],
  }));
// bureau-file-layouts keys its fallback layout as city "default", which is no city.
const shippedCities = new Set(
  shipped.flatMap((t) => t.rows.map((r) => r.key.city)).filter((c) => c !== undefined && c !== "default"),
);

describe("cities", () => {
  it("knows every city of the shipped policy data, and REFERENCE_CITY_CODES is exactly that set", () => {
    expect(shippedCities.size).toBeGreaterThan(0);
    for (const city of shippedCities) expect(isKnownCity(city), `city ${String(city)}`).toBe(true);
    expect([...REFERENCE_CITY_CODES].sort()).toEqual([...shippedCities].sort());
    // The loaded tables agree with the raw files.
    const loaded = new Set(
      referenceTables.flatMap((t) => t.rows.map((r) => r.key.city)).filter((c) => c && c !== "default"),
    );
    expect([...loaded].sort()).toEqual([...shippedCities].sort());
  });

  it("has unique, well-formed GB/T 2260 codes with both names", () => {
    const pattern = new RegExp(CITY_PATTERN);
    expect(new Set(CITIES.map((c) => c.code)).size).toBe(CITIES.length);
    expect(new Set(CITIES.map((c) => c.zh)).size).toBe(CITIES.length);
    for (const c of CITIES) {
      expect(c.code, c.en).toMatch(pattern);
      expect(c.zh, c.code).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      expect(c.en, c.code).toMatch(/^[A-ZÜ][a-zü']+$/);
      // A municipality keeps its province code; any other city is a prefecture (XXYY00, YY ≥ 01).
      const municipality = ["11", "12", "31", "50"].includes(c.code.slice(0, 2));
      expect(c.code, c.en).toMatch(municipality ? /^\d{2}0000$/ : /^\d{2}(0[1-9]|[1-9]\d)00$/);
    }
  });

  it("covers the four municipalities and one capital in each of the 27 provinces and regions", () => {
    const provinces = new Set(CITIES.map((c) => c.code.slice(0, 2)));
    // 11..65 of GB/T 2260 without Hong Kong, Macao and Taiwan: 31 province-level divisions.
    expect([...provinces].sort()).toEqual(
      "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split(" "),
    );
    expect(cityByCode("500000")?.zh).toBe("重庆");
    expect(cityByCode("650100")?.zh).toBe("乌鲁木齐");
    expect(cityByCode("440300")).toEqual({ code: "440300", zh: "深圳", en: "Shenzhen" });
  });

  it("names a city per locale, and an unknown code as itself", () => {
    expect(cityName("310000", "zh-CN")).toBe("上海");
    expect(cityName("310000", "en")).toBe("Shanghai");
    expect(cityName("999999", "en")).toBe("999999");
    expect(isKnownCity("110100")).toBe(false);
  });

  it("gives the admin's offline fallback the reference cities with their names", () => {
    expect(ADMIN_FALLBACK.map((c) => c.code)).toEqual([...REFERENCE_CITY_CODES]);
    for (const c of ADMIN_FALLBACK) expect([c.zh, c.en]).toEqual([cityByCode(c.code)!.zh, cityByCode(c.code)!.en]);
  });
});

describe("insurance types", () => {
  it("has zh and en labels for every type, and the admin shows exactly those", () => {
    for (const i of INSURANCES) {
      expect(i.zh, i.code).toMatch(/[\u4e00-\u9fff]/);
      expect(i.en, i.code).toMatch(/^[A-Z]/);
    }
    expect(en.ordo.si.insurances).toEqual(labelsIn(INSURANCES, "en"));
    expect(zhCN.ordo.si.insurances).toEqual(labelsIn(INSURANCES, "zh"));
    expect(Object.keys(en.ordo.si.insurances)).toEqual([...INSURANCE_CODES]);
  });

  it("keeps the housing fund out of the five social insurances", () => {
    expect(SOCIAL_INSURANCE_CODES).toEqual(["pension", "medical", "unemployment", "work_injury", "maternity"]);
    expect(INSURANCE_CODES).toContain("housing_fund");
  });

  it("is the insurance enum of the policy tables", () => {
    const baseLimitTypes = (siBaseLimits.keyColumns.insurance as { enum: string[] }).enum;
    expect(baseLimitTypes).toEqual([...INSURANCE_CODES]);
    const rateTypes = (siRates.keyColumns.insurance as { enum: string[] }).enum;
    expect(rateTypes).toEqual(["pension", "medical", "unemployment", "maternity"]);
    for (const { def, rows } of referenceTables) {
      if (!def.keyColumns.insurance) continue;
      for (const r of rows) expect(INSURANCE_CODES, def.key).toContain(r.key.insurance);
    }
  });
});

describe("dates and months", () => {
  it("accepts only real calendar days", () => {
    expect(["2024-02-29", "2000-02-29", "2023-12-31", "2024-04-30"].every(isCalendarDate)).toBe(true);
    const bad = ["2023-02-29", "1900-02-29", "2024-04-31", "2024-1-01", "2024-13-01", "2024-00-10", "2024-01-00"];
    expect(bad.filter(isCalendarDate)).toEqual([]);
    expect(isCalendarDate("2024-01-01T00:00:00Z")).toBe(false);
    expect(isCalendarDate(20240101)).toBe(false);
    expect(DATE.test("2024-02-30")).toBe(true); // the pattern is the shape; isCalendarDate the meaning
  });

  it("accepts months 01..12 only", () => {
    expect(["2024-01", "2024-12"].every(isMonth)).toBe(true);
    expect(["2024-00", "2024-13", "2024-1", "2024-01-01"].some((m) => MONTH.test(m))).toBe(false);
  });
});

describe("retirement categories", () => {
  it("labels every category in zh and en, and the policy has a rule for each and no other", () => {
    for (const c of RETIREMENT_CATEGORIES) {
      expect(c.zh, c.code).toMatch(/[\u4e00-\u9fff]/);
      expect(c.en, c.code).toMatch(/^[A-Z]/);
      expect(retirementAge("1980-01-15", c.code).category).toBe(c.code);
    }
    expect(Object.keys(RETIREMENT_RULES).sort()).toEqual([...RETIREMENT_CATEGORY_CODES].sort());
  });
});

describe("retirement category", () => {
  it("needs a woman's post, or says it assumed a worker's", async () => {
    const { retirementCategoryOf } = await import("../../domain/index");
    expect(retirementCategoryOf("male", null)).toEqual({ category: "male", assumed: null });
    expect(retirementCategoryOf("female", "cadre")).toEqual({ category: "female_cadre", assumed: null });
    expect(retirementCategoryOf("female", "worker")).toEqual({ category: "female_worker", assumed: null });
    expect(retirementCategoryOf("female", null)).toEqual({ category: "female_worker", assumed: "post:worker" });
    expect(retirementCategoryOf(null, null)).toEqual({ category: null, assumed: null });
  });
});
