/** The job heartbeat: a crashed run is queued again within the stale timeout; a live one never is. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { JobRunner } from "../../server/jobs/runner";
import { processMonthlyRun } from "../../server/lifecycle/monthly-run";
import { createLogger } from "../../server/logger";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let tenantId: string;
const logger = createLogger("silent");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await startTestApp();
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
});
afterAll(() => t.close());

const insertJob = async (fields: Record<string, unknown>) =>
  (
    await t
      .db("jobs")
      .insert({ tenant_id: tenantId, total: 0, params: "{}", ...fields })
      .returning("id")
  )[0].id as string;
const statusOf = async (id: string) => (await t.db("jobs").where({ id }).first()).status as string;

describe("job heartbeat", () => {
  it("the stale timeout is configuration, a minute or less by default", () => {
    expect(t.ctx.config.jobStaleSeconds).toBeLessThanOrEqual(60);
    expect(loadConfig({ ORDO_JOB_STALE_SECONDS: "12" }).jobStaleSeconds).toBe(12);
    for (const bad of ["0", "ten", "-5", "100000"])
      expect(() => loadConfig({ ORDO_JOB_STALE_SECONDS: bad })).toThrow(/ORDO_JOB_STALE_SECONDS/);
  });

  it("re-queues a running job with an old heartbeat and another runner completes it; a fresh one is left", async () => {
    const staleMs = t.ctx.config.jobStaleSeconds * 1000;
    const crashed = await insertJob({
      type: "monthly-run",
      status: "running",
      progress: 7,
      params: JSON.stringify({ month: "2025-04", at: "2025-04-30" }),
      updated_at: new Date(Date.now() - staleMs - 1000),
    });
    const alive = await insertJob({
      type: "monthly-run",
      status: "running",
      progress: 3,
      params: JSON.stringify({ month: "2025-05", at: "2025-05-31" }),
      updated_at: new Date(Date.now() - staleMs / 2),
    });
    // Another server: its own runner on the same database, polling.
    const other = new JobRunner(t.db, logger, { staleMs, intervalMs: 100 });
    other.register("monthly-run", (tenant, id) => processMonthlyRun(t.ctx, tenant, id));
    other.start();
    try {
      for (let i = 0; i < 100 && (await statusOf(crashed)) !== "done"; i++) await sleep(100);
    } finally {
      await other.stop();
    }
    const done = await t.db("jobs").where({ id: crashed }).first();
    expect(done.status).toBe("done");
    expect(done.result).toMatchObject({ ledger: expect.any(Number) });
    expect(await statusOf(alive)).toBe("running");
  });

  it("a job whose processor runs longer than the timeout keeps its heartbeat and is never re-queued", async () => {
    // Only this test's job is running (reclaimStale looks at every running job).
    await t.db("jobs").whereIn("status", ["queued", "running"]).update({ status: "failed", error: "test cleanup" });
    let runs = 0;
    const runner = new JobRunner(t.db, logger, { staleMs: 2000, heartbeatMs: 200 });
    runner.register("slow-heartbeat-test", async (tenant, id) => {
      runs++;
      const claimed = await t
        .db("jobs")
        .where({ tenant_id: tenant, id, status: "queued" })
        .update({ status: "running", updated_at: t.db.fn.now() });
      if (!claimed) return;
      await sleep(5000); // no progress reported meanwhile
      await t.db("jobs").where({ tenant_id: tenant, id }).update({ status: "done", finished_at: t.db.fn.now() });
    });
    const id = await insertJob({ type: "slow-heartbeat-test", status: "queued" });
    const running = runner.drain();
    // Another server reclaims stale jobs all along with the same timeout.
    const poller = new JobRunner(t.db, logger, { staleMs: 2000 });
    let reclaimed = 0;
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await sleep(200);
      reclaimed += await poller.reclaimStale();
      seen.add(await statusOf(id));
    }
    await running;
    expect(reclaimed).toBe(0);
    expect(seen.has("running")).toBe(true);
    expect(seen.has("queued")).toBe(false);
    expect(await statusOf(id)).toBe("done");
    expect(runs).toBe(1);

    // Without a runner beating, the same job goes stale after the timeout and is queued again.
    await t.db("jobs").where({ id }).update({ status: "running" });
    await sleep(2300);
    expect(await poller.reclaimStale()).toBe(1);
    expect(await statusOf(id)).toBe("queued");
  });
});
