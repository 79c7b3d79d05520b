/** The first-start demo history goes through the lifecycle services and leaves a realistic state. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { total } from "../support/http";
import { runDemoActivity } from "../../server/demo-activity";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("demo activity", () => {
  it("enrolls, runs four months, and leaves one open alert of each kind of trouble", async () => {
    await runDemoActivity(t.ctx, "2026-11-25");
    const h = await t.admin("demo");
    const employees = total(await t.request().get("/api/employees").set(h));
    // One enrollment per employee but E00001, plus the period the wage change opened; the one leaving
    // next month has its end already filed.
    expect(total(await t.request().get("/api/enrollments").set(h))).toBe(employees);
    expect(
      total(
        await t
          .request()
          .get(`/api/enrollments?filter=${encodeURIComponent('{"status":"active"}')}`)
          .set(h),
      ),
    ).toBe(employees - 2);
    const ledger = await t.request().get(`/api/contributions?range=[0,999]`).set(h);
    const months = [...new Set(ledger.body.map((r: { month: string }) => r.month))].sort();
    expect(months).toEqual(["2026-07", "2026-08", "2026-09", "2026-10"]);
    expect(ledger.body.filter((r: { status: string }) => r.status === "not_received")).toHaveLength(1);
    const dash = await t.request().get("/api/reports/dashboard").set(h);
    const types = Object.fromEntries(
      dash.body.alertsByType.map((a: { type: string; count: number }) => [a.type, a.count]),
    );
    expect(types).toMatchObject({ not_received: 1, base_below_wage: 1, deenrollment_overdue: 1, leave_upcoming: 1 });
    expect(types.payment_deadline).toBeGreaterThan(0);
    // Every operation left its decision.
    expect(total(await t.request().get("/api/decisions").set(h))).toBeGreaterThanOrEqual(employees + 2);
    // The self-service employee is left for a consultant to walk through by hand.
    const me = await t
      .request()
      .get("/api/me/summary")
      .set(await t.employee());
    expect(me.status).toBe(200);
    expect(me.body.enrollments).toEqual([]);
  });
});
