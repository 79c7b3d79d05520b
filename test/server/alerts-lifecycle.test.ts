import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc, total } from "../support/http";
import { newEmployee } from "../support/factories";
import { resolveAlerts } from "../../server/alerts/service";
import { backfillAlertParams } from "../../server/db/migrations/011-alert-lifecycle";
import { parseAlertMessage, renderAlertMessage } from "../../domain/index";

// Issue 10 point 8 (alerts with a lifecycle) and issue 9 point 4 (not_enrolled from the monthly run).
let t: TestApp;
let hr: Record<string, string>;
let admin: Record<string, string>;
let employee: Record<string, string>;
let tenantId: string;
let hrUserId: string;
type Row = Record<string, any>;

const zh = (h: Record<string, string>) => ({ ...h, "accept-language": "zh-CN" });
const en = (h: Record<string, string>) => ({ ...h, "accept-language": "en" });

async function alerts(filter: object, h = hr): Promise<Row[]> {
  const res = await t
    .request()
    .get(`/api/alerts?filter=${enc(filter)}&range=[0,999]`)
    .set(h);
  expect(res.status).toBe(200);
  return res.body;
}
async function run(month: string, at: string) {
  const res = await t.request().post("/api/monthly-runs?wait=true").set(admin).send({ month, at });
  expect(res.status).toBe(200);
  expect(res.body.status).toBe("done");
  return res.body;
}
async function createAlert(extra: Record<string, unknown> = {}) {
  const res = await t
    .request()
    .post("/api/alerts")
    .set(hr)
    .send({ type: "probation_review", severity: "info", message: "Probation review due", ...extra });
  expect(res.status).toBe(201);
  return res.body as Row;
}
const history = async (id: string, h = hr) => {
  const res = await t.request().get(`/api/alerts/${id}/events`).set(h);
  expect(res.status).toBe(200);
  return res.body as Row[];
};

beforeAll(async () => {
  t = await startTestApp();
  hr = await t.hr();
  admin = await t.admin("demo");
  employee = await t.employee();
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
  hrUserId = (await t.db("users").where({ email: "hr@demo.local" }).first()).id;
});
afterAll(() => t.close());

describe("the monthly run raises not_enrolled (issue 9 point 4)", () => {
  it("raises one alert per active employee without an enrollment, deduplicated across runs", async () => {
    const active = Number(
      (
        await t
          .db("employees")
          .where({ tenant_id: tenantId, status: "active" })
          .where("hire_date", "<=", "2025-06-30")
          .count({ n: "*" })
      )[0]!.n,
    );
    expect(active).toBeGreaterThan(0);
    const first = await run("2025-06", "2025-06-10");
    expect(first.result.byType.not_enrolled).toBe(active);
    const open = await alerts({ type: "not_enrolled", view: "open" });
    expect(open).toHaveLength(active);
    // The same month again, and the next month: still one open alert per employee.
    await run("2025-06", "2025-06-11");
    await run("2025-07", "2025-07-10");
    expect(await alerts({ type: "not_enrolled", view: "open" })).toHaveLength(active);
  });

  it("renders the message in the reader's language from type and params", async () => {
    const [a] = await alerts({ type: "not_enrolled" }, zh(hr));
    expect(a.data).toMatchObject({ month: "2025-06", source: "monthly-run" });
    expect(a.message).toContain("没有参保登记");
    expect(a.message).toContain(a.data.employeeName);
    const one = await t.request().get(`/api/alerts/${a.id}`).set(en(hr));
    expect(one.body.message).toBe(
      `${a.data.employeeName} (${a.data.employeeNo}) is active but has no enrollment for 2025-06: ` +
        "enroll them or record why not",
    );
    expect(one.body.state).toBe("open");
  });

  it("an enrollment created through the API resolves it, with an automatic history row", async () => {
    const [a] = await alerts({ type: "not_enrolled", view: "open" });
    const res = await t.request().post("/api/enrollments").set(hr).send({
      employeeId: a.employeeId,
      insuredCity: "110000",
      fromDate: "2025-06-01",
      status: "active",
    });
    expect(res.status).toBe(201);
    const after = (await t.request().get(`/api/alerts/${a.id}`).set(hr)).body;
    expect(after).toMatchObject({ resolved: true, state: "resolved", resolution: "auto" });
    const events = await history(a.id);
    expect(events).toEqual([expect.objectContaining({ action: "auto_resolved", note: "enrolled" })]);
    // Enrolled now: the next run raises nothing for them.
    await run("2025-08", "2025-08-10");
    const again = await alerts({ type: "not_enrolled", employeeId: a.employeeId, view: "open" });
    expect(again).toHaveLength(0);
  });

  it("a hire through the lifecycle operation resolves it too", async () => {
    const created = await t
      .request()
      .post("/api/employees")
      .set(admin)
      .send(newEmployee("NE-HIRE", { hireDate: "2025-05-05", insuredCity: "110000" }));
    expect(created.status).toBe(201);
    await run("2025-09", "2025-09-10");
    const [a] = await alerts({ type: "not_enrolled", employeeId: created.body.id, view: "open" });
    expect(a).toBeDefined();
    const hire = await t
      .request()
      .post(`/api/employees/${created.body.id}/hire`)
      .set(zh(hr))
      .send({ at: "2025-09-12" });
    expect(hire.status).toBe(200);
    expect(hire.body.enrollments.length).toBeGreaterThan(0);
    // The operation's answer words its alerts in the reader's language too.
    const overdue = hire.body.alerts.find((x: Row) => x.type === "enrollment_overdue");
    expect(overdue.message).toMatch(/^测试 NE-HIRE 于 2025-05-05 入职，尚未办理社保登记：30 日期限（2025-06-04）已过/);
    expect((await t.request().get(`/api/alerts/${a.id}`).set(hr)).body.resolved).toBe(true);
  });
});

describe("resolve, snooze, assign, reopen with a note and a history", () => {
  it("resolves with a note: who, what, when", async () => {
    const a = await createAlert();
    const res = await t.request().post(`/api/alerts/${a.id}/resolve`).set(hr).send({ note: "talked to the manager" });
    expect(res.status).toBe(200);
    expect(res.body.changed).toEqual([a.id]);
    const events = await history(a.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "resolved", note: "talked to the manager", actorId: hrUserId });
    expect(events[0].actorName).toBeTruthy();
    expect(events[0].createdAt).toBeTruthy();
    const one = (await t.request().get(`/api/alerts/${a.id}`).set(hr)).body;
    expect(one).toMatchObject({ resolved: true, resolvedBy: hrUserId, resolution: "manual" });
    expect(one.resolvedAt).toBeTruthy();
    // Resolving again changes nothing and writes no second history row.
    const again = await t.request().post(`/api/alerts/${a.id}/resolve`).set(hr).send({});
    expect(again.body).toMatchObject({ changed: [], unchanged: [a.id] });
    expect(await history(a.id)).toHaveLength(1);
    const reopened = await t.request().post(`/api/alerts/${a.id}/reopen`).set(hr).send({ note: "came back" });
    expect(reopened.body.changed).toEqual([a.id]);
    expect((await t.request().get(`/api/alerts/${a.id}`).set(hr)).body).toMatchObject({ resolved: false });
    expect((await history(a.id)).map((e) => e.action)).toEqual(["resolved", "reopened"]);
  });

  it("the raw edit form cannot resolve an alert behind its history's back", async () => {
    const a = await createAlert();
    const res = await t.request().put(`/api/alerts/${a.id}`).set(hr).send({ resolved: true, severity: "warning" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resolved: false, severity: "warning" });
    expect(await history(a.id)).toHaveLength(0);
  });

  it("snoozed alerts leave the open list until the date", async () => {
    const a = await createAlert();
    expect((await alerts({ view: "open" })).some((x) => x.id === a.id)).toBe(true);
    const past = await t.request().post(`/api/alerts/${a.id}/snooze`).set(hr).send({ until: "2020-01-01" });
    expect(past.status).toBe(400);
    expect(past.body.code).toBe("INVALID_SNOOZE");
    const bad = await t.request().post(`/api/alerts/${a.id}/snooze`).set(hr).send({ until: "soon" });
    expect(bad.status).toBe(400);
    const res = await t.request().post(`/api/alerts/${a.id}/snooze`).set(hr).send({ until: "2099-01-01", note: "x" });
    expect(res.status).toBe(200);
    expect((await alerts({ view: "open" })).some((x) => x.id === a.id)).toBe(false);
    const snoozed = await alerts({ view: "snoozed" });
    expect(snoozed.find((x) => x.id === a.id)).toMatchObject({ state: "snoozed", snoozedUntil: "2099-01-01" });
    expect((await history(a.id))[0]).toMatchObject({ action: "snoozed", data: { until: "2099-01-01" } });
    // The date arrives: open again, without anyone touching it.
    await t.db("alerts").where({ tenant_id: tenantId, id: a.id }).update({ snoozed_until: "2001-01-01" });
    expect((await alerts({ view: "open" })).find((x) => x.id === a.id)).toMatchObject({ state: "open" });
  });

  it("the dashboard counts snoozed alerts out", async () => {
    const before = (await t.request().get("/api/reports/dashboard").set(hr)).body.alertsByType;
    const count = (rows: Row[]) => rows.find((r) => r.type === "probation_review")?.count ?? 0;
    const a = await createAlert();
    const mid = (await t.request().get("/api/reports/dashboard").set(hr)).body.alertsByType;
    expect(count(mid)).toBe(count(before) + 1);
    await t.request().post(`/api/alerts/${a.id}/snooze`).set(hr).send({ until: "2099-01-01" });
    const after = (await t.request().get("/api/reports/dashboard").set(hr)).body.alertsByType;
    expect(count(after)).toBe(count(before));
  });

  it("assigns to an HR user of the tenant only; assignee=me lists mine", async () => {
    const a = await createAlert();
    const users = (await t.request().get("/api/alerts/assignees").set(hr)).body as Row[];
    expect(users.map((u) => u.id)).toContain(hrUserId);
    expect(users.every((u) => u.role !== "employee")).toBe(true);
    const res = await t
      .request()
      .post(`/api/alerts/${a.id}/assign`)
      .set(hr)
      .send({ assigneeId: hrUserId, note: "yours" });
    expect(res.status).toBe(200);
    expect((await alerts({ assignee: "me" })).map((x) => x.id)).toContain(a.id);
    expect((await alerts({ assignee: "me" }, admin)).map((x) => x.id)).not.toContain(a.id);
    expect((await history(a.id))[0]).toMatchObject({ action: "assigned", note: "yours" });
    expect((await history(a.id))[0].data.assigneeName).toBeTruthy();

    // A user of another tenant only, and the employee's user: refused, nothing written.
    const retail = (await t.db("tenants").where({ slug: "retail" }).first()).id;
    const [outsider] = await t
      .db("users")
      .insert({ email: "hr@retail.local", name: "Retail HR", password_hash: "x", role: "hr_admin" })
      .returning("id");
    await t.db("user_tenants").insert({ user_id: outsider.id, tenant_id: retail });
    const cross = await t.request().post(`/api/alerts/${a.id}/assign`).set(hr).send({ assigneeId: outsider.id });
    expect(cross.status).toBe(400);
    expect(cross.body.code).toBe("INVALID_ASSIGNEE");
    const emp = (await t.db("users").where({ email: "employee@demo.local" }).first()).id;
    const toEmployee = await t.request().post(`/api/alerts/${a.id}/assign`).set(hr).send({ assigneeId: emp });
    expect(toEmployee.status).toBe(400);
    // A disabled HR user of the tenant is no assignee either.
    await t.db("users").where({ id: outsider.id }).update({ disabled: true });
    await t.db("user_tenants").insert({ user_id: outsider.id, tenant_id: tenantId });
    const disabled = await t.request().post(`/api/alerts/${a.id}/assign`).set(hr).send({ assigneeId: outsider.id });
    expect(disabled.body.code).toBe("INVALID_ASSIGNEE");
    expect((await t.request().get("/api/alerts/assignees").set(hr)).body.map((u: Row) => u.id)).not.toContain(
      outsider.id,
    );
    expect((await t.request().get(`/api/alerts/${a.id}`).set(hr)).body.assigneeId).toBe(hrUserId);
    expect(await history(a.id)).toHaveLength(1);
  });

  it("bulk actions: all or nothing", async () => {
    const xs = [await createAlert(), await createAlert(), await createAlert()];
    const ids = xs.map((x) => x.id);
    const unknown = "00000000-0000-4000-8000-000000000000";
    const refused = await t
      .request()
      .post("/api/alerts/bulk")
      .set(hr)
      .send({ ids: [...ids, unknown], action: "resolve" });
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe("ALERT_NOT_FOUND");
    expect((await alerts({ id: ids, resolved: true })).length).toBe(0);
    const badAction = await t.request().post("/api/alerts/bulk").set(hr).send({ ids, action: "delete" });
    expect(badAction.status).toBe(400);
    const noUntil = await t.request().post("/api/alerts/bulk").set(hr).send({ ids, action: "snooze" });
    expect(noUntil.status).toBe(400);
    expect(noUntil.body.code).toBe("ALERT_ACTION_REQUIRES");
    const res = await t.request().post("/api/alerts/bulk").set(hr).send({ ids, action: "resolve", note: "batch" });
    expect(res.status).toBe(200);
    expect(res.body.changed.sort()).toEqual([...ids].sort());
    expect((await alerts({ id: ids, view: "resolved" })).length).toBe(3);
    for (const id of ids) expect((await history(id))[0]).toMatchObject({ action: "resolved", note: "batch" });
    const assigned = await t
      .request()
      .post("/api/alerts/bulk")
      .set(hr)
      .send({ ids, action: "assign", assigneeId: hrUserId });
    expect(assigned.body.changed).toHaveLength(3);
  });

  it("another tenant's alert is a 404", async () => {
    const retailAdmin = await t.admin("retail");
    const a = await createAlert();
    const res = await t.request().post(`/api/alerts/${a.id}/resolve`).set(retailAdmin).send({});
    expect(res.status).toBe(404);
    expect((await t.request().get(`/api/alerts/${a.id}/events`).set(retailAdmin)).status).toBe(404);
  });
});

describe("roles", () => {
  it("employees cannot act and see only their own alerts and history", async () => {
    const me = (await t.db("users").where({ email: "employee@demo.local" }).first()).employee_id;
    const mine = await createAlert({ employeeId: me });
    const theirs = await createAlert();
    const res = await t.request().post(`/api/alerts/${mine.id}/resolve`).set(employee).send({});
    expect(res.status).toBe(403);
    const bulk = await t
      .request()
      .post("/api/alerts/bulk")
      .set(employee)
      .send({ ids: [mine.id], action: "resolve" });
    expect(bulk.status).toBe(403);
    const seen = await alerts({}, employee);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => x.employeeId === me)).toBe(true);
    expect((await t.request().get(`/api/alerts/${mine.id}/events`).set(employee)).status).toBe(200);
    expect((await t.request().get(`/api/alerts/${theirs.id}/events`).set(employee)).status).toBe(404);
    expect((await t.request().get("/api/alerts/assignees").set(employee)).status).toBe(403);
  });
});

describe("resolveAlerts: a condition that clears resolves its alerts", () => {
  it("resolves only the matching month of an employee", async () => {
    const [e] = await t.db("employees").where({ tenant_id: tenantId }).orderBy("employee_no").limit(1);
    const base = { type: "not_received", severity: "critical", employeeId: e.id, message: "old text" };
    const may = await createAlert({ ...base, data: { previousMonth: "2025-05" }, dedupeKey: "nr:test:2025-05" });
    const june = await createAlert({ ...base, data: { previousMonth: "2025-06" }, dedupeKey: "nr:test:2025-06" });
    const ids = await t.db.transaction((trx) =>
      resolveAlerts(trx, tenantId, { type: "not_received", employeeId: e.id, month: "2025-05" }, "paid"),
    );
    expect(ids).toEqual([may.id]);
    expect((await t.request().get(`/api/alerts/${june.id}`).set(hr)).body.resolved).toBe(false);
    expect((await history(may.id))[0]).toMatchObject({ action: "auto_resolved", note: "paid", actorId: null });
  });
});

describe("messages stored before: read back into params (migration 011)", () => {
  it("parses an old English message and renders it in Chinese", async () => {
    const text = "王芳 (E00009): the contribution for 2025-04 has not been received (late fee 0.05% a day, Art. 86)";
    expect(parseAlertMessage("not_received", text)).toEqual({
      employeeName: "王芳",
      employeeNo: "E00009",
      previousMonth: "2025-04",
    });
    expect(parseAlertMessage("not_received", "something else")).toBeUndefined();
    const [row] = await t
      .db("alerts")
      .insert({ tenant_id: tenantId, type: "not_received", severity: "critical", message: text, data: "{}" })
      .returning("id");
    expect(await backfillAlertParams(t.db)).toBeGreaterThan(0);
    const zhView = (await t.request().get(`/api/alerts/${row.id}`).set(zh(hr))).body;
    expect(zhView.message).toBe("王芳（E00009）：2025-04 的社保费尚未到账（滞纳金每日 0.05%，第八十六条）");
    expect((await t.request().get(`/api/alerts/${row.id}`).set(en(hr))).body.message).toBe(text);
  });

  it("a type the catalogue does not know keeps its stored text in every language", async () => {
    const a = await createAlert({ message: "Probation review due" });
    expect((await t.request().get(`/api/alerts/${a.id}`).set(zh(hr))).body.message).toBe("Probation review due");
    // A catalogued type without the params its texts need: in Chinese, its name and whom it is about.
    expect(renderAlertMessage("not_received", { employeeName: "x" }, "zh-CN", "fallback")).toBe("费用未到账：x");
    expect(renderAlertMessage("not_received", { employeeName: "x" }, "en", "fallback")).toBe("fallback");
  });

  it("alerts raised by rule sets keep the message's params in data", async () => {
    const res = await t
      .request()
      .get(`/api/alerts?filter=${enc({ type: "not_enrolled" })}&range=[0,0]`)
      .set(hr);
    expect(total(res)).toBeGreaterThan(0);
    // The wage-change rule's not_enrolled alert: only employeeName, so the second catalogue variant.
    const [e] = await t
      .db("employees as e")
      .where({ "e.tenant_id": tenantId, "e.status": "active" })
      .whereNotExists(t.db("enrollments as n").whereRaw("n.tenant_id = e.tenant_id AND n.employee_id = e.id"))
      .orderBy("e.employee_no")
      .limit(1)
      .select("e.*");
    const wage = await t
      .request()
      .post(`/api/employees/${e.id}/wage-change`)
      .set(hr)
      .send({ wage: 15000, effectiveMonth: "2025-10", at: "2025-10-01" });
    expect(wage.status).toBe(200);
    const raised = (await alerts({ employeeId: e.id, type: "not_enrolled" }, zh(hr))).find(
      (x) => x.data.source === undefined,
    );
    expect(raised).toBeDefined();
    expect(raised!.data.employeeName).toBe(e.name);
    expect(raised!.message).toBe(`${e.name} 的工资已调整，但没有可调整基数的参保登记`);
  });
});
