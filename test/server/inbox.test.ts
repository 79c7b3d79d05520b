/**
 * In-app inboxes: an employee sees their own delivered notifications with the unread count and marks
 * them read; HR sees HR's; nobody sees another's, and nothing queued but not yet sent shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { employeeIdOf, queue, rendered, tenantIdOf } from "../support/notifications";
import { dispatchNotifications } from "../../server/notifications/dispatch";

let t: TestApp;
let hr: Record<string, string>;
let emp: Record<string, string>;
let tenantId: string;
let me: string;
let other: string;

const inbox = (h: Record<string, string>, q = "") => t.request().get(`/api/me/inbox${q}`).set(h);

beforeAll(async () => {
  t = await startTestApp();
  hr = await t.hr();
  emp = await t.employee();
  tenantId = await tenantIdOf(t);
  me = await employeeIdOf(t, tenantId, "E00001");
  other = await employeeIdOf(t, tenantId, "E00002");
  await dispatchNotifications(t.ctx, tenantId);
  // Start from empty inboxes: what the demo seed delivered is read.
  await t.request().post("/api/me/inbox/read-all").set(emp);
  await t.request().post("/api/me/inbox/read-all").set(hr);
});
afterAll(() => t.close());

describe("inbox", () => {
  it("shows an employee their delivered in-app notifications with the unread count", async () => {
    const start = (await inbox(emp)).body;
    expect(start.unread).toBe(0);
    const [mine1, mine2] = await queue(
      t,
      tenantId,
      rendered({ employeeId: me, subject: "断缴提醒" }),
      rendered({ employeeId: me, subject: "补缴期限" }),
      rendered({ employeeId: other, subject: "别人的" }),
      rendered({ audience: "hr", employeeId: me, subject: "HR 的" }),
      rendered({ employeeId: me, channel: "email", subject: "邮件不进收件箱" }),
    );
    // Queued but not sent: not in the inbox yet.
    expect((await inbox(emp)).body.unread).toBe(0);
    await dispatchNotifications(t.ctx, tenantId);
    const res = await inbox(emp);
    expect(res.status).toBe(200);
    expect(res.body.unread).toBe(2);
    expect(res.body.total).toBe(start.total + 2);
    const subjects = res.body.data.map((n: { subject: string }) => n.subject);
    expect(subjects).toContain("断缴提醒");
    expect(subjects).toContain("补缴期限");
    expect(subjects).not.toContain("别人的");
    expect(subjects).not.toContain("HR 的");
    expect(subjects).not.toContain("邮件不进收件箱");
    expect((await inbox(emp, "?unread=true")).body.data).toHaveLength(2);

    const read = await t.request().post(`/api/me/inbox/${mine1}/read`).set(emp);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: mine1, read: true });
    expect(read.body.readAt).toBeTruthy();
    expect((await inbox(emp)).body.unread).toBe(1);
    // Marking again changes nothing.
    expect((await t.request().post(`/api/me/inbox/${mine1}/read`).set(emp)).body.readAt).toBe(read.body.readAt);
    expect((await t.request().post("/api/me/inbox/read-all").set(emp)).body).toEqual({ marked: 1 });
    expect((await inbox(emp)).body.unread).toBe(0);
    void mine2;
  });

  it("keeps HR's inbox apart, and refuses to mark someone else's notification", async () => {
    const [forHr] = await queue(t, tenantId, rendered({ audience: "hr", employeeId: other, subject: "离职通知" }));
    const [others] = await queue(t, tenantId, rendered({ employeeId: other, subject: "E00002 的" }));
    await dispatchNotifications(t.ctx, tenantId);
    const res = await inbox(hr);
    expect(res.body.unread).toBeGreaterThanOrEqual(1);
    expect(res.body.data.map((n: { id: string }) => n.id)).toContain(forHr);
    expect(res.body.data.map((n: { id: string }) => n.id)).not.toContain(others);
    expect((await t.request().post(`/api/me/inbox/${forHr}/read`).set(emp)).status).toBe(404);
    expect((await t.request().post(`/api/me/inbox/${others}/read`).set(emp)).status).toBe(404);
    expect((await t.request().post("/api/me/inbox/not-a-uuid/read").set(emp)).status).toBe(400);
    expect((await t.request().post(`/api/me/inbox/${forHr}/read`).set(hr)).body.read).toBe(true);
    expect((await inbox(hr, "?limit=0")).status).toBe(400);
  });
});
