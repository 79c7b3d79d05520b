/**
 * The outbox: one row per idempotency key however often it is queued, retries with exponential backoff,
 * dead after ORDO_NOTIFY_MAX_ATTEMPTS (or at once when retrying cannot help), cancel and retry through
 * the API, a delivery log without secrets, and digests of one template for one recipient and day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc, total } from "../support/http";
import { employeeIdOf, queue, receiver, rendered, tenantIdOf } from "../support/notifications";
import { dispatchNotifications, scanDueNotifications } from "../../server/notifications/dispatch";
import { reminderNotifications } from "../../server/notifications/trigger";
import { insertNotifications } from "../../server/notifications/outbox";
import { newWebhookSecret } from "../../plugins/channel-webhook";

let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
let me: string;
const SECRET = newWebhookSecret();
let status = 200;
let hook: Awaited<ReturnType<typeof receiver>>;

const row = (id: string) => t.db("notifications").where({ tenant_id: tenantId, id }).first();
const dispatchAt = (ms: number) => dispatchNotifications(t.ctx, tenantId, { now: new Date(ms) });

beforeAll(async () => {
  t = await startTestApp({ ORDO_NOTIFY_MAX_ATTEMPTS: "3", ORDO_NOTIFY_BACKOFF_SECONDS: "60" });
  h = await t.admin("demo");
  tenantId = await tenantIdOf(t);
  me = await employeeIdOf(t, tenantId, "E00001");
  hook = await receiver(() => status);
  const res = await t
    .request()
    .put("/api/channels/webhook")
    .set(h)
    .send({ enabled: true, settings: { preset: "standard" }, secrets: { url: hook.url, secret: SECRET } });
  expect(res.status).toBe(200);
  // Whatever the demo seed queued is sent first, so each test sees only its own rows.
  await dispatchNotifications(t.ctx, tenantId);
});
afterAll(async () => {
  await hook.close();
  await t.close();
});

describe("idempotency", () => {
  it("stores one row per (template, recipient, period, channel) however often it is queued", async () => {
    const n = rendered({ employeeId: me, period: "2024-05", template: "idem" });
    const first = await queue(t, tenantId, n);
    const again = await queue(t, tenantId, n, { ...n });
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
    // Another period or channel is another notification.
    expect(await queue(t, tenantId, { ...n, period: "2024-06" }, { ...n, channel: "webhook" })).toHaveLength(2);
    const list = await t
      .request()
      .get(`/api/notifications?filter=${enc({ template: "idem" })}&range=[0,99]`)
      .set(h);
    expect(list.status).toBe(200);
    expect(total(list)).toBe(3);
    await dispatchNotifications(t.ctx, tenantId);
  });
});

describe("retries", () => {
  it("retries a failing webhook with exponential backoff and makes it dead after N attempts", async () => {
    status = 500;
    const before = hook.received.length;
    const [id] = await queue(t, tenantId, rendered({ channel: "webhook", template: "retry" }));
    const t0 = Date.now() + 1000;
    expect(await dispatchAt(t0)).toMatchObject({ claimed: 1, failed: 1 });
    let r = await row(id!);
    expect(r).toMatchObject({ status: "failed", attempts: 1, last_error: "HTTP_500" });
    expect(new Date(r.next_attempt_at).getTime()).toBe(t0 + 60_000);
    // Not due yet: nothing is sent.
    expect(await dispatchAt(t0 + 30_000)).toMatchObject({ claimed: 0 });
    expect(await dispatchAt(t0 + 60_000)).toMatchObject({ claimed: 1, failed: 1 });
    r = await row(id!);
    expect(r.attempts).toBe(2);
    expect(new Date(r.next_attempt_at).getTime()).toBe(t0 + 60_000 + 120_000); // doubled
    expect(await dispatchAt(t0 + 179_000)).toMatchObject({ claimed: 0 });
    expect(await dispatchAt(t0 + 180_000)).toMatchObject({ claimed: 1, dead: 1 });
    expect(await row(id!)).toMatchObject({ status: "dead", attempts: 3 });
    expect(await dispatchAt(t0 + 10_000_000)).toMatchObject({ claimed: 0 });
    expect(hook.received.length - before).toBe(3);
    // The same webhook-id on every attempt (receivers deduplicate on it).
    expect(new Set(hook.received.slice(before).map((x) => x.headers["webhook-id"]))).toEqual(new Set([id]));

    const log = await t.request().get(`/api/notifications/${id}/attempts`).set(h);
    expect(log.status).toBe(200);
    expect(log.body.map((a: { outcome: string }) => a.outcome)).toEqual(["failed", "failed", "dead"]);
    expect(log.body[0]).toMatchObject({ attempt: 1, channel: "webhook", errorCode: "HTTP_500" });
    expect(JSON.stringify(log.body)).not.toContain(SECRET);
    expect(JSON.stringify(log.body)).not.toContain(hook.url);

    // Retry of a dead notification: one more try, which now succeeds.
    status = 200;
    const retried = await t.request().post(`/api/notifications/${id}/retry`).set(h);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe("queued");
    // The retry queued a dispatch job, which the runner was woken for; sending here as well is safe.
    await dispatchNotifications(t.ctx, tenantId);
    await t.ctx.jobs.drain();
    expect(await row(id!)).toMatchObject({ status: "sent", attempts: 4, last_error: null });
    expect(hook.received.length - before).toBe(4);
  });

  it("makes a notification dead at once when the receiver refuses it (4xx)", async () => {
    status = 400;
    const [id] = await queue(t, tenantId, rendered({ channel: "webhook", template: "refused" }));
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ dead: 1 });
    expect(await row(id!)).toMatchObject({ status: "dead", attempts: 1, last_error: "HTTP_400" });
    status = 200;
  });

  it("makes a notification for an unknown or disabled channel dead, naming why", async () => {
    const [a] = await queue(t, tenantId, rendered({ channel: "carrier-pigeon" }));
    expect((await dispatchNotifications(t.ctx, tenantId)).dead).toBe(1);
    expect(await row(a!)).toMatchObject({ status: "dead", last_error: "CHANNEL_UNKNOWN" });
  });
});

describe("concurrent dispatch", () => {
  it("sends each notification once when several dispatches run at the same time", async () => {
    const before = hook.received.length;
    const ids = await queue(
      t,
      tenantId,
      ...Array.from({ length: 30 }, () => rendered({ channel: "webhook", template: "concurrent" })),
    );
    const results = await Promise.all([1, 2, 3].map(() => dispatchNotifications(t.ctx, tenantId, { batch: 7 })));
    expect(results.reduce((n, r) => n + r.claimed, 0)).toBe(30);
    const got = hook.received.slice(before).map((r) => r.headers["webhook-id"]);
    expect(got).toHaveLength(30);
    expect(new Set(got)).toEqual(new Set(ids));
    const attempts = await t.db("notification_attempts").where({ tenant_id: tenantId }).whereIn("notification_id", ids);
    expect(attempts).toHaveLength(30);
  });
});

describe("cancel and retry", () => {
  it("cancels a queued notification, which is then never sent; only queued/failed ones cancel", async () => {
    const before = hook.received.length;
    const [id] = await queue(t, tenantId, rendered({ channel: "webhook", template: "cancel" }));
    const res = await t.request().post(`/api/notifications/${id}/cancel`).set(h);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("cancelled");
    await dispatchNotifications(t.ctx, tenantId);
    expect(hook.received.length).toBe(before);
    const again = await t.request().post(`/api/notifications/${id}/cancel`).set(h);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("NOTIFICATION_NOT_CANCELLABLE");

    const [sent] = await queue(t, tenantId, rendered({ template: "cancel-sent" }));
    await dispatchNotifications(t.ctx, tenantId);
    expect((await t.request().post(`/api/notifications/${sent}/cancel`).set(h)).status).toBe(409);
    const retry = await t.request().post(`/api/notifications/${sent}/retry`).set(h);
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe("NOTIFICATION_NOT_RETRYABLE");
  });

  it("answers 404 for an unknown id, 400 for a malformed one, 403 for employees", async () => {
    const unknown = await t.request().post("/api/notifications/00000000-0000-4000-8000-000000000000/cancel").set(h);
    expect(unknown.status).toBe(404);
    expect((await t.request().post("/api/notifications/nope/retry").set(h)).status).toBe(400);
    const emp = await t.employee();
    expect((await t.request().get("/api/notifications").set(emp)).status).toBe(403);
    expect((await t.request().post("/api/notifications/dispatch").set(emp)).status).toBe(403);
  });

  it("lists by status and dispatches through the job runner on request", async () => {
    await queue(t, tenantId, rendered({ template: "by-job" }));
    const queued = await t
      .request()
      .get(`/api/notifications?filter=${enc({ status: "queued", template: "by-job" })}`)
      .set(h);
    expect(total(queued)).toBe(1);
    const res = await t.request().post("/api/notifications/dispatch?wait=true").set(h);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "done", result: { sent: 1 } });
    const sent = await t
      .request()
      .get(`/api/notifications?filter=${enc({ status: "sent", template: "by-job" })}`)
      .set(h);
    expect(total(sent)).toBe(1);
  });
});

describe("digest", () => {
  it("combines one recipient's notifications of a digest template on one day into one message", async () => {
    const before = hook.received.length;
    const ids = await queue(
      t,
      tenantId,
      rendered({ channel: "webhook", template: "daily", digest: true, employeeId: me, body: "甲" }),
      rendered({ channel: "webhook", template: "daily", digest: true, employeeId: me, body: "乙" }),
      rendered({ channel: "webhook", template: "daily", digest: true, employeeId: me, body: "丙" }),
      // Not a digest template: sent alone.
      rendered({ channel: "webhook", template: "single", employeeId: me, body: "丁" }),
    );
    const out = await dispatchNotifications(t.ctx, tenantId);
    expect(out).toMatchObject({ claimed: 4, sent: 4, messages: 2 });
    const got = hook.received.slice(before).map((r) => JSON.parse(r.body).data);
    expect(got).toHaveLength(2);
    const digest = got.find((d) => d.count === 3);
    expect(digest.body).toContain("甲");
    expect(digest.body).toContain("乙");
    expect(digest.body).toContain("丙");
    expect(digest.subject).toContain("共 3 条");
    const rows = await t.db("notifications").where({ tenant_id: tenantId }).whereIn("id", ids.slice(0, 3));
    expect(new Set(rows.map((r) => r.digest_id))).toEqual(new Set([digest.id]));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
  });
});

describe("digest flag of a template, and scheduled reminders", () => {
  it("renders a digest template's reminders as digest rows, sent as one message", async () => {
    const template = {
      key: "daily-digest",
      name: "Daily digest",
      audience: "employee",
      channels: ["webhook"],
      digest: true,
      subject: { "zh-CN": "{{ event.title }}" },
      body: { "zh-CN": "{{ employeeName }}：{{ event.title }}" },
    };
    expect((await t.request().post("/api/reminder-templates").set(h).send(template)).status).toBe(201);
    const doc = (await t.request().get("/api/reminder-templates/daily-digest").set(h)).body;
    expect(doc.digest).toBe(true);
    const published = await t
      .request()
      .post("/api/reminder-templates/daily-digest/publish")
      .set(h)
      .send({ effectiveFrom: "2000-01-01" });
    expect(published.status).toBe(201);
    const scope = { tenantId, employeeId: me, at: new Date().toISOString().slice(0, 10), decisionId: null };
    const rows = [];
    for (const title of ["社保断缴", "补缴期限"]) {
      const r = await reminderNotifications(t.db, undefined, scope, {
        recipient: "employee",
        template: "daily-digest",
        period: title,
        payload: { title },
      });
      rows.push(...r.rows);
    }
    expect(rows.map((r) => r.digest)).toEqual([true, true]);
    expect(await insertNotifications(t.db, rows)).toHaveLength(2);
    const before = hook.received.length;
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ sent: 2, messages: 1 });
    const data = JSON.parse(hook.received[before]!.body).data;
    expect(data).toMatchObject({ count: 2, template: "daily-digest" });
    expect(data.body).toContain("社保断缴");
    expect(data.body).toContain("补缴期限");
  });

  it("keeps a reminder scheduled for a later day until then; the scan queues its dispatch when due", async () => {
    const later = new Date(Date.now() + 2 * 86_400_000);
    const [id] = await queue(t, tenantId, rendered({ template: "scheduled", sendAfter: later }));
    expect(await dispatchNotifications(t.ctx, tenantId)).toMatchObject({ claimed: 0 });
    expect(await scanDueNotifications(t.db)).toBe(0);
    await t.db("jobs").where({ tenant_id: tenantId, type: "notification-dispatch", status: "queued" }).delete();
    expect(await scanDueNotifications(t.db, new Date(later.getTime() + 1000))).toBe(1);
    const job = await t.db("jobs").where({ tenant_id: tenantId, type: "notification-dispatch", status: "queued" });
    expect(job).toHaveLength(1);
    // Scanning again does not pile up jobs.
    await scanDueNotifications(t.db, new Date(later.getTime() + 2000));
    expect(
      await t.db("jobs").where({ tenant_id: tenantId, type: "notification-dispatch", status: "queued" }),
    ).toHaveLength(1);
    expect(await dispatchAt(later.getTime() + 1000)).toMatchObject({ sent: 1 });
    expect(await row(id!)).toMatchObject({ status: "sent" });
  });

  it("the queue's minute tick runs the scan: a reminder due by then gets its dispatch job", async () => {
    const later = new Date(Date.now() + 3 * 86_400_000);
    // Only this reminder is waiting: the earlier tests' leftovers would be due at once.
    await t
      .db("notifications")
      .where({ tenant_id: tenantId })
      .whereIn("status", ["queued", "failed"])
      .update({ status: "cancelled" });
    await queue(t, tenantId, rendered({ template: "ticked", sendAfter: later }));
    // Every dispatch job of the tenant, whatever its status: the tick wakes the queue, which may run it at once.
    const dispatchJobs = async () =>
      Number((await t.db("jobs").where({ tenant_id: tenantId, type: "notification-dispatch" }).count("* as n"))[0]!.n);
    await t.db("jobs").where({ tenant_id: tenantId, type: "notification-dispatch", status: "queued" }).delete();
    const before = await dispatchJobs();
    await t.ctx.jobs.tick(new Date(Date.now() + 60_000));
    expect(await dispatchJobs()).toBe(before);
    await t.ctx.jobs.tick(new Date(later.getTime() + 1000));
    expect(await dispatchJobs()).toBe(before + 1);
  });
});
