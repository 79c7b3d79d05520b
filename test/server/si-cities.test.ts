/** Cities are GB/T 2260 codes on every write; a real city without policy data is "no policy", not "invalid". */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIVISIONS, isKnownCity } from "../../domain";
import { startTestApp, type TestApp } from "../support/app";
import { newEmployee } from "../support/factories";

let t: TestApp;
let h: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  h = await t.hr();
});
afterAll(() => t.close());

describe("the shipped GB/T 2260 list", () => {
  it("has every province-level and prefecture-level division with zh and en names", () => {
    const provinces = DIVISIONS.filter((d) => d.level === "province" || d.level === "municipality");
    expect(provinces).toHaveLength(34); // 31 of the mainland, Taiwan, Hong Kong, Macao
    expect(DIVISIONS.filter((d) => d.level === "prefecture").length).toBeGreaterThanOrEqual(333);
    for (const d of DIVISIONS) {
      expect(d.code).toMatch(/^[1-9]\d{5}$/);
      expect(d.zh).toMatch(/\p{Script=Han}/u);
      expect(d.en).toMatch(/^\p{Lu}/u);
    }
    expect(new Set(DIVISIONS.map((d) => d.code)).size).toBe(DIVISIONS.length);
    for (const code of ["110000", "440300", "230200", "652800", "419001"]) expect(isKnownCity(code)).toBe(true);
    for (const code of ["999999", "110101", "440399"]) expect(isKnownCity(code)).toBe(false);
  });
});

describe("writes", () => {
  it("an employee with a city that is not a division is a 400 naming insuredCity", async () => {
    const res = await t
      .request()
      .post("/api/employees")
      .set(h)
      .send(newEmployee("CITY1", { insuredCity: "999999" }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty("insuredCity");
    const ok = await t
      .request()
      .post("/api/employees")
      .set(h)
      .send(newEmployee("CITY2", { insuredCity: "230200" })); // 齐齐哈尔: real, no policy data
    expect(ok.status).toBe(201);
  });

  it("an org unit or an enrollment with an unknown city is a 400 naming the field", async () => {
    const unit = await t.request().post("/api/org-units").set(h).send({ name: "X", type: "branch", city: "110101" });
    expect(unit.status).toBe(400);
    expect(unit.body.errors).toHaveProperty("city");
    const en = await t
      .request()
      .post("/api/enrollments")
      .set(h)
      .send({ employeeId: "00000000-0000-4000-8000-000000000000", insuredCity: "123456", fromDate: "2025-01-01" });
    expect(en.status).toBe(400);
    expect(en.body.errors).toHaveProperty("insuredCity");
  });
});

describe("calculations", () => {
  it("an unknown code is a 400 naming city; a real city without policy is NO_POLICY", async () => {
    const bad = await t
      .request()
      .post("/api/si/contributions")
      .set(h)
      .send({ city: "999999", month: "2025-01", wage: 10000 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("INVALID_BODY");
    expect(JSON.stringify(bad.body.errors ?? bad.body.details)).toContain("city");
    const none = await t
      .request()
      .post("/api/si/contributions")
      .set(h)
      .send({ city: "230200", month: "2025-01", wage: 10000 });
    expect(none.status).toBe(400);
    expect(none.body.code).toBe("NO_POLICY");
    expect(none.body.message).toMatch(/No policy for city 230200 \(Qiqihar\)/);
  });
});
