/** Per-tenant cron schedules: /api/schedules (validated cron and time zone) and the queue's minute tick. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgBossQueue } from "../../server/jobs/queue";
import { processMonthlyRun } from "../../server/lifecycle/monthly-run";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
});
afterAll(async () => {
  await t.ctx.jobs.stop();
  await t.close();
});

describe("schedules", () => {
  it("are a tenant's simple-rest resource for HR; a bad cron or time zone is a 400 naming the field", async () => {
    const bad = await t.request().post("/api/schedules").set(h).send({ jobType: "monthly-run", cron: "0 2 32 * *" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty("cron");
    expect(bad.body.errors.cron).toMatch(/cron/);
    const fields = await t.request().post("/api/schedules").set(h).send({ jobType: "monthly-run", cron: "0 2 1 *" });
    expect(fields.status).toBe(400);
    expect(fields.body.errors.cron).toMatch(/five fields/);
    const tz = await t
      .request()
      .post("/api/schedules")
      .set(h)
      .send({ jobType: "monthly-run", cron: "0 2 1 * *", timezone: "Mars/Olympus" });
    expect(tz.status).toBe(400);
    expect(tz.body.errors).toHaveProperty("timezone");
    const type = await t.request().post("/api/schedules").set(h).send({ jobType: "coffee", cron: "0 2 1 * *" });
    expect(type.status).toBe(400);
    expect(type.body.errors).toHaveProperty("jobType");

    // The seed's schedule (the 1st at 02:00 Shanghai time) is replaced by one of the test's own.
    const seeded = (await t.request().get("/api/schedules").set(h)).body;
    expect(seeded).toMatchObject([{ jobType: "monthly-run", cron: "0 2 1 * *", timezone: "Asia/Shanghai" }]);
    expect((await t.request().delete(`/api/schedules/${seeded[0].id}`).set(h)).status).toBe(200);
    const created = await t.request().post("/api/schedules").set(h).send({ jobType: "monthly-run", cron: "0 3 1 * *" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ jobType: "monthly-run", cron: "0 3 1 * *", timezone: "Asia/Shanghai" });
    const edited = await t
      .request()
      .put(`/api/schedules/${created.body.id}`)
      .set(h)
      .send({ cron: "0 2 1 * *", timezone: "Asia/Shanghai" });
    expect(edited.status).toBe(200);
    expect(edited.body.cron).toBe("0 2 1 * *");
    const badEdit = await t.request().put(`/api/schedules/${created.body.id}`).set(h).send({ cron: "every day" });
    expect(badEdit.status).toBe(400);
    expect(badEdit.body.errors).toHaveProperty("cron");
    const list = await t.request().get("/api/schedules").set(h);
    expect(list.status).toBe(200);
    expect(list.body.map((s: { id: string }) => s.id)).toContain(created.body.id);
    // Another tenant does not see it; an employee may not read schedules at all.
    const retail = await t
      .request()
      .get("/api/schedules")
      .set(await t.admin("retail"));
    expect(retail.body.map((s: { id: string }) => s.id)).not.toContain(created.body.id);
    expect(
      (
        await t
          .request()
          .get("/api/schedules")
          .set(await t.employee())
      ).status,
    ).toBe(403);
    const entity = (await t.request().get("/api/entities").set(h)).body.find(
      (e: { name: string }) => e.name === "schedules",
    );
    expect(entity.label).toEqual({ en: "Schedules", zh: "定时任务" });
  });

  it("the tick queues the monthly run on the 1st at 02:00 Shanghai time once, across two servers", async () => {
    const s = await t.db("schedules").where({ tenant_id: tenantId, job_type: "monthly-run" }).first();
    await t
      .db("schedules")
      .where({ id: s.id })
      .update({ created_at: new Date("2025-02-20T00:00:00Z") });
    // 2025-02-28T18:00Z is 2025-03-01 02:00 in Asia/Shanghai.
    const fire = new Date("2025-02-28T18:00:30Z");
    expect(await t.ctx.jobs.tick(new Date("2025-02-28T17:59:00Z"))).toBe(0);
    // A second server's queue on the same database ticks at the same moment.
    const other = new PgBossQueue(t.db, t.ctx.logger, { staleMs: 30_000, ...t.ctx.config.queue });
    // Registered as the app registers it (the month as the singleton key): either server may win the tick.
    other.register("monthly-run", (tenant, id, attempt) => processMonthlyRun(t.ctx, tenant, id, attempt), {
      key: (params) => String(params.month),
    });
    const fired = await Promise.all([t.ctx.jobs.tick(fire), other.tick(fire)]);
    expect(fired[0] + fired[1]).toBe(1);
    expect(await t.ctx.jobs.tick(new Date("2025-03-15T00:00:00Z"))).toBe(0);
    await t.ctx.jobs.drain();
    await other.stop();
    const jobs = await t.db("jobs").where({ tenant_id: tenantId, type: "monthly-run" }).select("*");
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: "done", singleton_key: "2025-03" });
    expect(jobs[0].params).toMatchObject({ month: "2025-03", at: "2025-03-01", scheduleId: s.id });
    expect(jobs[0].result.ledger).toBeGreaterThanOrEqual(0);
    const after = await t.request().get(`/api/schedules/${s.id}`).set(h);
    expect(after.body.lastFiredAt).toBe("2025-02-28T18:00:00.000Z");
    // The next month's fire time is queued at its tick; a disabled schedule queues nothing.
    expect(await t.ctx.jobs.tick(new Date("2025-03-31T18:00:10Z"))).toBe(1);
    await t.request().put(`/api/schedules/${s.id}`).set(h).send({ enabled: false });
    expect(await t.ctx.jobs.tick(new Date("2025-04-30T18:00:10Z"))).toBe(0);
  });
});
