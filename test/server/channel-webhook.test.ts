/**
 * The webhook channel against a real local receiver: Standard Webhooks headers whose signature the
 * receiver verifies with the tenant's secret, retried on 5xx and timeouts; WeCom and DingTalk robot
 * bodies; the URL and secret write-only through /api/channels/webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { queue, receiver, rendered, tenantIdOf } from "../support/notifications";
import { dispatchNotifications } from "../../server/notifications/dispatch";
import { newWebhookSecret, sign, verify } from "../../plugins/channel-webhook";

let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
const SECRET = newWebhookSecret();
let answer: (n: number) => number | Promise<number> = () => 200;
let hook: Awaited<ReturnType<typeof receiver>>;
const verified: boolean[] = [];

const configure = (body: object) => t.request().put("/api/channels/webhook").set(h).send(body);
const row = (id: string) => t.db("notifications").where({ tenant_id: tenantId, id }).first();

beforeAll(async () => {
  t = await startTestApp({ ORDO_NOTIFY_BACKOFF_SECONDS: "0" });
  h = await t.admin("demo");
  tenantId = await tenantIdOf(t);
  hook = await receiver((r, n) => {
    verified.push(verify(SECRET, r.headers, r.body));
    return answer(n);
  });
  await dispatchNotifications(t.ctx, tenantId); // what the demo seed queued
});
afterAll(async () => {
  await hook.close();
  await t.close();
});

describe("webhook channel settings", () => {
  it("keeps the URL and secret write-only and refuses bad settings naming the field", async () => {
    const res = await configure({ settings: { preset: "standard" }, secrets: { url: hook.url, secret: SECRET } });
    expect(res.status).toBe(200);
    expect(res.body.secrets).toEqual({
      url: { secretSet: true, serverDefault: false },
      secret: { secretSet: true, serverDefault: false },
    });
    const got = await t.request().get("/api/channels/webhook").set(h);
    expect(JSON.stringify(got.body)).not.toContain(SECRET);
    expect(JSON.stringify(got.body)).not.toContain(hook.url);
    const list = await t.request().get("/api/channels").set(h);
    expect(list.body.map((c: { name: string }) => c.name)).toEqual(["in-app", "email", "webhook"]);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);

    const bad = await configure({ settings: { preset: "telegram" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "INVALID_CHANNEL_SETTINGS", details: { pointer: "/settings/preset" } });
    const badSecret = await configure({ secrets: { secret: "not-whsec" } });
    expect(badSecret.status).toBe(400);
    expect(badSecret.body.details.pointer).toBe("/secrets/secret");
    const unknown = await configure({ secrets: { password: "x" } });
    expect(unknown.status).toBe(400);
    expect((await t.request().get("/api/channels/fax").set(h)).status).toBe(404);
    expect((await configure({ secrets: { url: hook.url } })).status).toBe(200); // keeps the secret
    expect(
      (
        await t
          .request()
          .put("/api/channels/webhook")
          .set(await t.employee())
          .send({})
      ).status,
    ).toBe(403);
  });
});

describe("webhook delivery", () => {
  it("POSTs JSON with Standard Webhooks headers whose signature verifies", async () => {
    const before = hook.received.length;
    const [id] = await queue(
      t,
      tenantId,
      rendered({ channel: "webhook", subject: "社保断缴提醒", body: "共计¥4,500.00" }),
    );
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ sent: 1 });
    const got = hook.received[before]!;
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["webhook-id"]).toBe(id);
    expect(got.headers["webhook-timestamp"]).toMatch(/^\d{10}$/);
    expect(got.headers["webhook-signature"]).toBe(
      sign(SECRET, id!, Number(got.headers["webhook-timestamp"]), got.body),
    );
    expect(verified[before]).toBe(true);
    // A different secret does not verify; a changed body does not verify.
    expect(verify(newWebhookSecret(), got.headers, got.body)).toBe(false);
    expect(verify(SECRET, got.headers, got.body.replace("4,500", "5,500"))).toBe(false);
    expect(JSON.parse(got.body)).toMatchObject({
      type: "notification.created",
      data: { id, subject: "社保断缴提醒", body: "共计¥4,500.00", locale: "zh-CN" },
    });
  });

  it("retries on a 500 and delivers on the next attempt", async () => {
    const before = hook.received.length;
    answer = (n) => (n === before + 1 ? 500 : 200);
    const [id] = await queue(t, tenantId, rendered({ channel: "webhook" }));
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ failed: 1 });
    expect(await row(id!)).toMatchObject({ status: "failed", last_error: "HTTP_500" });
    expect(await dispatchNotifications(t.ctx, tenantId, { now: new Date(Date.now() + 1000) })).toMatchObject({
      sent: 1,
    });
    expect(await row(id!)).toMatchObject({ status: "sent", attempts: 2 });
    expect(hook.received.length - before).toBe(2);
    expect(verified.slice(before).every(Boolean)).toBe(true);
    answer = () => 200;
  });

  it("treats a receiver that does not answer in time as a timeout, retried", async () => {
    expect((await configure({ settings: { preset: "standard", timeoutMs: 200 } })).status).toBe(200);
    answer = () => new Promise((r) => setTimeout(() => r(200), 1500));
    const [id] = await queue(t, tenantId, rendered({ channel: "webhook" }));
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ failed: 1 });
    expect(await row(id!)).toMatchObject({ status: "failed", last_error: "TIMEOUT" });
    expect((await t.request().post(`/api/notifications/${id}/cancel`).set(h)).status).toBe(200);
    answer = () => 200;
    expect((await configure({ settings: { preset: "standard" } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500)); // the slow answer finishes
  });

  it("ships WeCom and DingTalk robot bodies as presets", async () => {
    for (const [preset, format, expected] of [
      ["wecom", "text", { msgtype: "text", text: { content: "标题\n内容" } }],
      ["wecom", "markdown", { msgtype: "markdown", markdown: { content: "### 标题\n内容" } }],
      ["dingtalk", "text", { msgtype: "text", text: { content: "标题\n内容" } }],
      ["dingtalk", "markdown", { msgtype: "markdown", markdown: { title: "标题", text: "### 标题\n内容" } }],
    ] as const) {
      expect((await configure({ settings: { preset, format } })).status).toBe(200);
      const before = hook.received.length;
      await queue(t, tenantId, rendered({ channel: "webhook", subject: "标题", body: "内容" }));
      expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ sent: 1 });
      expect(JSON.parse(hook.received[before]!.body)).toEqual(expected);
    }
  });
});
