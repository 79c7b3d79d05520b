/**
 * Triggers: queue-reminder renders the template when queued and writes the outbox. The acceptance: the
 * demo employee who leaves gets an in-app notification in zh-CN stating the month the gap starts, the
 * pay-by date and the amount, equal to /api/si/back-payment for the same months; running the same
 * monthly run twice sends nothing twice; a segment that does not match queues nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc, total } from "../support/http";
import { employeeIdOf, tenantIdOf } from "../support/notifications";
import { dispatchNotifications } from "../../server/notifications/dispatch";
import { addMonths, lastDay, monthOf } from "../../policies/index";
import { dateZh, money, monthZh } from "../../server/reminders/filters";
import { runDemoActivity } from "../../server/demo-activity";

let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
type Row = Record<string, any>;

const list = async (resource: string, filter: object): Promise<Row[]> => {
  const res = await t
    .request()
    .get(`/api/${resource}?filter=${enc(filter)}&range=[0,999]`)
    .set(h);
  expect(res.status).toBe(200);
  return res.body;
};

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  tenantId = await tenantIdOf(t);
  // The first-start demo history (the test template has none): four monthly runs, E00004 leaving.
  await runDemoActivity(t.ctx, "2026-11-25");
});
afterAll(() => t.close());

describe("acceptance: the leaving demo employee's gap notice", () => {
  it("states the gap month, pay-by date and amount of /api/si/back-payment, in zh-CN, in the inbox", async () => {
    // The demo activity records E00004 leaving at the end of next month (server/demo-activity.ts).
    const leaving = await employeeIdOf(t, tenantId, "E00004");
    const employee = (await t.request().get(`/api/employees/${leaving}`).set(h)).body;
    expect(employee.leaveDate).toBeTruthy();
    const [notice] = await list("notifications", {
      employeeId: leaving,
      template: "si-gap-options",
      channel: "in-app",
    });
    expect(notice).toMatchObject({ locale: "zh-CN", audience: "employee", status: "queued", templateVersion: 1 });

    // The same months, asked of the API on their own: the gap starts the month after leaving and the
    // city's window (si-city-settings) sets the last month and the pay-by date.
    const [enrollment] = await list("enrollments", { employeeId: leaving, status: "ended" });
    const gapStarts = addMonths(monthOf(employee.leaveDate), 1);
    const settings = await t
      .request()
      .get(
        `/api/policy-lookup?table=si-city-settings&key=${enc({ city: enrollment.insuredCity })}&date=${gapStarts}-01`,
      )
      .set(h);
    expect(settings.status).toBe(200);
    const window = settings.body.row.values.backPaymentWindowMonths as number;
    expect(window).toBeGreaterThan(0);
    const to = addMonths(gapStarts, window - 1);
    const api = await t
      .request()
      .post("/api/si/back-payment")
      .set(h)
      .send({
        city: enrollment.insuredCity,
        months: { from: gapStarts, to },
        wage: enrollment.base ?? employee.monthlyWage,
        paymentDate: lastDay(to),
        hukouLocal: employee.hukouLocal,
      });
    expect(api.status).toBe(200);
    expect(notice.subject).toContain(monthZh(gapStarts));
    expect(notice.body).toContain(`您的社保将于${monthZh(gapStarts)}断缴`);
    expect(notice.body).toContain(`请在${dateZh(lastDay(to))}前补缴${api.body.months.length}个月社保`);
    expect(notice.body).toContain(`共计${money(api.body.totals.total)}`);
    expect(notice.body).toContain(`每月${money(api.body.months[0].owed)}`);

    // Sent: it is in the outbox as sent, with its delivery log.
    await dispatchNotifications(t.ctx, tenantId);
    const sent = (await t.request().get(`/api/notifications/${notice.id}`).set(h)).body;
    expect(sent).toMatchObject({ status: "sent", attempts: 1 });
    const log = (await t.request().get(`/api/notifications/${notice.id}/attempts`).set(h)).body;
    expect(log).toMatchObject([{ attempt: 1, channel: "in-app", outcome: "sent", errorCode: null }]);
  });
});

describe("monthly runs", () => {
  it("running the same monthly run twice queues and sends nothing twice", async () => {
    // HR's payment-deadline notice per city, next to the shipped alert.
    const doc = (await t.request().get("/api/rule-sets/monthly-check").set(h)).body;
    const deadline = doc.rules.find((r: Row) => r.name === "payment-deadline");
    const reminder = {
      name: "payment-deadline-notice",
      conditions: deadline.conditions,
      event: {
        type: "queue-reminder",
        params: {
          recipient: "hr",
          template: "hr-payment-deadline",
          period: "{month}:{city}",
          payload: {
            city: { fact: "city" },
            month: { fact: "month" },
            paymentDeadline: { fact: "paymentDeadline" },
            employees: { fact: "employees" },
            amountDue: { fact: "amountDue" },
          },
        },
      },
    };
    const saved = await t
      .request()
      .put("/api/rule-sets/monthly-check")
      .set(h)
      .send({ revision: doc.revision, rules: [...doc.rules, reminder], testCases: [] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const published = await t
      .request()
      .post("/api/rule-sets/monthly-check/publish")
      .set(h)
      .send({ effectiveFrom: "2000-01-01" });
    expect(published.status, JSON.stringify(published.body)).toBe(201);

    const month = "2026-11";
    const run = async () => {
      const res = await t
        .request()
        .post("/api/monthly-runs?wait=true")
        .set(h)
        .send({ month, at: `${month}-05` });
      expect(res.body.status, JSON.stringify(res.body)).toBe("done");
      return res.body.result;
    };
    const first = await run();
    const rows = await list("notifications", { template: "hr-payment-deadline", period: undefined });
    const ours = rows.filter((r) => r.period.startsWith(`${month}:`));
    expect(ours.length).toBeGreaterThan(0);
    expect(first.reminders).toBe(ours.length);
    // One per city and channel, rendered with the city's figures.
    const cities = new Set(ours.map((r) => r.period));
    expect(ours.length).toBe(cities.size * 2);
    expect(ours[0].body).toMatch(/前缴纳.+2026年11月的社保费用：\d+人，合计¥/);
    const inApp = ours.filter((r) => r.channel === "in-app").map((r) => r.id);

    await dispatchNotifications(t.ctx, tenantId);
    const sentOnce = (await list("notifications", { template: "hr-payment-deadline", status: "sent" })).length;
    const hrInbox = (
      await t
        .request()
        .get("/api/me/inbox?limit=200")
        .set(await t.hr())
    ).body;
    expect(hrInbox.data.map((n: Row) => n.id)).toEqual(expect.arrayContaining(inApp));

    const second = await run();
    expect(second.reminders).toBe(0);
    const after = (await list("notifications", { template: "hr-payment-deadline" })).filter((r) =>
      r.period.startsWith(`${month}:`),
    );
    expect(after).toHaveLength(ours.length);
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ claimed: 0 });
    expect((await list("notifications", { template: "hr-payment-deadline", status: "sent" })).length).toBe(sentOnce);
    const attempts = await t
      .db("notification_attempts")
      .where({ tenant_id: tenantId })
      .whereIn(
        "notification_id",
        ours.map((r) => r.id),
      );
    expect(attempts).toHaveLength(ours.length); // one delivery each, ever
    const q = await t
      .request()
      .get(`/api/notifications?filter=${enc({ template: "hr-payment-deadline" })}`)
      .set(h);
    expect(total(q)).toBeGreaterThanOrEqual(ours.length);
  });
});

describe("alerts naming a template", () => {
  it("raise-alert with a template also queues the rendered notification, once per alert", async () => {
    const ruleSet = {
      key: "deadline-alert",
      name: "Deadline alert",
      facts: { city: { type: "string" }, amountDue: { type: "string" } },
      rules: [
        {
          name: "deadline",
          conditions: { all: [{ fact: "amountDue", operator: "notEqual", value: "0" }] },
          event: {
            type: "raise-alert",
            params: {
              type: "payment_deadline",
              severity: "info",
              message: "Pay {city} by 2026-12-15",
              dueDate: "2026-12-15",
              dedupeKey: "deadline-alert:{city}",
              template: "hr-payment-deadline",
              data: {
                city: { fact: "city" },
                month: "2026-12",
                paymentDeadline: "2026-12-15",
                employees: 3,
                amountDue: { fact: "amountDue" },
              },
            },
          },
        },
      ],
    };
    expect((await t.request().post("/api/rule-sets").set(h).send(ruleSet)).status).toBe(201);
    const published = await t
      .request()
      .post("/api/rule-sets/deadline-alert/publish")
      .set(h)
      .send({ effectiveFrom: "2000-01-01" });
    expect(published.status).toBe(201);
    const apply = () =>
      t
        .request()
        .post("/api/rule-sets/deadline-alert/apply")
        .set(h)
        .send({ at: "2026-12-01", facts: { city: "310000", amountDue: "12345.60" } });
    const first = await apply();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const rows = await list("notifications", { template: "hr-payment-deadline", audience: "hr" });
    const ours = rows.filter((r) => r.period === "alert:deadline-alert:310000");
    expect(ours.map((r) => r.channel).sort()).toEqual(["email", "in-app"]);
    expect(ours[0].body).toContain("上海2026年12月的社保费用：3人，合计¥12,345.60");
    expect((await apply()).status).toBe(200);
    const again = (await list("notifications", { template: "hr-payment-deadline" })).filter(
      (r) => r.period === "alert:deadline-alert:310000",
    );
    expect(again).toHaveLength(2);
  });
});
