/**
 * A server killed (SIGKILL) in the middle of a monthly run: after a restart the run completes, resumed
 * after its last committed chunk, with no ledger row, alert, reminder or decision written twice. The
 * servers are child processes (`node --import tsx server/main.ts`: the tsx CLI would fork the server
 * into a grandchild the kill would miss) on a PostgreSQL database of this test's own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { openDatabase, type Database } from "../../server/db/index";
import { TEST_ADMIN } from "../support/constants";
import { seededPostgres } from "../support/postgres";

const ROOT = resolve(__dirname, "../..");
let scratch: Awaited<ReturnType<typeof seededPostgres>>;
let database: Database;
const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });

async function startServer(): Promise<{ child: ChildProcess; base: string; log: () => string }> {
  const port = await freePort();
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: scratch.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ORDO_ADMIN_PASSWORD: TEST_ADMIN.password,
      ORDO_SEED_DEMO: "false",
      ORDO_DEMO_ACTIVITY: "false",
      ORDO_ADMIN_DIST: resolve(ROOT, "no-admin-dist"),
      ORDO_MONTHLY_RUN_CHUNK: "100",
      ORDO_JOB_STALE_SECONDS: "5",
      ORDO_JOB_EXPIRE_SECONDS: "3",
      ORDO_QUEUE_MAINTENANCE_SECONDS: "1",
      ORDO_JOB_RETRY_DELAY_SECONDS: "1",
      ORDO_JOB_RETRY_LIMIT: "10",
      ORDO_JOB_POLL_SECONDS: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const base = `http://127.0.0.1:${port}/api`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, base, log: () => out };
    await sleep(250);
  }
  throw new Error(`server did not start: ${out}`);
}

beforeAll(async () => {
  scratch = await seededPostgres({ extraEmployees: 3000 });
  database = await openDatabase({ kind: "postgres", url: scratch.url, poolMax: 2 });
}, 180_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await database?.close();
  await scratch?.drop();
}, 60_000);

describe("a server killed in the middle of a monthly run", () => {
  it("completes the run after a restart, once: no duplicate ledger rows, alerts, reminders or decisions", async () => {
    const db = database.knex;
    const first = await startServer();
    const login = await fetch(`${first.base}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(TEST_ADMIN),
    });
    const headers = {
      authorization: `Bearer ${(await login.json()).token}`,
      "x-tenant": "demo",
      "content-type": "application/json",
    };
    const res = await fetch(`${first.base}/monthly-runs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ month: "2025-03", at: "2025-03-20" }),
    });
    expect(res.status).toBe(202);
    const { id, total } = await res.json();
    expect(total).toBeGreaterThan(3000);
    let killedAt = -1;
    for (let i = 0; i < 3000; i++) {
      const row = await db("jobs").where({ id }).first("status", "progress");
      if (row.status === "running" && row.progress >= 500) {
        first.child.kill("SIGKILL");
        killedAt = row.progress;
        break;
      }
      expect(row.status).not.toBe("done");
      await sleep(10);
    }
    expect(killedAt).toBeGreaterThan(0);
    await new Promise((r) => (first.child.exitCode === null ? first.child.once("exit", r) : r(null)));
    const dead = await db("jobs").where({ id }).first();
    expect(dead.status).toBe("running");
    expect(dead.progress).toBeLessThan(dead.total);
    expect(dead.attempts).toBe(1);
    expect(dead.worker).toContain(`:${first.child.pid}:`); // the process killed is the one that ran it

    const second = await startServer();
    let done: Record<string, any> | undefined;
    for (let i = 0; i < 240 && !done; i++) {
      const row = await db("jobs").where({ id }).first();
      if (row.status === "done" || row.status === "failed") done = row;
      else await sleep(250);
    }
    expect(done?.status, second.log()).toBe("done");
    expect(done!.attempts).toBe(2);
    expect(done!.worker).not.toBe(dead.worker);
    expect(done!.progress).toBe(done!.total);

    const tenant = (await db("tenants").where({ slug: "demo" }).first()).id;
    const enrolled = Number((await db("enrollments").where({ tenant_id: tenant }).count({ n: "*" }))[0]!.n);
    const ledger = await db("contributions")
      .where({ tenant_id: tenant, month: "2025-03" })
      .select(db.raw("count(*)::int AS n"), db.raw("count(DISTINCT employee_id)::int AS e"))
      .first();
    expect(ledger).toEqual({ n: enrolled, e: enrolled });
    // The counts carried across the crash in the checkpoint agree with the rows: nothing counted twice.
    expect(done!.result.ledger).toBe(enrolled);
    const decisions = await db("decisions").where({ tenant_id: tenant, operation: "monthly-run" }).pluck("id");
    expect(decisions).toEqual([done!.result.decisionId]);
    const reminders = await db("reminders")
      .where({ tenant_id: tenant, decision_id: done!.result.decisionId })
      .select(db.raw("count(*)::int AS n"), db.raw("count(DISTINCT (employee_id, template))::int AS distinct"))
      .first();
    expect(reminders.n).toBe(done!.result.reminders);
    expect(reminders.distinct).toBe(reminders.n);
    const alerts = await db("alerts")
      .where({ tenant_id: tenant, decision_id: done!.result.decisionId })
      .count({ n: "*" });
    expect(Number(alerts[0]!.n)).toBe(done!.result.alerts);
    // One pg-boss job, failed at least once by expiry (its server died) and completed on a retry. Under load
    // a retry can also arrive while the killed run's heartbeat still looks fresh: that delivery hands the job
    // back without running it (Ordo's attempts above stay 2), so pg-boss may count more than one retry.
    const boss = await db.raw("SELECT state, retry_count FROM pgboss.job WHERE data->>'jobId' = ?", [id]);
    expect(boss.rows).toHaveLength(1);
    expect(boss.rows[0].state).toBe("completed");
    expect(boss.rows[0].retry_count).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
