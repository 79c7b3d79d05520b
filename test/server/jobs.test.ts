/** The Postgres-backed job queue: queued runs are processed, and a run whose server died is run again. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let h: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  const emp = await t.db("employees").where({ employee_no: "E00002" }).first();
  const hired = await t
    .request()
    .post(`/api/employees/${emp.id}/hire`)
    .set(h)
    .send({ date: "2025-01-06", at: "2025-01-06" });
  expect(hired.status).toBe(200);
});
afterAll(() => t.close());

async function poll(id: string) {
  for (let i = 0; i < 600; i++) {
    const r = await t.request().get(`/api/monthly-runs/${id}`).set(h);
    if (r.body.status === "done" || r.body.status === "failed") return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("job did not finish");
}

describe("job queue", () => {
  it("answers 202 with the queued job and processes it after answering", async () => {
    const res = await t.request().post("/api/monthly-runs").set(h).send({ month: "2025-03", at: "2025-03-31" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", type: "monthly-run", progress: 0 });
    const done = await poll(res.body.id);
    expect(done.status).toBe("done");
    expect(done.progress).toBe(done.total);
    expect(done.result.ledger).toBeGreaterThan(0);
  });

  it("queues again a running job whose server stopped sending progress, and finishes it", async () => {
    const tenant = await t.db("tenants").where({ slug: "demo" }).first();
    const [job] = await t
      .db("jobs")
      .insert({
        tenant_id: tenant.id,
        type: "monthly-run",
        status: "running",
        progress: 40,
        total: 31,
        params: JSON.stringify({ month: "2025-04", at: "2025-04-30" }),
        updated_at: new Date(Date.now() - 3600_000),
      })
      .returning("id");
    const fresh = await t
      .db("jobs")
      .insert({
        tenant_id: tenant.id,
        type: "monthly-run",
        status: "running",
        progress: 1,
        total: 31,
        params: JSON.stringify({ month: "2025-05", at: "2025-05-31" }),
      })
      .returning("id");
    expect(await t.ctx.jobs.reclaimStale()).toBe(1);
    await t.ctx.jobs.drain();
    const after = await poll(job.id);
    expect(after.status).toBe("done");
    const ledger = await t.db("contributions").where({ tenant_id: tenant.id, month: "2025-04" }).count({ n: "*" });
    expect(Number(ledger[0]!.n)).toBeGreaterThan(0);
    // A job another server is running (recent heartbeat) is left alone.
    expect((await t.db("jobs").where({ id: fresh[0].id }).first()).status).toBe("running");
  });
});
