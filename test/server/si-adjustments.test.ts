/**
 * 差额补缴 after a late notice, on Shanghai's 2025 base year (notice published 2025-09-18, effective
 * 2025-07-01): the July and August ledger is priced provisionally at the 2024 limits 7384–36921, the
 * publication of 7460–37302 queues a job, and the job stores the difference as adjustment rows.
 * For a wage of 40,000 (at the upper limit both times, 381 more): employer 16 + 9 + 0.5 + 0.16 (work
 * injury class 1) %, employee 8 + 2 + 0.5 %, each line rounded to the cent, so 97.76 and 40.00 a month.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc } from "../support/http";
import { newEmployee } from "../support/factories";

let t: TestApp;
let h: Record<string, string>;
let emp: string;
let shanghai2025: Record<string, any>[];
type Row = Record<string, any>;
const TENANT = "retail";
const isShanghai2025 = (r: Row) => r.key.city === "310000" && r.effectiveFrom === "2025-07-01";

async function list(resource: string, filter: object, headers = h): Promise<Row[]> {
  const res = await t
    .request()
    .get(`/api/${resource}?filter=${enc(filter)}&range=[0,999]&sort=${enc(["month", "ASC"])}`)
    .set(headers);
  expect(res.status).toBe(200);
  return res.body;
}
async function run(month: string, at: string) {
  const res = await t.request().post("/api/monthly-runs?wait=true").set(h).send({ month, at });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: "done" });
}
async function saveLimits(rows: Row[]) {
  const current = await t.request().get("/api/policy-tables/si-base-limits").set(h);
  const res = await t
    .request()
    .put("/api/policy-tables/si-base-limits")
    .set(h)
    .send({ revision: current.body.revision, rows });
  expect(res.status).toBe(200);
}
async function publishLimits(body: Record<string, unknown> = {}) {
  const res = await t.request().post("/api/policy-tables/si-base-limits/publish").set(h).send(body);
  expect(res.status).toBe(201);
  await t.ctx.jobs.drain();
  return res.body;
}
const adjustments = () => list("contribution-adjustments", { employeeId: emp });

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin(TENANT);
  const table = await t.request().get("/api/policy-tables/si-base-limits").set(h);
  shanghai2025 = table.body.rows.filter(isShanghai2025);
  expect(shanghai2025.length).toBeGreaterThan(0);
  // Before the notice: the 2025 Shanghai rows are not published yet (version 2).
  await saveLimits(table.body.rows.filter((r: Row) => !isShanghai2025(r)));
  await publishLimits({ note: "before the 2025 notice" });
  const created = await t
    .request()
    .post("/api/employees")
    .set(h)
    .send(newEmployee("SH40000", { monthlyWage: "40000.00", hireDate: "2024-01-02", hukouLocal: true }));
  expect(created.status).toBe(201);
  emp = created.body.id;
  const en = await t
    .request()
    .post("/api/enrollments")
    .set(h)
    .send({ employeeId: emp, insuredCity: "310000", fromDate: "2024-01-01", status: "active" });
  expect(en.status).toBe(201);
});
afterAll(() => t.close());

describe("a late notice across the 2025 base year (lifecycle)", () => {
  it("June is priced in its period; July and August provisionally at the 2024 limits", async () => {
    await run("2025-06", "2025-06-10");
    await run("2025-07", "2025-07-10");
    await run("2025-08", "2025-08-10");
    const ledger = await list("contributions", { employeeId: emp });
    expect(ledger.map((r) => [r.month, r.provisional, r.carriedFrom, r.base, r.wage])).toEqual([
      ["2025-06", false, null, "36921.00", "40000.00"],
      ["2025-07", true, "2024-07", "36921.00", "40000.00"],
      ["2025-08", true, "2024-07", "36921.00", "40000.00"],
    ]);
    expect(await adjustments()).toEqual([]);
  });

  it("publishing the limits from 2025-07 in September adds 97.76 / 40.00 for July and August only", async () => {
    const table = await t.request().get("/api/policy-tables/si-base-limits").set(h);
    await saveLimits([...table.body.rows, ...shanghai2025]);
    const v = await publishLimits({ note: "Shanghai 2025 notice", publishedOn: "2025-09-18" });
    expect(v).toMatchObject({ version: 3, publishedOn: "2025-09-18" });
    expect(v.adjustmentJobId).toEqual(expect.any(String));
    const job = await t.request().get(`/api/monthly-runs/${v.adjustmentJobId}`).set(h);
    expect(job.body).toMatchObject({ type: "si-adjustments", status: "done" });
    expect(job.body.result).toMatchObject({ table: "si-base-limits", version: 3, months: ["2025-07", "2025-08"] });

    const ledger = await list("contributions", { employeeId: emp });
    const rows = await adjustments();
    expect(rows.map((a) => [a.month, a.employer, a.employee, a.baseBefore, a.baseAfter])).toEqual([
      ["2025-07", "97.76", "40.00", "36921.00", "37302.00"],
      ["2025-08", "97.76", "40.00", "36921.00", "37302.00"],
    ]);
    for (const a of rows) {
      expect(a).toMatchObject({ policyTable: "si-base-limits", policyVersion: 3, status: "due", city: "310000" });
      expect(a.contributionId).toBe(ledger.find((l) => l.month === a.month)!.id);
      expect(a.items.find((i: Row) => i.insurance === "pension")).toMatchObject({
        employer: "60.96",
        employee: "30.48",
      });
    }
    // Nothing was overwritten: the ledger still says what was charged.
    expect(ledger.map((r) => [r.month, r.base, r.provisional])).toEqual([
      ["2025-06", "36921.00", false],
      ["2025-07", "36921.00", true],
      ["2025-08", "36921.00", true],
    ]);
    const versions = await t.request().get("/api/policy-tables/si-base-limits/versions").set(h);
    expect(versions.body.find((x: Row) => x.version === 3)).toMatchObject({ publishedOn: "2025-09-18" });
  });

  it("September is charged at the new limits and settles nothing", async () => {
    await run("2025-09", "2025-09-20");
    const ledger = await list("contributions", { employeeId: emp });
    expect(ledger.at(-1)).toMatchObject({ month: "2025-09", provisional: false, carriedFrom: null, base: "37302.00" });
    expect((await adjustments()).map((a) => a.month)).toEqual(["2025-07", "2025-08"]);
  });

  it("running the job again, a republication or a rerun of July adds no duplicates", async () => {
    const [job] = await t
      .db("jobs")
      .insert({
        tenant_id: (await t.db("tenants").where({ slug: TENANT }).first("id")).id,
        type: "si-adjustments",
        status: "queued",
        params: JSON.stringify({ table: "si-base-limits", version: 3 }),
      })
      .returning("id");
    await t.ctx.jobs.drain();
    expect((await t.db("jobs").where({ id: job.id }).first()).status).toBe("done");
    const rollback = await t.request().post("/api/policy-tables/si-base-limits/rollback").set(h).send({ version: 3 });
    expect(rollback.status).toBe(201);
    await t.ctx.jobs.drain();
    // A rerun of July leaves the settled row as it was (its adjustment is relative to what it charged).
    await run("2025-07", "2025-09-25");
    const ledger = await list("contributions", { employeeId: emp });
    expect(ledger.find((r) => r.month === "2025-07")).toMatchObject({ base: "36921.00", provisional: true });
    expect((await adjustments()).map((a) => [a.month, a.policyVersion])).toEqual([
      ["2025-07", 3],
      ["2025-08", 3],
    ]);
  });

  it("a later correction adds only what the earlier adjustment did not", async () => {
    const table = await t.request().get("/api/policy-tables/si-base-limits").set(h);
    await saveLimits(
      table.body.rows.map((r: Row) => (isShanghai2025(r) ? { ...r, values: { ...r.values, upper: "37402" } } : r)),
    );
    const v = await publishLimits({ publishedOn: "2025-10-09" });
    const rows = (await adjustments()).filter((a) => a.policyVersion === v.version);
    // 100 more above 37302: 16 + 9 + 0.5 + 0.16 % = 25.66 employer, 8 + 2 + 0.5 % = 10.50 employee.
    expect(rows.map((a) => [a.month, a.employer, a.employee, a.baseBefore, a.baseAfter])).toEqual([
      ["2025-07", "25.66", "10.50", "37302.00", "37402.00"],
      ["2025-08", "25.66", "10.50", "37302.00", "37402.00"],
      ["2025-09", "25.66", "10.50", "37302.00", "37402.00"],
    ]);
  });
});

describe("what a publication queues", () => {
  it("nothing when the version changes no city and month in the ledger", async () => {
    const table = await t.request().get("/api/policy-tables/si-base-limits").set(h);
    await saveLimits(table.body.rows.map((r: Row) => (r.key.city === "330100" ? { ...r, note: "checked again" } : r)));
    const v = await publishLimits();
    expect(v.adjustmentJobId).toBeNull();
  });
});

describe("the adjustments resource", () => {
  it("keeps the ledger row it settles: deleting that row is a 409", async () => {
    const [july] = await list("contributions", { employeeId: emp, month: "2025-07" });
    const res = await t.request().delete(`/api/contributions/${july!.id}`).set(h);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("STILL_REFERENCED");
  });

  it("is read-only, and an employee reads only their own rows", async () => {
    const write = await t.request().post("/api/contribution-adjustments").set(h).send({ month: "2025-07" });
    expect(write.status).toBeGreaterThanOrEqual(400);
    expect(write.status).toBeLessThan(500);
    const mine = await t
      .request()
      .get("/api/contribution-adjustments")
      .set(await t.employee());
    expect(mine.status).toBe(200);
    expect(mine.body.every((a: Row) => a.employeeId !== emp)).toBe(true);
  });
});
