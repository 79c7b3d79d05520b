/**
 * Reminder templates: validation naming the JSON pointer and the placeholder or filter, versions gated by
 * test cases, the default pack, previews against the demo employee who leaves (figures equal to
 * /api/si/back-payment), segments, HTML escaping in email, and renderReminder on the published version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { total } from "../support/http";
import { runDemoActivity } from "../../server/demo-activity";
import { renderReminder } from "../../server/reminders/render";
import { reminderFacts } from "../../server/reminders/facts";
import { money } from "../../server/reminders/filters";

let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
const TODAY = "2025-11-10";
beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
});
afterAll(() => t.close());

const draft = (key: string, over: Record<string, unknown> = {}) => ({
  key,
  name: `Template ${key}`,
  audience: "employee",
  channels: ["in-app", "email"],
  subject: { "zh-CN": "提醒：{{ employeeName }}", en: "Reminder: {{ employeeName }}" },
  body: {
    "zh-CN": "您的社保将于{{ gapStartsMonth | month_zh }}断缴。",
    en: "Gap from {{ gapStartsMonth | month_en }}.",
  },
  testCases: [
    {
      name: "gap month",
      facts: { employeeName: "王芳", gapStartsMonth: "2024-05" },
      expectBodyContains: ["2024年5月"],
    },
  ],
  ...over,
});
const post = (path: string, body: object, headers = h) => t.request().post(path).set(headers).send(body);

describe("validation on every save", () => {
  it("an unknown placeholder is a 400 naming the JSON pointer and the placeholder", async () => {
    const res = await post(
      "/api/reminder-templates",
      draft("bad-placeholder", { body: { "zh-CN": "您好 {{ salary }}" } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("UNKNOWN_PLACEHOLDER");
    expect(res.body.params).toMatchObject({ pointer: "/body/zh-CN", placeholder: "salary" });
    expect(res.body.message).toContain("salary");
    expect(res.body.errors).toHaveProperty("/body/zh-CN");
    // An unknown member of a known object fact, in the English subject.
    const member = await post(
      "/api/reminder-templates",
      draft("bad-member", { subject: { "zh-CN": "好", en: "{{ backPayment.nope }}" } }),
    );
    expect(member.status).toBe(400);
    expect(member.body.params).toMatchObject({ pointer: "/subject/en", placeholder: "backPayment.nope" });
    // The error message comes in Chinese too.
    const zh = await t
      .request()
      .post("/api/reminder-templates")
      .set({ ...h, "accept-language": "zh-CN" })
      .send(draft("bad-zh", { body: { "zh-CN": "{{ salary }}" } }));
    expect(zh.body.message).toContain("占位符 salary 不存在");
    expect((await t.request().get("/api/reminder-templates/bad-placeholder").set(h)).status).toBe(404);
  });

  it("an unknown filter is a 400 naming it; zh-CN is required; channels and audience are checked", async () => {
    const res = await post("/api/reminder-templates", draft("bad-filter", { body: { "zh-CN": "{{ today | rmb }}" } }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("UNKNOWN_FILTER");
    expect(res.body.params).toMatchObject({ pointer: "/body/zh-CN", filter: "rmb" });
    const noZh = await post("/api/reminder-templates", draft("no-zh", { subject: { en: "Hello" } }));
    expect(noZh.status).toBe(400);
    expect(noZh.body.params.pointer).toBe("/subject/zh-CN");
    const channel = await post("/api/reminder-templates", draft("bad-channel", { channels: ["sms"] }));
    expect(channel.status).toBe(400);
    expect(channel.body.params.pointer).toBe("/channels/0");
    const audience = await post("/api/reminder-templates", draft("bad-audience", { audience: "boss" }));
    expect(audience.body.params.pointer).toBe("/audience");
    const segment = await post(
      "/api/reminder-templates",
      draft("bad-segment", { segment: { all: [{ fact: "age", operator: "olderThan", value: 3 }] } }),
    );
    expect(segment.status).toBe(400);
    expect(segment.body.params.pointer).toMatch(/^\/segment\/all\/0/);
    // A save of an existing draft is validated the same way.
    await post("/api/reminder-templates", draft("save-check")).expect(201);
    const put = await t
      .request()
      .put("/api/reminder-templates/save-check")
      .set(h)
      .send({ revision: 1, body: { "zh-CN": "{{ nope }}" } });
    expect(put.status).toBe(400);
    expect(put.body.params).toMatchObject({ pointer: "/body/zh-CN", placeholder: "nope" });
  });

  it("only a consultant writes; HR reads and previews; an employee does neither", async () => {
    const hr = await t.hr();
    expect((await post("/api/reminder-templates", draft("by-hr"), hr)).status).toBe(403);
    expect((await t.request().get("/api/reminder-templates").set(hr)).status).toBe(200);
    const employee = await t.employee();
    expect((await t.request().get("/api/reminder-templates").set(employee)).status).toBe(403);
    expect((await post("/api/reminder-templates/si-gap-options/preview", { facts: {} }, employee)).status).toBe(403);
  });
});

describe("versions", () => {
  it("publishing is refused while a test case fails; versions, diff, rollback, immutability", async () => {
    const failing = draft("versioned", {
      testCases: [
        {
          name: "wrong month",
          facts: { employeeName: "王芳", gapStartsMonth: "2024-05" },
          expectBodyContains: ["2024年6月"],
        },
      ],
    });
    const created = await post("/api/reminder-templates", failing);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "versioned", revision: 1, latestVersion: null, audience: "employee" });
    const refused = await post("/api/reminder-templates/versioned/publish", {});
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("TESTS_FAILED");
    expect(refused.body.details.results[0].differences[0]).toContain("2024年6月");
    const tested = await post("/api/reminder-templates/versioned/test", {});
    expect(tested.body).toMatchObject({ passed: false, version: "draft" });

    const fixed = await t
      .request()
      .put("/api/reminder-templates/versioned")
      .set(h)
      .send({ revision: 1, testCases: draft("x").testCases });
    expect(fixed.status).toBe(200);
    expect(fixed.body.revision).toBe(2);
    const stale = await t.request().put("/api/reminder-templates/versioned").set(h).send({ revision: 1, name: "x" });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe("STALE_REVISION");
    expect((await post("/api/reminder-templates/versioned/publish", { note: "first" })).body.version).toBe(1);
    expect((await post("/api/reminder-templates/versioned/publish", {})).body.code).toBe("DRAFT_UNCHANGED");

    await t
      .request()
      .put("/api/reminder-templates/versioned")
      .set(h)
      .send({ revision: 2, body: { "zh-CN": "{{ gapStartsMonth | month_zh }}起断缴。" } })
      .expect(200);
    expect((await post("/api/reminder-templates/versioned/publish", {})).body.version).toBe(2);
    const versions = await t.request().get("/api/reminder-templates/versioned/versions").set(h);
    expect(total(versions)).toBe(2);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const diff = await t.request().get("/api/reminder-templates/versioned/versions/1/diff/2").set(h);
    expect(diff.status).toBe(200);
    expect(diff.body.modified).toEqual([
      {
        pointer: "/body/zh-CN",
        before: "您的社保将于{{ gapStartsMonth | month_zh }}断缴。",
        after: "{{ gapStartsMonth | month_zh }}起断缴。",
      },
    ]);
    // The English body is gone in version 2 (the save replaced the whole body object).
    expect(diff.body.removed.map((c: { pointer: string }) => c.pointer)).toEqual(["/body/en"]);

    const rolled = await post("/api/reminder-templates/versioned/rollback", { version: 1 });
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({ version: 3, rolledBackFrom: 1 });
    const v3 = await t.request().get("/api/reminder-templates/versioned/versions/3").set(h);
    expect(v3.body.content.body["zh-CN"]).toBe("您的社保将于{{ gapStartsMonth | month_zh }}断缴。");
    expect((await t.request().put("/api/reminder-templates/versioned/versions/1").set(h).send({})).status).toBe(409);

    // renderReminder renders the published version in force, not the draft.
    await t
      .request()
      .put("/api/reminder-templates/versioned")
      .set(h)
      .send({ revision: 4, body: { "zh-CN": "草稿 {{ gapStartsMonth }}" } })
      .expect(200);
    const r = await renderReminder(t.db, tenantId, {
      template: "versioned",
      facts: { employeeName: "王芳", gapStartsMonth: "2024-05" },
    });
    expect(r).toMatchObject({ templateKey: "versioned", templateVersion: 3, body: "您的社保将于2024年5月断缴。" });
    const unpublished = await post("/api/reminder-templates", draft("never-published"));
    expect(unpublished.status).toBe(201);
    await expect(renderReminder(t.db, tenantId, { template: "never-published", facts: {} })).rejects.toMatchObject({
      code: "NO_VERSION_IN_FORCE",
    });
  });
});

describe("the default pack", () => {
  it("installs the seed's templates, published, each with passing test cases", async () => {
    const res = await t.request().get("/api/reminder-templates?range=[0,99]").set(h);
    const keys = res.body.map((r: { key: string }) => r.key);
    for (const k of [
      "si-gap-options",
      "si-back-payment-window",
      "hr-leave-upcoming",
      "hr-payment-deadline",
      "si-gap-young-housing",
      "si-gap-middle-aged-medical",
      "si-other-city-rates",
    ]) {
      expect(keys).toContain(k);
      const rec = res.body.find((r: { key: string }) => r.key === k);
      expect(rec.latestVersion).toBe(1);
      expect(rec.testCases.length).toBeGreaterThan(0);
      const tested = await post(`/api/reminder-templates/${k}/test`, { version: 1 });
      expect(tested.body.passed, `${k}: ${JSON.stringify(tested.body.results)}`).toBe(true);
    }
    const hr = res.body.find((r: { key: string }) => r.key === "hr-leave-upcoming");
    expect(hr.audience).toBe("hr");
  });
});

describe("preview", () => {
  let leaving: Record<string, any>;
  beforeAll(async () => {
    await runDemoActivity(t.ctx, TODAY);
    leaving = await t
      .db("employees")
      .where({ tenant_id: tenantId, status: "active" })
      .whereNotNull("leave_date")
      .first();
  });

  it("for the demo employee who leaves: gap month, pay-by date and amount equal to /api/si/back-payment", async () => {
    expect(leaving.leave_date).toBe("2025-12-31");
    const enrollment = await t
      .db("enrollments")
      .where({ tenant_id: tenantId, employee_id: leaving.id })
      .orderBy("from_date", "desc")
      .first();
    // Shenzhen (the branch of E00004) lets a gap be back-paid within 3 months of leaving.
    expect(enrollment.insured_city).toBe("440300");
    const bp = await post("/api/si/back-payment", {
      city: "440300",
      months: { from: "2026-01", to: "2026-03" },
      wage: enrollment.base,
      paymentDate: "2026-03-31",
      hukouLocal: leaving.hukou_local,
    });
    expect(bp.status).toBe(200);
    const res = await post("/api/reminder-templates/si-gap-options/preview", {
      employeeId: leaving.id,
      locale: "zh-CN",
      at: TODAY,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      template: "si-gap-options",
      version: "draft",
      locale: "zh-CN",
      segmentMatched: true,
    });
    expect(res.body.subject).toContain("2026年1月");
    expect(res.body.body).toContain("您的社保将于2026年1月断缴");
    expect(res.body.body).toContain(`请在2026年3月31日前补缴3个月社保`);
    expect(res.body.body).toContain(`共计${money(bp.body.totals.total)}`);
    expect(res.body.body).toContain(`每月${money(bp.body.months[0].owed)}`);
    expect(res.body.facts.backPayment).toMatchObject({
      total: bp.body.totals.total,
      owed: bp.body.totals.owed,
      lateFee: bp.body.totals.lateFee,
      payBy: "2026-03-31",
      months: 3,
    });
    expect(res.body.body).toContain("灵活就业");

    const en = await post("/api/reminder-templates/si-gap-options/preview", {
      employeeId: leaving.id,
      locale: "en",
      at: TODAY,
    });
    expect(en.body.locale).toBe("en");
    expect(en.body.subject).toContain("January 2026");
    expect(en.body.body).toContain(`by March 31, 2026: ${money(bp.body.totals.total)} in total`);

    // The published version renders the same for the outbox.
    const rendered = await renderReminder(t.db, tenantId, {
      template: "si-gap-options",
      employeeId: leaving.id,
      at: TODAY,
      channel: "in-app",
    });
    expect(rendered).toMatchObject({ templateVersion: 1, audience: "employee", channels: ["in-app", "email"] });
    expect(rendered.body).toBe(res.body.body);
  });

  it("the employee's facts come from the ledger and the employee record", async () => {
    const facts = await reminderFacts(t.db, tenantId, leaving.id, { note: "x" }, TODAY);
    const [by, bm, bd] = String(leaving.birth_date).split("-").map(Number) as [number, number, number];
    const age = 2025 - by - (11 < bm || (11 === bm && 10 < bd) ? 1 : 0);
    expect(facts).toMatchObject({
      age,
      insuredCity: "440300",
      insuredCityZh: "深圳",
      headOfficeCity: "110000",
      insuredElsewhere: true,
      hukouLocal: leaving.hukou_local,
      leaveDate: "2025-12-31",
      lastPaidMonth: "2025-12",
      gapStartsMonth: "2026-01",
      noticeDate: "2025-12-01",
      event: { note: "x" },
    });
    // Four monthly runs paid (the last one still due): four months in a row, no gap.
    expect(facts.continuousMonths).toBe(4);
    expect(facts.gapMonths).toBe(0);
    await expect(reminderFacts(t.db, tenantId, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("answers whether the segment matches, from given facts or the employee's", async () => {
    const young = await post("/api/reminder-templates/si-gap-young-housing/preview", {
      facts: { ...(await reminderFacts(t.db, tenantId, leaving.id, {}, TODAY)), age: 29 },
    });
    expect(young.status).toBe(200);
    expect(young.body.segmentMatched).toBe(true);
    const older = await post("/api/reminder-templates/si-gap-young-housing/preview", {
      employeeId: leaving.id,
      facts: { age: 45 },
      at: TODAY,
    });
    expect(older.body.segmentMatched).toBe(false);
    const middle = await post("/api/reminder-templates/si-gap-middle-aged-medical/preview", {
      employeeId: leaving.id,
      facts: { age: 45 },
      at: TODAY,
    });
    expect(middle.body.segmentMatched).toBe(true);
    const elsewhere = await post("/api/reminder-templates/si-other-city-rates/preview", {
      employeeId: leaving.id,
      at: TODAY,
    });
    expect(elsewhere.body.segmentMatched).toBe(true);
    expect(elsewhere.body.body).toContain("您在深圳参保（总部在北京）");
    const hq = await t.db("employees").where({ tenant_id: tenantId, insured_city: "110000", status: "active" }).first();
    const atHq = await post("/api/reminder-templates/si-other-city-rates/preview", { employeeId: hq.id, at: TODAY });
    expect(atHq.body.segmentMatched).toBe(false);
    // A missing employee is a 404; a facts-only preview with a missing placeholder is a 400 at its pointer.
    const missing = await post("/api/reminder-templates/si-gap-options/preview", {
      employeeId: "00000000-0000-4000-8000-000000000000",
    });
    expect(missing.status).toBe(404);
    const noFacts = await post("/api/reminder-templates/hr-leave-upcoming/preview", { facts: {} });
    expect(noFacts.status).toBe(400);
    expect(noFacts.body.code).toBe("TEMPLATE_RENDER_FAILED");
    expect(noFacts.body.params.pointer).toBe("/subject/zh-CN");
  });

  it("escapes HTML in email bodies only; unsaved content previews without saving", async () => {
    await post(
      "/api/reminder-templates",
      draft("escaped", {
        channels: ["in-app", "email"],
        body: { "zh-CN": "<p>{{ employeeName }}</p>" },
        testCases: [],
      }),
    ).expect(201);
    const facts = { employeeName: '<script>alert("x")</script>', gapStartsMonth: "2024-05" };
    const email = await post("/api/reminder-templates/escaped/preview", { facts, channel: "email" });
    expect(email.body.body).toBe("<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</p>");
    const inApp = await post("/api/reminder-templates/escaped/preview", { facts, channel: "in-app" });
    expect(inApp.body.body).toBe('<p><script>alert("x")</script></p>');
    const webhook = await post("/api/reminder-templates/escaped/preview", { facts, channel: "webhook" });
    expect(webhook.status).toBe(400);
    expect(webhook.body.code).toBe("CHANNEL_NOT_IN_TEMPLATE");
    const unsaved = await post("/api/reminder-templates/escaped/preview", {
      facts,
      content: { body: { "zh-CN": "{{ gapStartsMonth | month_zh }}" } },
    });
    expect(unsaved.body.body).toBe("2024年5月");
    const badUnsaved = await post("/api/reminder-templates/escaped/preview", {
      facts,
      content: { body: { "zh-CN": "{{ wrong }}" } },
    });
    expect(badUnsaved.body).toMatchObject({ code: "UNKNOWN_PLACEHOLDER", params: { placeholder: "wrong" } });
  });

  it("without policy for the months: the dates stand and the amounts are said to be unknown, never zero", async () => {
    // A consultant publishes base limits without Shenzhen: its contributions cannot be computed any more.
    const table = await t.request().get("/api/policy-tables/si-base-limits").set(h);
    const rows = table.body.rows.filter((r: { key: { city: string } }) => r.key.city !== "440300");
    await t
      .request()
      .put("/api/policy-tables/si-base-limits")
      .set(h)
      .send({ revision: table.body.revision, rows })
      .expect(200);
    await post("/api/policy-tables/si-base-limits/publish", {}).expect(201);
    const facts = await reminderFacts(t.db, tenantId, leaving.id, {}, TODAY);
    expect(facts.backPayment).toMatchObject({ allowed: true, payBy: "2026-03-31", months: 3, total: null, owed: null });
    expect(facts.cityRates).toBeNull();
    const gap = await post("/api/reminder-templates/si-gap-options/preview", { employeeId: leaving.id, at: TODAY });
    expect(gap.status).toBe(200);
    expect(gap.body.body).toContain("请在2026年3月31日前补缴3个月社保");
    expect(gap.body.body).toContain("金额暂无法计算");
    expect(gap.body.body).not.toContain("¥0.00");
    const rates = await post("/api/reminder-templates/si-other-city-rates/preview", {
      employeeId: leaving.id,
      at: TODAY,
    });
    expect(rates.body.body).toContain("深圳本月尚无缴费政策");
  });

  it("serves the fact catalogue for completion", async () => {
    const res = await t.request().get("/api/reminder-catalogue").set(h);
    expect(res.status).toBe(200);
    expect(res.body.facts.gapStartsMonth).toMatchObject({ type: "string" });
    expect(Object.keys(res.body.facts.backPayment.members)).toContain("payBy");
    expect(res.body.filters).toEqual(expect.arrayContaining(["money", "date_zh", "date_en", "month_zh", "month_en"]));
  });
});
