/** A month past the latest published period is priced, carried forward, and marked provisional. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { newEmployee } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const contributions = async (body: Record<string, unknown>) =>
  t
    .request()
    .post("/api/si/contributions")
    .set(await t.hr())
    .send(body);

describe("provisional contributions (acceptance)", () => {
  it("Beijing 2026-07 answers 200, provisional, carried from the 2025-07 period", async () => {
    const res = await contributions({ city: "110000", month: "2026-07", wage: 10000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ provisional: true, carriedFrom: "2025-07", carriedThrough: "2026-06" });
  });

  it("Beijing 2024-09 is not provisional", async () => {
    const res = await contributions({ city: "110000", month: "2024-09", wage: 10000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ provisional: false, carriedFrom: null });
  });

  it("the monthly run marks provisional ledger rows, with the period they carried", async () => {
    const h = await t.admin("demo");
    const emp = await t
      .request()
      .post("/api/employees")
      .set(h)
      .send(newEmployee("BJ-PROV", { insuredCity: "110000", hireDate: "2025-01-02" }));
    expect(emp.status).toBe(201);
    const en = await t
      .request()
      .post("/api/enrollments")
      .set(h)
      .send({ employeeId: emp.body.id, insuredCity: "110000", fromDate: "2025-01-01", status: "active" });
    expect(en.status).toBe(201);
    const run = await t
      .request()
      .post("/api/monthly-runs?wait=true")
      .set(h)
      .send({ month: "2026-07", at: "2026-07-05" });
    expect(run.status).toBe(200);
    const filter = encodeURIComponent(JSON.stringify({ month: "2026-07", city: "110000", employeeId: emp.body.id }));
    const rows = await t.request().get(`/api/contributions?filter=${filter}&range=[0,999]`).set(h);
    expect(rows.status).toBe(200);
    expect(rows.body).toHaveLength(1);
    for (const r of rows.body) expect(r).toMatchObject({ provisional: true, carriedFrom: "2025-07" });
    const june = encodeURIComponent(JSON.stringify({ month: "2026-06", provisional: true }));
    const before = await t.request().get(`/api/contributions?filter=${june}`).set(h);
    expect(before.body).toEqual([]);
  });
});
