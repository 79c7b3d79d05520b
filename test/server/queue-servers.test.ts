/**
 * Two Ordo servers (two createApp instances, each with its own pool and pg-boss workers) on one
 * PostgreSQL: every queued monthly run is processed exactly once, and a tenant-month asked of both at
 * once is one job. PostgreSQL is needed in both passes (see test/support/postgres.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createApp } from "../../server/app";
import { loadConfig } from "../../server/config";
import { openDatabase, type Database } from "../../server/db/index";
import { createLogger } from "../../server/logger";
import { TEST_ADMIN } from "../support/constants";
import { seededPostgres } from "../support/postgres";

type Server = {
  app: ReturnType<typeof createApp>;
  database: Database;
  headers: (tenant: string) => Record<string, string>;
};
let scratch: Awaited<ReturnType<typeof seededPostgres>>;
const servers: Server[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  scratch = await seededPostgres();
  for (let i = 0; i < 2; i++) {
    const database = await openDatabase({ kind: "postgres", url: scratch.url, poolMax: 4 });
    const config = loadConfig({
      DATABASE_URL: scratch.url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      ORDO_ADMIN_PASSWORD: TEST_ADMIN.password,
      ORDO_JOB_POLL_SECONDS: "1",
    });
    const app = createApp({ config, database, logger: createLogger(config.logLevel) });
    await app.context.jobs.start();
    const login = await request(app).post("/api/auth/login").send(TEST_ADMIN);
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    servers.push({ app, database, headers: (tenant) => ({ authorization: `Bearer ${token}`, "x-tenant": tenant }) });
  }
}, 120_000);
afterAll(async () => {
  for (const s of servers) {
    await s.app.context.jobs.stop();
    await s.database.close();
  }
  await scratch?.drop();
}, 60_000);

const db = () => servers[0]!.database.knex;
const MONTHS = Array.from({ length: 10 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);

describe("two servers on one PostgreSQL", () => {
  it("process each of 20 queued tenant-month runs exactly once, between them", async () => {
    const ids: string[] = [];
    for (const [i, month] of MONTHS.entries())
      for (const [j, tenant] of ["demo", "retail"].entries()) {
        const s = servers[(i + j) % 2]!; // alternate the server that is asked
        const res = await request(s.app)
          .post("/api/monthly-runs")
          .set(s.headers(tenant))
          .send({ month, at: `${month}-20` });
        expect(res.status).toBe(202);
        ids.push(res.body.id);
      }
    expect(new Set(ids).size).toBe(20);
    for (let i = 0; i < 240; i++) {
      const left = await db()("jobs").whereIn("id", ids).whereNot("status", "done").count({ n: "*" });
      const active = await db().raw(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'monthly-run' AND state <> 'completed'",
      );
      if (Number(left[0]!.n) === 0 && active.rows[0].n === 0) break;
      await sleep(250);
    }
    const jobs = await db()("jobs")
      .whereIn("id", ids)
      .select("id", "tenant_id", "status", "attempts", "worker", "params");
    expect(jobs.map((j) => j.status)).toEqual(Array(20).fill("done"));
    // Each claimed once (a second claim would have counted an attempt), by one of the two servers.
    expect(jobs.map((j) => j.attempts)).toEqual(Array(20).fill(1));
    const workers = servers.map((s) => s.app.context.jobs.worker);
    expect(new Set(jobs.map((j) => j.worker))).toEqual(new Set(workers));
    // One pg-boss job each, completed on its first try.
    const boss = (
      await db().raw("SELECT data->>'jobId' AS id, state, retry_count FROM pgboss.job WHERE name = 'monthly-run'")
    ).rows as { id: string; state: string; retry_count: number }[];
    expect(boss.map((b) => b.id).sort()).toEqual([...ids].sort());
    expect(new Set(boss.map((b) => `${b.state}:${b.retry_count}`))).toEqual(new Set(["completed:0"]));
    // One decision per run, and every ledger row written by its month's run only.
    const decisions = await db()("decisions")
      .where({ operation: "monthly-run" })
      .select(db().raw("facts->>'jobId' AS job"), db().raw("count(*)::int AS n"))
      .groupByRaw("facts->>'jobId'");
    expect(decisions.map((d) => d.n)).toEqual(Array(20).fill(1));
    const enrolled = await db()("enrollments").groupBy("tenant_id").select("tenant_id", db().raw("count(*)::int AS n"));
    for (const job of jobs) {
      const rows = await db()("contributions")
        .where({ tenant_id: job.tenant_id, month: job.params.month })
        .select(db().raw("count(*)::int AS n"), db().raw("count(DISTINCT employee_id)::int AS employees"))
        .first();
      const expected = enrolled.find((e) => e.tenant_id === job.tenant_id)!.n;
      expect(rows).toEqual({ n: expected, employees: expected });
      const others = await db()("contributions")
        .where({ tenant_id: job.tenant_id, month: job.params.month })
        .whereNot("job_id", job.id)
        .count({ n: "*" });
      expect(Number(others[0]!.n)).toBe(0);
    }
  });

  it("a tenant-month asked of both servers at once is one job", async () => {
    const body = { month: "2025-11", at: "2025-11-20" };
    const [a, b] = await Promise.all(
      servers.map((s) => request(s.app).post("/api/monthly-runs").set(s.headers("demo")).send(body)),
    );
    expect([a!.status, b!.status]).toEqual([202, 202]);
    expect(a!.body.id).toBe(b!.body.id);
    const boss = await db().raw("SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'jobId' = ?", [a!.body.id]);
    expect(boss.rows[0].n).toBe(1);
  });
});
