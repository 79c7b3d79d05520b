/**
 * The email channel through a real SMTP server started in-process (smtp-server on 127.0.0.1), the
 * received message parsed with mailparser: sender, recipient, headers and a Chinese UTF-8 subject;
 * ORDO_SMTP_URL / ORDO_SMTP_FROM as defaults and a tenant's own SMTP server (write-only) over them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smtp, type Mailbox } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/app";
import { employeeIdOf, queue, rendered, tenantIdOf } from "../support/notifications";
import { dispatchNotifications } from "../../server/notifications/dispatch";

let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
let me: string;
let box: Mailbox;
let tenantBox: Mailbox;

beforeAll(async () => {
  box = await smtp();
  tenantBox = await smtp({ auth: true });
  t = await startTestApp({
    ORDO_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
    ORDO_SMTP_FROM: "Ordo 社保 <noreply@ordo.test>",
    ORDO_NOTIFY_BACKOFF_SECONDS: "0",
  });
  h = await t.admin("demo");
  tenantId = await tenantIdOf(t);
  me = await employeeIdOf(t, tenantId, "E00001");
  await t.db("employees").where({ tenant_id: tenantId, id: me }).update({ email: "zhang.san@ordo.test" });
  await dispatchNotifications(t.ctx, tenantId); // what the demo seed queued
});
afterAll(async () => {
  await t.close();
  await box.close();
  await tenantBox.close();
});

describe("email channel", () => {
  it("mails the employee through ORDO_SMTP_URL with the rendered UTF-8 subject", async () => {
    const before = box.mails.length;
    const subject = "您的社保将于2024年5月断缴";
    const body = "请在2024年6月30日前补缴3个月社保，共计¥4,500.00。";
    const [id] = await queue(t, tenantId, rendered({ channel: "email", employeeId: me, subject, body }));
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ sent: 1 });
    const mail = box.mails[before]!;
    expect(mail.rcpt).toEqual(["zhang.san@ordo.test"]);
    expect(mail.parsed.subject).toBe(subject);
    // Encoded as RFC 2047 UTF-8 words on the wire, not raw bytes.
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: "noreply@ordo.test", name: "Ordo 社保" });
    expect(mail.parsed.to && !Array.isArray(mail.parsed.to) ? mail.parsed.to.value[0]!.address : null).toBe(
      "zhang.san@ordo.test",
    );
    expect(mail.parsed.text?.trim()).toBe(body);
    expect(mail.parsed.headers.get("x-ordo-notification")).toBe(id);
    expect(mail.parsed.messageId).toBe(`<${id}@ordo.notifications>`);
  });

  it("escapes HTML in the HTML part of the message", async () => {
    const before = box.mails.length;
    await queue(t, tenantId, rendered({ channel: "email", employeeId: me, body: "<b>张三</b> & 李四\n第二行" }));
    await dispatchNotifications(t.ctx, tenantId);
    const mail = box.mails[before]!;
    expect(mail.parsed.html).toContain("&lt;b&gt;张三&lt;/b&gt; &amp; 李四<br>");
    expect(mail.parsed.html).not.toContain("<b>");
  });

  it("is dead with NO_ADDRESS for an employee without an email, and for HR without hrTo", async () => {
    const other = await employeeIdOf(t, tenantId, "E00002");
    await t.db("employees").where({ tenant_id: tenantId, id: other }).update({ email: null });
    const [a, b] = await queue(
      t,
      tenantId,
      rendered({ channel: "email", employeeId: other }),
      rendered({ channel: "email", audience: "hr" }),
    );
    await dispatchNotifications(t.ctx, tenantId);
    for (const id of [a, b])
      expect(await t.db("notifications").where({ tenant_id: tenantId, id }).first()).toMatchObject({
        status: "dead",
        last_error: "NO_ADDRESS",
      });
  });

  it("uses the tenant's own SMTP server and sender over the defaults; its URL is write-only", async () => {
    const res = await t
      .request()
      .put("/api/channels/email")
      .set(h)
      .send({
        settings: { from: "人事部 <hr@demo.test>", hrTo: "hr-team@demo.test" },
        secrets: { smtpUrl: `smtp://ordo:s3cret@127.0.0.1:${tenantBox.port}` },
      });
    expect(res.status).toBe(200);
    expect(res.body.secrets.smtpUrl).toEqual({ secretSet: true, serverDefault: true });
    expect(JSON.stringify(res.body)).not.toContain("s3cret");
    const got = await t.request().get("/api/channels/email").set(h);
    expect(JSON.stringify(got.body)).not.toContain("s3cret");
    expect(JSON.stringify(got.body)).not.toContain(String(box.port)); // the server default is not shown either

    const before = box.mails.length;
    await queue(t, tenantId, rendered({ channel: "email", audience: "hr", subject: "员工离职提醒（30天）" }));
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ sent: 1 });
    expect(box.mails.length).toBe(before);
    const mail = tenantBox.mails.at(-1)!;
    expect(mail.user).toBe("ordo");
    expect(mail.rcpt).toEqual(["hr-team@demo.test"]);
    expect(mail.parsed.subject).toBe("员工离职提醒（30天）");
    expect(mail.parsed.from?.value[0]?.address).toBe("hr@demo.test");

    // Cleared again: back to the server's default.
    const cleared = await t
      .request()
      .put("/api/channels/email")
      .set(h)
      .send({ secrets: { smtpUrl: null } });
    expect(cleared.body.secrets.smtpUrl).toEqual({ secretSet: false, serverDefault: true });
  });

  it("logs an SMTP refusal as a code and makes a permanent one dead", async () => {
    const refusing = await smtp({ reject: true });
    await t
      .request()
      .put("/api/channels/email")
      .set(h)
      .send({ secrets: { smtpUrl: `smtp://127.0.0.1:${refusing.port}` } });
    const [id] = await queue(t, tenantId, rendered({ channel: "email", employeeId: me }));
    await dispatchNotifications(t.ctx, tenantId);
    expect(await t.db("notifications").where({ tenant_id: tenantId, id }).first()).toMatchObject({
      status: "dead",
      last_error: "SMTP_550",
    });
    await refusing.close();
  });
});
