/**
 * Scheduled report delivery: a report-delivery schedule fires (the queue's minute tick), the job exports
 * the report as XLSX and mails it, attached, through a real SMTP server to the HR user it names.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { smtp, type Mailbox } from "../support/smtp";
import { DEMO_USERS } from "../support/constants";
import { runDemoActivity } from "../../server/demo-activity";
import { receiver } from "../support/notifications";
import { signReportLink, verifyReportLink } from "../../server/reports/links";

let t: TestApp;
let box: Mailbox;
let h: Record<string, string>;
let tenantId: string;
let hrId: string;
let first: string;
let last: string;

beforeAll(async () => {
  box = await smtp();
  t = await startTestApp({
    ORDO_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
    ORDO_SMTP_FROM: "Ordo 报表 <reports@ordo.test>",
  });
  h = await t.admin("demo");
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first("id")).id;
  hrId = (await t.db("users").where({ email: DEMO_USERS.hr.email }).first("id")).id;
  await runDemoActivity(t.ctx, "2026-11-25");
  const range = await t.db("contributions").where({ tenant_id: tenantId }).min({ a: "month" }).max({ b: "month" });
  first = range[0]!.a;
  last = range[0]!.b;
});
afterAll(async () => {
  await t.close();
  await box.close();
});

const schedule = (extra: Record<string, unknown> = {}) => ({
  jobType: "report-delivery",
  target: "cost-by-city-month",
  cron: "0 9 * * *",
  timezone: "Asia/Shanghai",
  params: { format: "xlsx", recipients: [hrId], params: { from: first, through: last } },
  ...extra,
});

describe("scheduled report delivery", () => {
  it("refuses a schedule naming no report, no recipients or users of another tenant", async () => {
    const noReport = await t
      .request()
      .post("/api/schedules")
      .set(h)
      .send(schedule({ target: "nothing-here" }));
    expect(noReport.status).toBe(400);
    expect(noReport.body.errors).toHaveProperty("target");
    const none = await t
      .request()
      .post("/api/schedules")
      .set(h)
      .send(schedule({ params: { recipients: [] } }));
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toContain("recipients");
    const retail = await t.db("tenants").where({ slug: "retail" }).first("id");
    const stranger = await t
      .db("users as u")
      .join("user_tenants as ut", "ut.user_id", "u.id")
      .where("ut.tenant_id", retail.id)
      .whereNot("u.role", "employee")
      .whereNotIn("u.id", t.db("user_tenants").where({ tenant_id: tenantId }).select("user_id"))
      .first("u.id");
    if (stranger) {
      const other = await t
        .request()
        .post("/api/schedules")
        .set(h)
        .send(schedule({ params: { recipients: [stranger.id] } }));
      expect(other.status).toBe(400);
    }
    expect(await t.db("schedules").where({ tenant_id: tenantId, job_type: "report-delivery" })).toHaveLength(0);
  });

  it("mails the report as XLSX to the HR user when the schedule fires, once", async () => {
    const created = await t.request().post("/api/schedules").set(h).send(schedule());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const run = await t
      .request()
      .post("/api/reports/cost-by-city-month/run")
      .set(h)
      .send({ params: { from: first, through: last } });
    expect(run.status).toBe(200);

    // A minute tick after the next 09:00 in Shanghai: the schedule fires; a second tick does not again.
    const later = new Date(Date.now() + 36 * 3600_000);
    expect(await t.ctx.jobs.tick(later)).toBe(1);
    expect(await t.ctx.jobs.tick(later)).toBe(0);
    await t.ctx.jobs.drain();

    const job = await t.db("jobs").where({ tenant_id: tenantId, type: "report-delivery" }).first();
    expect(job.status, JSON.stringify(job.error)).toBe("done");
    expect(job.result).toMatchObject({ report: "cost-by-city-month", rows: run.body.rows.length, format: "xlsx" });
    expect(box.mails).toHaveLength(1);
    const mail = box.mails[0]!;
    expect(mail.rcpt).toEqual([DEMO_USERS.hr.email]);
    expect(mail.parsed.subject).toContain("各城市月度用工成本");
    const [attachment] = mail.parsed.attachments;
    expect(attachment!.filename).toMatch(/^cost-by-city-month-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(attachment!.content as never);
    const sheet = wb.worksheets[0]!;
    // Header, one row per city and month, the totals row: in Chinese.
    expect(sheet.rowCount).toBe(run.body.rows.length + 2);
    expect(sheet.getRow(1).getCell(1).value).toBe("参保城市");
    expect(sheet.getRow(sheet.rowCount).getCell(1).value).toBe("合计");
    expect(String(sheet.getRow(sheet.rowCount).getCell(3).value)).toBe(String(Number(run.body.totals.employer)));
  });

  it("posts a signed, expiring download link to the tenant's webhook; the link downloads the report", async () => {
    const hook = await receiver();
    try {
      const configured = await t
        .request()
        .put("/api/channels/webhook")
        .set(h)
        .send({
          settings: { preset: "standard" },
          secrets: { url: hook.url, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
        });
      expect(configured.status, JSON.stringify(configured.body)).toBe(200);
      const created = await t
        .request()
        .post("/api/schedules")
        .set(h)
        .send(
          schedule({
            target: "headcount-by-city",
            params: { channel: "webhook", format: "csv" },
          }),
        );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(await t.ctx.jobs.tick(new Date(Date.now() + 36 * 3600_000))).toBeGreaterThanOrEqual(1);
      await t.ctx.jobs.drain();
      const job = await t
        .db("jobs")
        .where({ tenant_id: tenantId, type: "report-delivery" })
        .orderBy("created_at", "desc")
        .first();
      expect(job.status, JSON.stringify(job.error)).toBe("done");
      expect(hook.received).toHaveLength(1);
      const posted = JSON.parse(hook.received[0]!.body);
      const link: string = posted.data.link;
      expect(link).toMatch(/\/api\/reports\/shared\/[\w-]+\.[\w-]+$/);
      expect(posted.data.body).toContain(link);

      // The link downloads the report without a login; an altered or expired one is refused.
      const path = new URL(link).pathname;
      const file = await t.request().get(path);
      expect(file.status).toBe(200);
      expect(file.headers["content-type"]).toMatch(/text\/csv/);
      const run = await t.request().post("/api/reports/headcount-by-city/run").set(h).send({});
      expect(file.text.slice(1).trim().split("\n")).toHaveLength(run.body.rows.length + 2);
      const altered = path.replace(/\.([\w-])/, (_m, c: string) => `.${c === "A" ? "B" : "A"}`);
      expect((await t.request().get(altered)).status).toBe(403);
      const secret = await t.ctx.tokenSecret();
      const old = signReportLink(secret, { tenantId, key: "headcount-by-city", format: "csv", params: {}, expires: 1 });
      const expired = await t.request().get(`/api/reports/shared/${old}`).set("Accept-Language", "zh-CN");
      expect(expired.status).toBe(403);
      expect(expired.body).toMatchObject({ code: "INVALID_LINK", message: "下载链接无效或已过期" });
      expect(verifyReportLink(secret, path.split("/").pop()!).key).toBe("headcount-by-city");
    } finally {
      await hook.close();
    }
  });
});
