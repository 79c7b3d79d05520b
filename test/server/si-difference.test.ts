/** POST /api/si/difference-back-payment: 差额补缴 ad hoc between two versions of a policy table. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let h: Record<string, string>;
type Row = Record<string, any>;
const isShanghai2025 = (r: Row) => r.key.city === "310000" && r.effectiveFrom === "2025-07-01";
const diff = async (body: Record<string, unknown>, headers = h) =>
  t.request().post("/api/si/difference-back-payment").set(headers).send(body);

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
});
afterAll(() => t.close());

describe("difference back-payment", () => {
  it("needs an earlier version to compare with (409 naming oldVersion)", async () => {
    const res = await diff({ city: "310000", fromMonth: "2025-07", throughMonth: "2025-08", wage: 40000 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "NO_EARLIER_VERSION", details: { field: "oldVersion" } });
  });

  it("prices exactly fromMonth..throughMonth at both versions (Shanghai 2025 notice: 97.76 / 40.00)", async () => {
    const table = await t.request().get("/api/policy-tables/si-base-limits").set(h);
    const save = await t
      .request()
      .put("/api/policy-tables/si-base-limits")
      .set(h)
      .send({ revision: table.body.revision, rows: table.body.rows.filter((r: Row) => !isShanghai2025(r)) });
    expect(save.status).toBe(200);
    expect((await t.request().post("/api/policy-tables/si-base-limits/publish").set(h).send({})).status).toBe(201);
    await t.ctx.jobs.drain();
    // Version 2 lacks the notice (collection carried the 2024 limits); version 1 has it.
    const res = await diff({
      city: "310000",
      fromMonth: "2025-07",
      throughMonth: "2025-08",
      wage: 40000,
      oldVersion: 2,
      newVersion: 1,
      hukouLocal: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ table: "si-base-limits", oldVersion: 2, newVersion: 1 });
    expect(res.body.months.map((m: Row) => [m.month, m.employer, m.employee])).toEqual([
      ["2025-07", "97.76", "40.00"],
      ["2025-08", "97.76", "40.00"],
    ]);
    expect(res.body.totals).toEqual({ employer: "195.52", employee: "80.00", total: "275.52" });
    // base is the same figure as a wage; a decimal string like a number.
    const byBase = await diff({
      city: "310000",
      fromMonth: "2025-07",
      throughMonth: "2025-07",
      base: "40000.00",
      oldVersion: 2,
      newVersion: 1,
    });
    expect(byBase.status).toBe(200);
    expect(byBase.body.months).toHaveLength(1);
    expect(byBase.body.months[0]).toMatchObject({ month: "2025-07", employer: "97.76", employee: "40.00" });
  });

  it("defaults to the latest version against the one before it", async () => {
    const res = await diff({ city: "310000", fromMonth: "2025-07", throughMonth: "2025-07", wage: 40000 });
    expect(res.status).toBe(200);
    // latest (2) lacks the notice; compared with 1 the difference is the other way round.
    expect(res.body).toMatchObject({ oldVersion: 1, newVersion: 2 });
    expect(res.body.months[0]).toMatchObject({ employer: "-97.76", employee: "-40.00" });
  });

  it("refuses a reversed range, wage and base together, and a city that is not a GB/T 2260 code", async () => {
    const reversed = await diff({ city: "310000", fromMonth: "2025-08", throughMonth: "2025-07", wage: 1 });
    expect(reversed.status).toBe(400);
    expect(reversed.body).toMatchObject({ code: "MONTH_RANGE", details: { field: "throughMonth" } });
    const both = await diff({ city: "310000", fromMonth: "2025-07", throughMonth: "2025-07", wage: 1, base: 1 });
    expect(both.status).toBe(400);
    expect(both.body.errors).toHaveProperty("wage");
    const city = await diff({ city: "999999", fromMonth: "2025-07", throughMonth: "2025-07", wage: 1 });
    expect(city.status).toBe(400);
    expect(JSON.stringify(city.body)).toContain("city");
  });

  it("is for HR and consultants only", async () => {
    const res = await diff(
      { city: "310000", fromMonth: "2025-07", throughMonth: "2025-07", wage: 1 },
      await t.employee(),
    );
    expect(res.status).toBe(403);
  });
});
