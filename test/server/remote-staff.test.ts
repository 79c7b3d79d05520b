import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { newEmployee } from "../support/factories";
import { enc } from "../support/http";
import { industryPacks, packParts } from "../../rules/packs/index";
import { ruleSetStore } from "../../server/rule-sets/service";
import { loadPolicySet } from "../../server/policy-tables/policy-set";
import { calculateContributions } from "../../policies/index";
import { SOCIAL_INSURANCE_CODES } from "../../domain/index";

// The demo tenant has org units in 110000 (headquarters), 310000, 440100, 440300, 330100 and 510100;
// it gets the internet pack's remote rule set, as an internet company would have it.
let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
type Row = Record<string, any>;

async function hireRemote(no: string, workCity: string) {
  const created = await t
    .request()
    .post("/api/employees")
    .set(h)
    .send(newEmployee(no, { employmentType: "remote", insuredCity: workCity, workCity, hireDate: "2025-09-01" }));
  expect(created.status).toBe(201);
  expect(created.body.workCity).toBe(workCity);
  const res = await t.request().post(`/api/employees/${created.body.id}/hire`).set(h).send({ at: "2025-09-03" });
  expect(res.status).toBe(200);
  return { id: created.body.id as string, body: res.body };
}

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
  const { meta, content } = packParts(industryPacks.internet![0]!);
  await t.db.transaction(async (trx) => {
    await ruleSetStore.create(trx, tenantId, meta, content as unknown as Record<string, unknown>, null);
    await ruleSetStore.publish(trx, tenantId, meta.key, { effectiveFrom: "2000-01-01", note: "test" }, null);
  });
});
afterAll(() => t.close());

describe("remote staff (internet-remote)", () => {
  it("a work city without an org unit: enrolled at headquarters, with the 代缴 compliance alert", async () => {
    const { id, body } = await hireRemote("R00001", "420100");
    expect(body.enrollments).toHaveLength(1);
    expect(body.enrollments[0]).toMatchObject({ insuredCity: "110000", fromDate: "2025-09-01" });
    const alert = body.alerts.find((a: Row) => a.type === "remote_agent_payment_noncompliant");
    expect(alert).toBeDefined();
    expect(alert.message).toContain("代缴");
    // Cities by name, in the reader's language (420100 is Wuhan, the headquarters Beijing).
    expect(alert.message).toContain("Wuhan");
    expect(alert.message).toContain("headquarters city Beijing");
    const employee = (await t.request().get(`/api/employees/${id}`).set(h)).body;
    expect(employee).toMatchObject({ insuredCity: "110000", workCity: "420100" });
    const decisions = await t.db("decisions").where({ tenant_id: tenantId, employee_id: id }).orderBy("created_at");
    expect(decisions.map((d: Row) => d.rule_set).sort()).toEqual([
      "enrollment",
      "internet-remote",
      "manufacturing-seasonal",
    ]);
    // The alert reads in Chinese for a Chinese reader, with the compliant options.
    const zh = await t
      .request()
      .get(`/api/alerts?filter=${enc({ employeeId: id, type: "remote_agent_payment_noncompliant" })}`)
      .set({ ...h, "accept-language": "zh-CN" });
    expect(zh.status).toBe(200);
    expect(zh.body[0].message).toContain("代缴社保不合规");
    expect(zh.body[0].message).toContain("劳务派遣");
    expect(zh.body[0].message).toContain("在 武汉 远程工作");
  });

  it("a work city with an org unit: enrolled there, no alert", async () => {
    const { body } = await hireRemote("R00002", "310000");
    expect(body.enrollments[0]).toMatchObject({ insuredCity: "310000" });
    expect(body.alerts.some((a: Row) => a.type === "remote_agent_payment_noncompliant")).toBe(false);
  });

  it("amounts are computed with the insured city's policy", async () => {
    const { id } = await hireRemote("R00003", "420100");
    const run = await t
      .request()
      .post("/api/monthly-runs?wait=true")
      .set(h)
      .send({ month: "2025-09", at: "2025-09-15" });
    expect(run.status).toBe(200);
    const rows = await t.db("contributions").where({ tenant_id: tenantId, employee_id: id, month: "2025-09" });
    expect(rows).toHaveLength(1);
    expect(rows[0].city).toBe("110000");
    const policy = await loadPolicySet(t.db, tenantId);
    const beijing = calculateContributions(policy, {
      city: "110000",
      month: "2025-09",
      wage: "12000.00",
      hukouLocal: false,
      insurances: [...SOCIAL_INSURANCE_CODES],
    });
    expect(Number(rows[0].employer)).toBe(Number(beijing.totals.employer));
    expect(Number(rows[0].employee)).toBe(Number(beijing.totals.employee));
  });

  it("a move to a branch city moves the insured city and the enrollment from that month", async () => {
    const { id } = await hireRemote("R00004", "420100");
    const res = await t
      .request()
      .post(`/api/employees/${id}/move`)
      .set(h)
      .send({ workCity: "440300", date: "2025-11-10" });
    expect(res.status).toBe(200);
    expect(res.body.decisions.map((d: Row) => d.ruleSet)).toEqual(["internet-remote", "manufacturing-seasonal"]);
    const periods = res.body.enrollments.map((e: Row) => [e.insuredCity, e.fromDate, e.toDate]);
    expect(periods).toEqual([
      ["110000", "2025-09-01", "2025-10-31"],
      ["440300", "2025-11-01", null],
    ]);
    // The 代缴 alert of the hire in Wuhan is over: the rule set resolved it, with its reason.
    const [alert] = await t.db("alerts").where({
      tenant_id: tenantId,
      employee_id: id,
      type: "remote_agent_payment_noncompliant",
    });
    expect(alert).toMatchObject({ resolved: true, resolution: "auto" });
    const bad = await t.request().post(`/api/employees/${id}/move`).set(h).send({ workCity: "x", date: "2025-11-10" });
    expect(bad.status).toBe(400);
  });

  it("every installed industry rule set is evaluated by the hire (retail-stores in the retail tenant)", async () => {
    const rh = await t.admin("retail");
    const [e] = (await t.request().get("/api/employees").set(rh)).body;
    const res = await t.request().post(`/api/employees/${e.id}/hire`).set(rh).send({ at: "2025-09-03" });
    expect(res.status).toBe(200);
    const retail = (await t.db("tenants").where({ slug: "retail" }).first()).id;
    const rows = await t.db("decisions").where({ tenant_id: retail, employee_id: e.id });
    expect(rows.map((d: Row) => d.rule_set).sort()).toEqual(["enrollment", "retail-stores"]);
    const facts = rows.find((d: Row) => d.rule_set === "retail-stores").facts;
    expect(facts).toMatchObject({ storeCity: "310000", insuredCity: "310000" });
  });

  it("HR sees remote staff by insured city and work city", async () => {
    const res = await t
      .request()
      .get(`/api/employees?filter=${enc({ employmentType: "remote", workCity: "420100", insuredCity: "110000" })}`)
      .set(h);
    expect(res.status).toBe(200);
    expect(res.body.map((e: Row) => e.employeeNo).sort()).toEqual(["R00001", "R00003"]);
  });

  it("once the company registers a unit in the work city, re-deciding enrolls there and clears the alert", async () => {
    const { id, body } = await hireRemote("R00005", "430100");
    const open = body.alerts.find((a: Row) => a.type === "remote_agent_payment_noncompliant");
    expect(open).toBeDefined();
    const hq = await t.db("org_units").where({ tenant_id: tenantId, type: "company" }).first("id");
    const unit = await t
      .request()
      .post("/api/org-units")
      .set(h)
      .send({ name: "长沙分公司", type: "branch", city: "430100", parentId: hq.id });
    expect(unit.status).toBe(201);
    // HR re-decides: the same work city, from December.
    const res = await t
      .request()
      .post(`/api/employees/${id}/move`)
      .set(h)
      .send({ workCity: "430100", date: "2025-12-01" });
    expect(res.status).toBe(200);
    expect(res.body.enrollments.map((e: Row) => [e.insuredCity, e.fromDate, e.toDate])).toEqual([
      ["110000", "2025-09-01", "2025-11-30"],
      ["430100", "2025-12-01", null],
    ]);
    expect(res.body.alerts.some((a: Row) => a.type === "remote_agent_payment_noncompliant")).toBe(false);
    const history = await t.request().get(`/api/alerts/${open.id}/events`).set(h);
    expect(history.status).toBe(200);
    expect(history.body).toEqual([expect.objectContaining({ action: "auto_resolved", note: "remote_local_unit" })]);
    const list = await t
      .request()
      .get(`/api/alerts?filter=${enc({ employeeId: id, view: "resolved" })}`)
      .set(h);
    expect(list.body.map((a: Row) => a.type)).toContain("remote_agent_payment_noncompliant");
  });
});
