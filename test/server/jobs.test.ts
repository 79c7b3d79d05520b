/** The pg-boss job queue on the suite's database (PGlite by default): queued runs, singletons, retries. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import PgBoss from "pg-boss";
import { createMonthlyRun } from "../../server/lifecycle/monthly-run";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
beforeAll(async () => {
  t = await startTestApp({ ORDO_JOB_RETRY_LIMIT: "1", ORDO_JOB_RETRY_DELAY_SECONDS: "0", ORDO_JOB_POLL_SECONDS: "1" });
  h = await t.admin("demo");
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
  const emp = await t.db("employees").where({ employee_no: "E00002" }).first();
  const hired = await t
    .request()
    .post(`/api/employees/${emp.id}/hire`)
    .set(h)
    .send({ date: "2025-01-06", at: "2025-01-06" });
  expect(hired.status).toBe(200);
});
afterAll(async () => {
  await t.ctx.jobs.stop();
  await t.close();
});

async function poll(id: string) {
  for (let i = 0; i < 600; i++) {
    const r = await t.request().get(`/api/jobs/${id}`).set(h);
    if (r.body.status === "done" || r.body.status === "failed") return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("job did not finish");
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Drains until `done` holds: a retry waits its backoff (at least a second) before it can be fetched. */
async function drainUntil(done: () => Promise<boolean>) {
  for (let i = 0; i < 60; i++) {
    await t.ctx.jobs.drain();
    if (await done()) return;
    await sleep(250);
  }
  throw new Error("queue did not get there");
}
const bossJobs = async (name: string) =>
  (await t.db.raw("SELECT state, data, retry_count FROM pgboss.job WHERE name = ?", [name])).rows as {
    state: string;
    data: { jobId: string };
    retry_count: number;
  }[];

describe("job queue (pg-boss)", () => {
  it("answers 202 with the queued job, carried by a pg-boss job, and processes it after answering", async () => {
    const res = await t.request().post("/api/monthly-runs").set(h).send({ month: "2025-03", at: "2025-03-31" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", type: "monthly-run", progress: 0 });
    const done = await poll(res.body.id);
    expect(done.status).toBe("done");
    expect(done.progress).toBe(done.total);
    expect(done.result.ledger).toBeGreaterThan(0);
    expect((await t.request().get(`/api/monthly-runs/${res.body.id}`).set(h)).body.status).toBe("done");
    const carried = (await bossJobs("monthly-run")).filter((j) => j.data.jobId === res.body.id);
    expect(carried.map((j) => j.state)).toEqual(["completed"]);
    const row = await t.db("jobs").where({ id: res.body.id }).first();
    expect(row).toMatchObject({ attempts: 1, worker: t.ctx.jobs.worker, singleton_key: "2025-03" });
    // pg-boss's own schema, migrated by pg-boss, in this database (PGlite in the default pass).
    const version = (await t.db.raw("SELECT version FROM pgboss.version")).rows[0].version;
    expect(Number(version)).toBeGreaterThanOrEqual(23);
  });

  it("a second run of a tenant-month while the first is queued answers the first (singleton key)", async () => {
    const month = { month: "2025-06", at: "2025-06-30" };
    // Both written before any worker runs: the second finds the first queued.
    const [a, b] = await Promise.all([
      t.ctx.jobs.enqueue("monthly-run", tenantId, { params: month, total: 31 }),
      t.ctx.jobs.enqueue("monthly-run", tenantId, { params: month, total: 31 }),
    ]);
    expect(a.id).toBe(b.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect((await poll(a.id)).status).toBe("done");
    expect((await bossJobs("monthly-run")).filter((j) => j.data.jobId === a.id)).toHaveLength(1);
    // Once done, the month can be run again (a new job).
    const again = await t.request().post("/api/monthly-runs").set(h).send(month);
    expect(again.body.id).not.toBe(a.id);
    expect((await poll(again.body.id)).status).toBe("done");
  });

  it("takes over a run whose server died (stale heartbeat) and resumes after its checkpoint", async () => {
    const ids = (await t.db("employees").where({ tenant_id: tenantId }).orderBy("id").pluck("id")) as string[];
    await t.db("enrollments").where({ tenant_id: tenantId }).update({ status: "active" });
    const enrolled = new Set(await t.db("enrollments").where({ tenant_id: tenantId }).pluck("employee_id"));
    // The dead server committed the chunks up to ids[14]: its checkpoint says so.
    const checkpoint = {
      after: ids[14],
      done: 15,
      decisionId: null,
      version: null,
      counts: { ledger: 0, alerts: 0, reminders: 0, decisions: 0, errors: 0, byType: {} },
      errors: [],
    };
    const [crashed] = await t
      .db("jobs")
      .insert({
        tenant_id: tenantId,
        type: "monthly-run",
        status: "running",
        progress: 15,
        total: ids.length,
        attempts: 1,
        params: JSON.stringify({ month: "2025-04", at: "2025-04-30" }),
        checkpoint: JSON.stringify(checkpoint),
        updated_at: new Date(Date.now() - 3600_000),
      })
      .returning("id");
    await t.ctx.jobs.enqueue("monthly-run", tenantId, crashed.id);
    await t.ctx.jobs.drain();
    const after = await poll(crashed.id);
    expect(after.status).toBe("done");
    const ledger = await t.db("contributions").where({ tenant_id: tenantId, month: "2025-04" }).pluck("employee_id");
    // Only the employees after the checkpoint were written by the resumed run.
    const expected = ids.slice(15).filter((id) => enrolled.has(id));
    expect(ledger.sort()).toEqual(expected.sort());
    expect(after.result.ledger).toBe(expected.length);
    expect((await t.db("jobs").where({ id: crashed.id }).first()).attempts).toBe(2);
  });

  it("leaves a running job with a fresh heartbeat to its server: the queue retries later", async () => {
    const [alive] = await t
      .db("jobs")
      .insert({
        tenant_id: tenantId,
        type: "monthly-run",
        status: "running",
        progress: 1,
        total: 31,
        params: JSON.stringify({ month: "2025-05", at: "2025-05-31" }),
      })
      .returning("id");
    await t.ctx.jobs.enqueue("monthly-run", tenantId, alive.id);
    const carriedBy = async () => (await bossJobs("monthly-run")).filter((j) => j.data.jobId === alive.id);
    await drainUntil(async () => (await carriedBy())[0]?.state === "completed");
    const row = await t.db("jobs").where({ id: alive.id }).first();
    expect(row).toMatchObject({ status: "running", progress: 1, attempts: 0 });
    // Retried (retry limit 1), then its last attempt leaves it to the live server: no dead letter.
    const carried = await carriedBy();
    expect(carried).toHaveLength(1);
    expect(carried[0]!.retry_count).toBe(1);
    expect((await bossJobs("ordo.dead")).filter((j) => j.data.jobId === alive.id)).toHaveLength(0);
  });

  it("retries a failing job with backoff and marks it failed (JOB_DEAD) through the dead letter queue", async () => {
    let calls = 0;
    t.ctx.jobs.register("test-always-fails", async () => {
      calls++;
      throw new Error("boom");
    });
    const job = await t.ctx.jobs.enqueue("test-always-fails", tenantId, { params: {} });
    const statusOf = async () => (await t.db("jobs").where({ id: job.id }).first()).status;
    await drainUntil(async () => (await statusOf()) === "failed");
    expect(calls).toBe(2); // the first attempt and one retry (ORDO_JOB_RETRY_LIMIT=1)
    const dead = await poll(job.id);
    expect(dead.status).toBe("failed");
    expect(dead.error.code).toBe("JOB_DEAD");
    expect(dead.error.message).toMatch(/2/);
    expect((await bossJobs("ordo.dead")).filter((j) => j.data.jobId === job.id)).toHaveLength(1);
    const queue = (
      await t.db.raw("SELECT retry_backoff, dead_letter FROM pgboss.queue WHERE name = ?", ["monthly-run"])
    ).rows[0];
    expect(queue).toEqual({ retry_backoff: true, dead_letter: "ordo.dead" });
  });

  it("started, its workers poll pg-boss and the minute tick is a pg-boss schedule (PGlite too)", async () => {
    await t.ctx.jobs.start();
    const schedules = (await t.db.raw("SELECT name, cron, timezone FROM pgboss.schedule")).rows;
    expect(schedules).toEqual([{ name: "ordo.cron", cron: "* * * * *", timezone: "UTC" }]);
    // Sent by another pg-boss client (another server's), not through this queue: only a polling worker sees it.
    const job = await createMonthlyRun(t.db, tenantId, { month: "2025-08", at: "2025-08-20" }, null);
    const other = new PgBoss({ db: t.database.sql, supervise: false, schedule: false } as PgBoss.ConstructorOptions);
    await other.start();
    await other.send("monthly-run", { tenantId, jobId: job.id });
    await other.stop({ graceful: false, wait: true } as PgBoss.StopOptions);
    const done = await poll(job.id);
    expect(done.status).toBe("done");
    expect(done.result.ledger).toBeGreaterThan(0);
  });
});
