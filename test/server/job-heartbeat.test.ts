/** The job heartbeat: a live run is never taken over, however long it runs; a dead one is after the timeout. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { claimJob } from "../../server/jobs/store";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let tenantId: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await startTestApp({ ORDO_JOB_STALE_SECONDS: "5" });
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
});
afterAll(async () => {
  await t.ctx.jobs.stop();
  await t.close();
});

const statusOf = async (id: string) => (await t.db("jobs").where({ id }).first()).status as string;

describe("job heartbeat", () => {
  it("the stale timeout and the queue's retry settings are configuration", () => {
    expect(loadConfig({}).jobStaleSeconds).toBeLessThanOrEqual(60);
    expect(loadConfig({ ORDO_JOB_STALE_SECONDS: "12" }).jobStaleSeconds).toBe(12);
    for (const bad of ["0", "ten", "-5", "100000"])
      expect(() => loadConfig({ ORDO_JOB_STALE_SECONDS: bad })).toThrow(/ORDO_JOB_STALE_SECONDS/);
    expect(loadConfig({}).queue).toEqual({
      expireSeconds: 900,
      retryLimit: 3,
      retryDelaySeconds: 10,
      pollSeconds: 2,
      maintenanceSeconds: 60,
    });
    const env = { ORDO_JOB_RETRY_LIMIT: "5", ORDO_JOB_EXPIRE_SECONDS: "30", ORDO_QUEUE_MAINTENANCE_SECONDS: "5" };
    expect(loadConfig(env).queue).toMatchObject({ retryLimit: 5, expireSeconds: 30, maintenanceSeconds: 5 });
    for (const name of ["ORDO_JOB_RETRY_LIMIT", "ORDO_JOB_RETRY_DELAY_SECONDS", "ORDO_JOB_POLL_SECONDS"])
      expect(() => loadConfig({ [name]: "soon" })).toThrow(new RegExp(name));
  });

  it("a processor running past the timeout keeps its heartbeat: another server's claim finds it busy", async () => {
    let runs = 0;
    t.ctx.jobs.register("slow-heartbeat-test", async (tenant, id) => {
      const claim = await claimJob(t.db, tenant, id, { staleMs: 5000, worker: t.ctx.jobs.worker });
      if (!("row" in claim)) return;
      runs++;
      await sleep(7000); // no progress reported meanwhile
      await t.db("jobs").where({ tenant_id: tenant, id }).update({ status: "done", finished_at: t.db.fn.now() });
    });
    const { id } = await t.ctx.jobs.enqueue("slow-heartbeat-test", tenantId, { params: {} });
    const running = t.ctx.jobs.drain();
    const claims = new Set<string>();
    await sleep(300);
    for (let i = 0; i < 12; i++) {
      await sleep(500);
      const claim = await claimJob(t.db, tenantId, id, { staleMs: 5000, worker: "other-server" });
      claims.add(Object.keys(claim)[0]!);
    }
    await running;
    expect([...claims]).toEqual(["busy"]);
    expect(await statusOf(id)).toBe("done");
    expect(runs).toBe(1);

    // Without a worker beating, the same job goes stale after the timeout and another server takes it.
    await t.db("jobs").where({ id }).update({ status: "running" });
    expect(Object.keys(await claimJob(t.db, tenantId, id, { staleMs: 5000, worker: "other-server" }))).toEqual([
      "busy",
    ]);
    await sleep(5300);
    const taken = await claimJob(t.db, tenantId, id, { staleMs: 5000, worker: "other-server" });
    expect("row" in taken && taken.row.worker).toBe("other-server");
  });
});
