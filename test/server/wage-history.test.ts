import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc, publishRuleSet } from "../support/http";
import { newEmployee } from "../support/factories";

// Beijing: base year 2024 runs 2024-07..2025-06 and takes its bases from 2023's wages.
let t: TestApp;
let h: Record<string, string>;
type Row = Record<string, any>;

async function list(resource: string, filter: object): Promise<Row[]> {
  const res = await t
    .request()
    .get(`/api/${resource}?filter=${enc(filter)}&range=[0,999]`)
    .set(h);
  expect(res.status).toBe(200);
  return res.body;
}
async function enrolledEmployee(no: string, base: string) {
  const res = await t
    .request()
    .post("/api/employees")
    .set(h)
    .send(newEmployee(no, { insuredCity: "110000", hireDate: "2023-01-01", monthlyWage: "10000.00" }));
  expect(res.status).toBe(201);
  const en = await t
    .request()
    .post("/api/enrollments")
    .set(h)
    .send({ employeeId: res.body.id, insuredCity: "110000", fromDate: "2023-01-01", status: "active", base });
  expect(en.status).toBe(201);
  return res.body.id as string;
}
async function run(month: string, at: string) {
  const res = await t.request().post("/api/monthly-runs?wait=true").set(h).send({ month, at });
  expect(res.body.status).toBe("done");
}

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
});
afterAll(() => t.close());

describe("wage history", () => {
  it("records the hire wage, a wage change with its effective month and an edit in the current month", async () => {
    const id = await enrolledEmployee("WH-1", "10000.00");
    const raised = await t
      .request()
      .post(`/api/employees/${id}/wage-change`)
      .set(h)
      .send({ wage: 15000, effectiveMonth: "2025-05", at: "2025-05-02" });
    expect(raised.status).toBe(200);
    const edited = await t.request().put(`/api/employees/${id}`).set(h).send({ monthlyWage: "16000" });
    expect(edited.status).toBe(200);
    // An edit that leaves the wage alone records nothing.
    expect((await t.request().put(`/api/employees/${id}`).set(h).send({ name: "改名" })).status).toBe(200);
    const history = (await list("wage-changes", { employeeId: id })).sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : 1,
    );
    expect(history.map((c) => [c.effectiveMonth, c.wage, c.previousWage, c.source])).toEqual([
      ["2023-01", "10000.00", null, "hire"],
      ["2025-05", "15000.00", "10000.00", "wage_change"],
      [new Date().toISOString().slice(0, 7), "16000.00", "15000.00", "edit"],
    ]);
  });

  it("is a simple-rest resource whose employee must be of the same tenant", async () => {
    const [other] = (
      await t
        .request()
        .get("/api/employees")
        .set(await t.admin("retail"))
    ).body;
    const res = await t
      .request()
      .post("/api/wage-changes")
      .set(h)
      .send({ employeeId: other.id, effectiveMonth: "2025-01", wage: "1000" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "INVALID_REFERENCE", details: { field: "employeeId" } });
    const bad = await t
      .request()
      .post("/api/wage-changes")
      .set(h)
      .send({ employeeId: other.id, effectiveMonth: "2025-13", wage: "1000" });
    expect(bad.status).toBe(400);
    const forbidden = await t
      .request()
      .post("/api/wage-changes")
      .set(await t.employee())
      .send({ employeeId: other.id, effectiveMonth: "2025-01", wage: "1000" });
    expect(forbidden.status).toBe(403);
  });
});

describe("错缴 against the base year's declaration", () => {
  it("a raise effective in May raises no 错缴 in the May run; a base below last year's wage does", async () => {
    const raised = await enrolledEmployee("WH-2", "10000.00");
    const low = await enrolledEmployee("WH-3", "8000.00");
    const res = await t
      .request()
      .post(`/api/employees/${raised}/wage-change`)
      .set(h)
      .send({ wage: "20000", effectiveMonth: "2025-05", at: "2025-05-02" });
    expect(res.status).toBe(200);
    await run("2025-05", "2025-05-20");
    const [may] = await list("contributions", { employeeId: raised, month: "2025-05" });
    expect(may.base).toBe("10000.00");
    expect(await list("alerts", { employeeId: raised, type: "base_below_wage" })).toHaveLength(0);
    // 8000 declared while 2023's wage was 10000: that is 错缴.
    const [alert] = await list("alerts", { employeeId: low, type: "base_below_wage" });
    expect(alert.message).toContain("10000");
  });

  it("a tenant whose rule set compares with today's wage gets the alert for a mid-year raise", async () => {
    const raised = await enrolledEmployee("WH-4", "10000.00");
    await t
      .request()
      .post(`/api/employees/${raised}/wage-change`)
      .set(h)
      .send({ wage: "20000", effectiveMonth: "2025-05", at: "2025-05-02" });
    const doc = (await t.request().get("/api/rule-sets/monthly-check").set(h)).body;
    const rules = structuredClone(doc.rules);
    const rule = rules.find((r: Row) => r.name === "base-below-wage");
    rule.conditions.all[2].value = { fact: "wageBase" };
    const testCases = doc.testCases.filter((c: Row) => !c.name.startsWith("a raise during the base year"));
    const saved = await t
      .request()
      .put("/api/rule-sets/monthly-check")
      .set(h)
      .send({ revision: doc.revision, rules, testCases });
    expect(saved.status).toBe(200);
    expect((await publishRuleSet(t, h, "monthly-check", { effectiveFrom: "2025-05-01" })).status).toBe(201);
    await run("2025-05", "2025-05-21");
    expect(await list("alerts", { employeeId: raised, type: "base_below_wage" })).toHaveLength(1);
  });
});
