/**
 * The monthly run hands every event of the monthly-check rule set to its registered action, with host
 * services that batch the chunk's writes: a plugin action works there as in an operation's apply.
 * A run that fails stores a code and a message for users, never SQL.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let h: Record<string, string>;
type Row = Record<string, any>;

beforeAll(async () => {
  t = await startTestApp({
    ORDO_PLUGINS: "core-operators,hr-dates,record-decision,social-insurance,example-probation",
  });
  h = await t.admin("demo");
});
afterAll(() => t.close());

async function publishMonthlyCheck(rules: unknown[], effectiveFrom: string) {
  const doc = (await t.request().get("/api/rule-sets/monthly-check").set(h)).body;
  const saved = await t
    .request()
    .put("/api/rule-sets/monthly-check")
    .set(h)
    .send({ revision: doc.revision, rules, testCases: [] });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const published = await t.request().post("/api/rule-sets/monthly-check/publish").set(h).send({ effectiveFrom });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}

const employeeScope = { all: [{ fact: "scope", operator: "equal", value: "employee" }] };

describe("monthly run events through the action registry", () => {
  it("a queue-reminder event and the example plugin's action write their rows, batched per chunk", async () => {
    await publishMonthlyCheck(
      [
        {
          name: "statement",
          conditions: employeeScope,
          event: {
            type: "queue-reminder",
            params: {
              template: "monthly-statement",
              recipient: "employee",
              dueInDays: 5,
              payload: { month: { fact: "month" } },
            },
          },
        },
        {
          name: "review",
          conditions: employeeScope,
          event: { type: "probation-review", params: { message: "Review" } },
        },
      ],
      "2025-06-01",
    );
    const template = {
      key: "monthly-statement",
      name: "Monthly statement",
      audience: "employee",
      channels: ["in-app"],
      subject: { "zh-CN": "{{ event.month | month_zh }}缴费明细" },
      body: { "zh-CN": "{{ employeeName }}，您好。" },
    };
    expect((await t.request().post("/api/reminder-templates").set(h).send(template)).status).toBe(201);
    expect(
      (
        await t
          .request()
          .post("/api/reminder-templates/monthly-statement/publish")
          .set(h)
          .send({ effectiveFrom: "2000-01-01" })
      ).status,
    ).toBe(201);
    const { tenant_id: tenantId } = await t.db("tenants").where({ slug: "demo" }).select("id as tenant_id").first();
    const employees = Number((await t.db("employees").where({ tenant_id: tenantId }).count({ n: "*" }))[0]!.n);
    expect(employees).toBeGreaterThan(1);
    const inserts: string[] = [];
    const onQuery = (q: { sql: string }) => {
      if (/^insert into "(notifications|alerts)"/i.test(q.sql)) inserts.push(q.sql.slice(0, 30));
    };
    t.db.on("query", onQuery);
    const res = await t
      .request()
      .post("/api/monthly-runs?wait=true")
      .set(h)
      .send({ month: "2025-06", at: "2025-06-20" });
    t.db.off("query", onQuery);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "done", error: null });
    const decisionId = res.body.result.decisionId;
    expect(res.body.result).toMatchObject({ reminders: employees, byType: { probation_review: employees } });

    const reminders: Row[] = await t.db("notifications").where({ tenant_id: tenantId, template: "monthly-statement" });
    expect(reminders).toHaveLength(employees);
    expect(reminders[0]).toMatchObject({
      audience: "employee",
      status: "queued",
      subject: "2025年6月缴费明细",
      facts: { event: { month: "2025-06" } },
      decision_id: decisionId,
    });
    expect(new Set(reminders.map((r) => r.employee_id)).size).toBe(employees);
    const reviews: Row[] = await t.db("alerts").where({ tenant_id: tenantId, type: "probation_review" });
    expect(reviews).toHaveLength(employees);
    expect(reviews.every((a) => a.decision_id === decisionId && a.severity === "info")).toBe(true);
    // One chunk (fewer than 2,000 employees): one statement for each table, not one per employee.
    expect(inserts.filter((s) => s.includes("notifications"))).toHaveLength(1);
    expect(inserts.filter((s) => s.includes("alerts"))).toHaveLength(1);
  });

  it("a run whose action fails in the database stores a code and a message, and logs the detail", async () => {
    await publishMonthlyCheck(
      [
        {
          name: "impossible date",
          conditions: employeeScope,
          // A calendar date of year 0, so it reaches the database, which refuses it.
          event: { type: "queue-reminder", params: { template: "x", dueDate: "0000-01-01" } },
        },
      ],
      "2026-01-01",
    );
    const logged = vi.spyOn(t.ctx.logger, "error");
    const res = await t
      .request()
      .post("/api/monthly-runs?wait=true")
      .set(h)
      .send({ month: "2026-02", at: "2026-02-20" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("failed");
    expect(res.body.error).toEqual({ code: "MONTHLY_RUN_FAILED", message: expect.stringContaining("2026-02") });
    const stored = (await t.db("jobs").where({ id: res.body.id }).first()).error as string;
    expect(JSON.parse(stored)).toEqual(res.body.error);
    expect(stored).not.toMatch(/insert|select|reminders|notifications|date\/time|out of range|"\w+"\s*\(/i);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), "monthly run failed");
    const err = (logged.mock.calls[0]![0] as { err: Error }).err;
    expect(`${err.message}\n${err.stack}`).toMatch(/insert into "notifications"/i);
    logged.mockRestore();
  });
});
