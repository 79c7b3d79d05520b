import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc } from "../support/http";
import { newEmployee } from "../support/factories";
import { createPolicySet, referencePolicySet, referenceTables, withRows } from "../../policies/index";
import { baseYearMonths, declaredWage, expectedDeclaredWage, wageAt } from "../../server/base-declarations/compute";

// Beijing's base year 2025 runs 2025-07..2026-06 (si-city-settings baseYearStartMonth 7) with the limits
// 7162–35811 for the social insurances and 2540–35811 for the housing fund; its bases come from 2024.
let t: TestApp;
let h: Record<string, string>;
let hr: Record<string, string>;
type Row = Record<string, any>;
const ids: Record<string, string> = {};
let declaration: Row;
let lines: Record<string, Row>;

async function employee(no: string, extra: Record<string, unknown>) {
  const res = await t
    .request()
    .post("/api/employees")
    .set(h)
    .send(newEmployee(no, { insuredCity: "110000", ...extra }));
  expect(res.status).toBe(201);
  ids[no] = res.body.id;
  return res.body.id as string;
}
async function wageChange(employeeId: string, effectiveMonth: string, wage: string) {
  const res = await t.request().post("/api/wage-changes").set(h).send({ employeeId, effectiveMonth, wage });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  hr = await t.hr();
  // A: 10000 from 2023, raised to 16000 from July 2024: 2024 average (6 × 10000 + 6 × 16000) / 12 = 13000.
  await wageChange(await employee("BD-A", { hireDate: "2023-01-01", monthlyWage: "10000.00" }), "2024-07", "16000");
  // B: above the upper limit; C: below the lower limit (but above the housing fund's).
  await employee("BD-B", { hireDate: "2023-05-01", monthlyWage: "50000.00" });
  await employee("BD-C", { hireDate: "2024-01-01", monthlyWage: "3000.00" });
  // D: hired on 2025-03-15, so April is the first full month (20000); May's raise does not count.
  await wageChange(await employee("BD-D", { hireDate: "2025-03-15", monthlyWage: "20000.00" }), "2025-05", "25000");
  // E: hired 2024-10-10: full months November (9000) and December (12000): average 10500 over 2 months.
  await wageChange(await employee("BD-E", { hireDate: "2024-10-10", monthlyWage: "9000.00" }), "2024-12", "12000");
  // F: left before the base year: not declared.
  await employee("BD-F", { hireDate: "2023-01-01", leaveDate: "2025-05-31", status: "left" });
});
afterAll(() => t.close());

describe("annual base declaration (年度调基)", () => {
  it("computes every base from the previous calendar year's average wage, clamped to the limits", async () => {
    const res = await t.request().post("/api/base-declarations").set(hr).send({ city: "110000", baseYear: 2025 });
    expect(res.status).toBe(201);
    declaration = res.body;
    expect(declaration).toMatchObject({ city: "110000", baseYear: 2025, startMonth: "2025-07", endMonth: "2026-06" });
    expect(declaration.status).toBe("draft");
    const listed = await t
      .request()
      .get(`/api/base-declaration-lines?filter=${enc({ declarationId: declaration.id })}&range=[0,999]`)
      .set(h);
    expect(listed.status).toBe(200);
    expect(declaration.employees).toBe(listed.body.length);
    lines = Object.fromEntries(
      Object.entries(ids).map(([no, id]) => [no, listed.body.find((l: Row) => l.employeeId === id)]),
    );
    expect(lines["BD-A"]).toMatchObject({ method: "average", months: 12, computedWage: "13000.00", base: "13000.00" });
    expect(lines["BD-A"].bases).toMatchObject({ pension: "13000.00", medical: "13000.00", housing_fund: "13000.00" });
    expect(lines["BD-B"].bases).toMatchObject({ pension: "35811.00", housing_fund: "35811.00" });
    expect(lines["BD-B"].computedWage).toBe("50000.00");
    expect(lines["BD-C"].bases).toMatchObject({ pension: "7162.00", unemployment: "7162.00", housing_fund: "3000.00" });
    expect(lines["BD-D"]).toMatchObject({ method: "first_month", computedWage: "20000.00" });
    expect(lines["BD-E"]).toMatchObject({ method: "average", months: 2, computedWage: "10500.00" });
    expect(lines["BD-F"]).toBeUndefined();
  });

  it("a second declaration for the same city and base year is a 409", async () => {
    const res = await t.request().post("/api/base-declarations").set(hr).send({ city: "110000", baseYear: 2025 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("BASE_DECLARATION_EXISTS");
    const bad = await t.request().post("/api/base-declarations").set(hr).send({ city: "110000", baseYear: "x" });
    expect(bad.status).toBe(400);
  });

  it("an edit needs a reason (400 naming the field) and recomputes the per-insurance bases", async () => {
    const url = `/api/base-declarations/${declaration.id}/lines/${lines["BD-A"].id}`;
    const missing = await t.request().patch(url).set(hr).send({ base: 14000 });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: "INVALID_BODY", errors: { "/reason": "is required" } });
    const blank = await t.request().patch(url).set(hr).send({ base: 14000, reason: "   " });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ code: "REASON_REQUIRED", details: { field: "reason" } });
    expect(blank.body.errors).toHaveProperty("reason");
    const asEmployee = await t
      .request()
      .patch(url)
      .set(await t.employee())
      .send({ base: 1, reason: "mine" });
    expect(asEmployee.status).toBe(403);
    const ok = await t.request().patch(url).set(hr).send({ base: "14000", reason: "bonus paid in January counted" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      base: "14000.00",
      computedWage: "13000.00",
      reason: "bonus paid in January counted",
    });
    expect(ok.body.bases.pension).toBe("14000.00");
    expect(ok.body.editedAt).not.toBeNull();
  });

  it("a confirmed declaration is immutable (409 with a code)", async () => {
    const res = await t.request().post(`/api/base-declarations/${declaration.id}/confirm`).set(hr);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "confirmed", id: declaration.id });
    expect(res.body.confirmedAt).not.toBeNull();
    const edit = await t
      .request()
      .patch(`/api/base-declarations/${declaration.id}/lines/${lines["BD-B"].id}`)
      .set(hr)
      .send({ base: 1000, reason: "too late" });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe("BASE_DECLARATION_CONFIRMED");
    const again = await t.request().post(`/api/base-declarations/${declaration.id}/confirm`).set(hr);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("BASE_DECLARATION_CONFIRMED");
    // Lines and declarations are written only through these routes.
    const put = await t.request().put(`/api/base-declaration-lines/${lines["BD-B"].id}`).set(h).send({ base: "1" });
    expect(put.status).toBe(404);
    const got = await t.request().get(`/api/base-declarations/${declaration.id}`).set(hr);
    expect(got.body.status).toBe("confirmed");
  });

  it("the ledger of a month in the base year uses the confirmed base, other months the wage", async () => {
    const en = await t
      .request()
      .post("/api/enrollments")
      .set(h)
      .send({ employeeId: ids["BD-A"], insuredCity: "110000", fromDate: "2023-01-01", status: "active" });
    expect(en.status).toBe(201);
    for (const [month, at] of [
      ["2025-06", "2025-06-20"],
      ["2025-08", "2025-08-20"],
    ]) {
      const run = await t.request().post("/api/monthly-runs?wait=true").set(h).send({ month, at });
      expect(run.body.status).toBe("done");
    }
    const rows = await t
      .request()
      .get(`/api/contributions?filter=${enc({ employeeId: ids["BD-A"] })}&range=[0,99]`)
      .set(h);
    const byMonth = Object.fromEntries(rows.body.map((r: Row) => [r.month, r]));
    // June 2025 is in base year 2024 (no declaration): the employee's wage of 10000.
    expect(byMonth["2025-06"].base).toBe("10000.00");
    // August 2025: the confirmed (edited) base 14000: 14000 × 26.5% = 3710.00; 14000 × 10.5% + 3 = 1473.00.
    expect(byMonth["2025-08"]).toMatchObject({ base: "14000.00", employer: "3710.00", employee: "1473.00" });
    // The declared base is what the declaration should carry (13000) or more: no 错缴.
    const alerts = await t
      .request()
      .get(`/api/alerts?filter=${enc({ employeeId: ids["BD-A"], type: "base_below_wage" })}`)
      .set(h);
    expect(alerts.body).toHaveLength(0);
  });

  it("employees read only their own lines; declarations are HR's", async () => {
    const eh = await t.employee();
    expect((await t.request().get("/api/base-declarations").set(eh)).status).toBe(403);
    const own = await t.request().get("/api/base-declaration-lines").set(eh);
    expect(own.status).toBe(200);
    expect(own.body.every((l: Row) => !Object.values(ids).includes(l.employeeId))).toBe(true);
    const created = await t.request().post("/api/base-declarations").set(eh).send({ city: "310000", baseYear: 2025 });
    expect(created.status).toBe(403);
  });
});

describe("base-year arithmetic", () => {
  const change = (effectiveMonth: string, wage: string, previousWage: string | null = null) => ({
    effectiveMonth,
    wage,
    previousWage,
    createdAt: effectiveMonth,
  });
  const history = [change("2023-01", "10000.00"), change("2025-05", "20000.00", "10000.00")];
  const e = { hireDate: "2023-01-01", leaveDate: null, currentWage: "20000.00" };

  it("a base year follows the city's start month: July–June, or January–December where the policy says so", () => {
    const policy = referencePolicySet();
    expect(baseYearMonths(policy, "110000", 2025)).toEqual({ start: "2025-07", end: "2026-06" });
    const settings = referenceTables.find((t) => t.def.key === "si-city-settings")!;
    const january = createPolicySet(
      withRows(referenceTables, {
        "si-city-settings": settings.rows.map((r) =>
          r.key.city === "510100" ? { ...r, values: { ...r.values, baseYearStartMonth: 1 } } : r,
        ),
      }),
    );
    expect(baseYearMonths(january, "510100", 2025)).toEqual({ start: "2025-01", end: "2025-12" });
    // Either way the bases come from the previous calendar year: in May 2025 that is 2024 here too.
    expect(expectedDeclaredWage(january, "510100", "2025-05", history, e)).toBe("10000.00");
  });

  it("a raise in May 2025 counts from the base year starting July 2026 (the 2025 average)", () => {
    const policy = referencePolicySet();
    expect(wageAt(history, "2025-04", e.currentWage)).toBe("10000.00");
    expect(expectedDeclaredWage(policy, "110000", "2025-05", history, e)).toBe("10000.00");
    expect(expectedDeclaredWage(policy, "110000", "2025-08", history, e)).toBe("10000.00");
    // 2025: 4 months at 10000, 8 at 20000: 200000 / 12 = 16666.666… → 16666.67.
    expect(declaredWage(history, e, 2025)).toEqual({ wage: "16666.67", method: "average", months: 12 });
    expect(expectedDeclaredWage(policy, "110000", "2026-07", history, e)).toBe("16666.67");
  });
});
