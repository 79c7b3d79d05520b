/**
 * The job queue: pg-boss over Ordo's own database connection — PostgreSQL, or the embedded PGlite through
 * the same `executeSql` adapter (server/db `sqlOf`), so both run the same queue. What users see of a job
 * is its row in `jobs` (status, progress, result, error code: GET /api/jobs/:id, /api/monthly-runs/:id);
 * the pg-boss job carries `{ tenantId, jobId }` only.
 *
 *   queue.register(type, processor, { key })   processor(tenantId, jobId, attempt) => Promise<unknown>;
 *       `key(params)` names the singleton key (monthly-run: the month), so one tenant-month runs once.
 *   queue.enqueue(type, tenantId, { params, total?, actorId?, singletonKey? })
 *       inserts the jobs row and the pg-boss job in one transaction; answers { id, created } (created
 *       false: a queued or running job held the key and is answered instead). `enqueue(type, tenantId,
 *       jobId)` queues a row written by the caller.
 *   queue.runNow(type, tenantId, jobId)   runs it in the caller (POST …?wait=true), not through pg-boss.
 *   queue.start() / stop()                workers, retries, the cron tick (main.ts); drain() runs what is
 *                                         queued here and now (tests, and right after an enqueue).
 *
 * A processor claims its row (store.ts claimJob) and throws to ask for a retry: pg-boss retries with
 * exponential backoff, after retryLimit retries the job goes to the dead-letter queue, whose handler marks
 * the row failed (JOB_DEAD). A server that dies mid-job leaves the pg-boss job active until it expires;
 * the retry takes the row over once its heartbeat is stale. Per-tenant cron schedules live in the
 * `schedules` table: one pg-boss schedule (`ordo.cron`, every minute, sent once across servers) fans
 * out to them (schedules.ts), because pg-boss 10 keeps one schedule per queue name (a queue per tenant
 * and type would mean a polling worker per tenant on every server).
 *
 * A new job type (reminder dispatch, a daily scan): register its processor in server/app.ts; to let
 * tenants schedule it, add its code to ENUMS.scheduleJobType (domain/enums.ts). A scheduled job's params
 * are the schedule's own plus `at` (the fire date in the schedule's time zone), `month`, `firedAt`.
 */
import PgBoss from "pg-boss";
import type { Knex } from "knex";
import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { sqlOf } from "../db/index";
import { errorMessage } from "../errors";
import { insertJob, markDead, withHeartbeat, type NewJob } from "./store";
import { fireDueSchedules } from "./schedules";

export interface Attempt {
  /** 0 on the first run, n on the n-th retry. */
  retry: number;
  /** No retry follows: a processor records its failure instead of throwing. */
  final: boolean;
}
export type JobProcessor = (tenantId: string, jobId: string, attempt: Attempt) => Promise<unknown>;

/** Thrown by a processor whose job another live server is running: the queue asks again later. */
export class JobBusyError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is running on another server`);
    this.name = "JobBusyError";
  }
}

export interface QueueOptions {
  staleMs: number;
  expireSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
  pollSeconds: number;
  maintenanceSeconds: number;
}

export interface Queue {
  /** This server's worker name, stored on the jobs it runs. */
  readonly worker: string;
  register(type: string, processor: JobProcessor, opts?: { key?: (params: Record<string, unknown>) => string }): void;
  types(): string[];
  /**
   * `trx`: queue inside the caller's transaction (committed or rolled back with it). The type's queue must
   * be open already (`open(type)` first): on PGlite opening it inside the transaction would wait for the
   * one connection the transaction holds.
   */
  enqueue(
    type: string,
    tenantId: string,
    job: string | Omit<NewJob, "type">,
    trx?: Knex.Transaction,
  ): Promise<{ id: string; created: boolean }>;
  /** Opens pg-boss and creates the type's queue (done on first use otherwise). */
  open(type: string): Promise<void>;
  /** Soon, on this server: hands over queued rows written without the queue, then runs what is queued. */
  wake(): void;
  runNow<T>(type: string, tenantId: string, jobId: string): Promise<T>;
  drain(): Promise<void>;
  /** Queues what per-tenant schedules say is due at `now`, then runs the tick hooks (the cron tick; tests call it). */
  tick(now?: Date): Promise<number>;
  /**
   * Work the minute tick does on whichever server pg-boss hands it to (once a minute across all servers),
   * such as the scan that queues the dispatch of notifications now due. A hook that fails is logged.
   */
  onTick(hook: (now: Date) => Promise<unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const SCHEMA = "pgboss";
export const DEAD_LETTER = "ordo.dead";
export const CRON_TICK = "ordo.cron";
type Data = { tenantId: string; jobId: string };
type BossJob = PgBoss.JobWithMetadata<Data>;

export class PgBossQueue implements Queue {
  readonly worker = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly processors = new Map<string, { run: JobProcessor; key?: (p: Record<string, unknown>) => string }>();
  private boss: Promise<PgBoss> | undefined;
  private readonly queues = new Set<string>();
  private started = false;
  private stopping = false;
  private draining: Promise<void> | undefined;
  private readonly tickHooks: ((now: Date) => Promise<unknown>)[] = [];

  constructor(
    private readonly db: Knex,
    private readonly logger: Logger,
    private readonly opts: QueueOptions,
  ) {}

  register(type: string, run: JobProcessor, opts: { key?: (p: Record<string, unknown>) => string } = {}): void {
    this.processors.set(type, { run, key: opts.key });
  }

  onTick(hook: (now: Date) => Promise<unknown>): void {
    this.tickHooks.push(hook);
  }

  types(): string[] {
    return [...this.processors.keys()];
  }

  /** pg-boss, started on first use; supervised (expiry, retention) and scheduling only after start(). */
  private connect(): Promise<PgBoss> {
    this.boss ??= (async () => {
      const boss = new PgBoss({
        db: sqlOf(this.db),
        schema: SCHEMA,
        supervise: this.started,
        schedule: this.started,
        maintenanceIntervalSeconds: this.opts.maintenanceSeconds,
      } as PgBoss.ConstructorOptions);
      boss.on("error", (err) => this.logger.error({ err }, "queue error"));
      await boss.start();
      return boss;
    })().catch((e) => {
      this.boss = undefined;
      throw e;
    });
    return this.boss;
  }

  private async queue(name: string): Promise<PgBoss> {
    const boss = await this.connect();
    if (this.queues.has(name)) return boss;
    const options: PgBoss.Queue = {
      name,
      policy: "standard",
      retryLimit: this.opts.retryLimit,
      retryDelay: this.opts.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: this.opts.expireSeconds,
      ...(name === DEAD_LETTER || name === CRON_TICK ? {} : { deadLetter: DEAD_LETTER }),
    };
    if (name !== DEAD_LETTER) await this.queue(DEAD_LETTER);
    await boss.createQueue(name, options);
    await boss.updateQueue(name, options); // settings changed since the queue was created apply
    this.queues.add(name);
    return boss;
  }

  async open(type: string): Promise<void> {
    await this.queue(type);
  }

  async enqueue(type: string, tenantId: string, job: string | Omit<NewJob, "type">, trx?: Knex.Transaction) {
    const def = this.processors.get(type);
    if (!def) throw new Error(`No processor for job type "${type}"`);
    if (trx && !this.queues.has(type))
      throw new Error(`Open the queue of "${type}" before enqueueing in a transaction`);
    const boss = await this.queue(type);
    let out: { id: string; created: boolean };
    if (typeof job === "string") {
      await (trx ?? this.db)("jobs").where({ tenant_id: tenantId, id: job }).update({ sent_at: this.db.fn.now() });
      await boss.send(type, { tenantId, jobId: job }, (trx ? { db: sqlOf(trx) } : {}) as PgBoss.SendOptions);
      out = { id: job, created: true };
    } else {
      const singletonKey = job.singletonKey ?? def.key?.(job.params);
      const write = async (tx: Knex.Transaction) => {
        const r = await insertJob(tx, tenantId, { ...job, type, singletonKey });
        if (r.created)
          await boss.send(type, { tenantId, jobId: r.id }, { db: sqlOf(tx), singletonKey } as PgBoss.SendOptions);
        return r;
      };
      out = trx ? await write(trx) : await this.db.transaction(write);
    }
    // Picked up at once here (after the caller's commit); any other server's worker would take it as well.
    if (out.created && !this.stopping) {
      const kick = () => setImmediate(() => void this.drain().catch(() => {}));
      if (trx) void trx.executionPromise.then(kick, () => {});
      else kick();
    }
    return out;
  }

  wake(): void {
    if (!this.stopping) setImmediate(() => void this.drain().catch(() => {}));
  }

  /**
   * Hands to pg-boss the queued rows that were written without the queue (inside a caller's transaction,
   * e.g. a notification dispatch queued with the notifications it sends). Each row is taken by one server
   * (the update is atomic); answers how many were handed over.
   */
  async sweep(): Promise<number> {
    const types = [...this.processors.keys()];
    if (!types.length) return 0;
    const { rows } = await this.db.raw(
      `UPDATE jobs SET sent_at = now()
       WHERE (tenant_id, id) IN (
         SELECT tenant_id, id FROM jobs WHERE status = 'queued' AND sent_at IS NULL
           AND type IN (${types.map(() => "?").join(", ")})
         ORDER BY created_at LIMIT 500 FOR UPDATE SKIP LOCKED)
       RETURNING tenant_id, id, type`,
      types,
    );
    for (const r of rows as { tenant_id: string; id: string; type: string }[]) {
      const boss = await this.queue(r.type);
      await boss.send(r.type, { tenantId: r.tenant_id, jobId: r.id });
    }
    return rows.length;
  }

  async runNow<T>(type: string, tenantId: string, jobId: string): Promise<T> {
    return (await this.process(type, { tenantId, jobId }, { retry: 0, final: true })) as T;
  }

  private process(type: string, data: Data, attempt: Attempt): Promise<unknown> {
    const def = this.processors.get(type);
    if (!def) throw new Error(`No processor for job type "${type}"`);
    const every = Math.max(100, Math.min(5000, Math.floor(this.opts.staleMs / 5)));
    return withHeartbeat(
      this.db,
      data,
      every,
      (err) => this.logger.warn({ err, jobId: data.jobId }, "job heartbeat failed"),
      () => def.run(data.tenantId, data.jobId, attempt),
    );
  }

  private async handle(name: string, job: BossJob): Promise<void> {
    if (name === DEAD_LETTER) {
      const { tenantId, jobId } = job.data;
      const error = { code: "JOB_DEAD", message: errorMessage("JOB_DEAD", { attempts: this.opts.retryLimit + 1 }) };
      if (await markDead(this.db, tenantId, jobId, this.opts.staleMs, error))
        this.logger.error({ tenantId, jobId }, "job gave up after its retries (dead letter)");
      return;
    }
    if (name === CRON_TICK) {
      await this.tick();
      return;
    }
    await this.process(name, job.data, { retry: job.retryCount, final: job.retryCount >= job.retryLimit });
  }

  async tick(now = new Date()): Promise<number> {
    for (const type of this.processors.keys()) await this.queue(type);
    await this.sweep();
    const fired = await fireDueSchedules(this.db, this, this.logger, now);
    for (const hook of this.tickHooks)
      await hook(now).catch((err) => this.logger.error({ err }, "a minute-tick hook failed"));
    return fired;
  }

  /**
   * Runs what is queued here and now. Asked while a pass is under way, that pass goes round once more
   * before it answers: a job sent after the pass looked at its queue is not left behind.
   */
  drain(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = this.drainLoop().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private drainAgain = false;

  private async drainLoop(): Promise<void> {
    const names = [...this.processors.keys(), DEAD_LETTER];
    for (;;) {
      this.drainAgain = false;
      await this.sweep();
      let found = false;
      for (const name of names) {
        if (this.stopping) return;
        const boss = await this.queue(name);
        const [job] = (await boss.fetch<Data>(name, { batchSize: 1, includeMetadata: true })) as BossJob[];
        if (!job) continue;
        found = true;
        try {
          await this.handle(name, job);
          await boss.complete(name, job.id);
        } catch (err) {
          this.logFailure(name, job, err);
          await boss.fail(name, job.id, { message: (err as Error).message });
        }
      }
      if (!found && !this.drainAgain) return;
    }
  }

  private logFailure(name: string, job: BossJob, err: unknown) {
    const level = err instanceof JobBusyError ? "info" : "warn";
    this.logger[level]({ err, queue: name, jobId: job.data?.jobId, retry: job.retryCount }, "job will be retried");
  }

  async start(): Promise<void> {
    if (this.started) return;
    if (this.boss) {
      // Opened unsupervised by an early enqueue: reopen with maintenance and the scheduler.
      const early = await this.boss;
      await this.draining;
      await early.stop({ graceful: true, wait: true, close: false } as PgBoss.StopOptions);
      this.boss = undefined;
      this.queues.clear();
    }
    this.started = true;
    const pollingIntervalSeconds = this.opts.pollSeconds;
    for (const name of [...this.processors.keys(), DEAD_LETTER, CRON_TICK]) {
      const boss = await this.queue(name);
      await boss.work<Data>(name, { pollingIntervalSeconds, batchSize: 1, includeMetadata: true }, async (jobs) => {
        const [job] = jobs as BossJob[];
        try {
          await this.handle(name, job!);
        } catch (err) {
          this.logFailure(name, job!, err);
          throw err;
        }
      });
    }
    // Sent once a minute across all servers (pg-boss debounces it); the tick fans out per tenant.
    await (await this.connect()).schedule(CRON_TICK, "* * * * *", {}, { tz: "UTC" });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.draining;
    if (this.boss) await (await this.boss).stop({ graceful: true, wait: true, timeout: 10_000 } as PgBoss.StopOptions);
    this.boss = undefined;
  }
}

/** Installs pg-boss's schema (its own migrations) and creates the queues: used to prepare test templates. */
export async function installQueue(db: Knex, logger: Logger, types: string[]): Promise<void> {
  const q = new PgBossQueue(db, logger, {
    staleMs: 30_000,
    expireSeconds: 900,
    retryLimit: 3,
    retryDelaySeconds: 10,
    pollSeconds: 2,
    maintenanceSeconds: 60,
  });
  for (const t of types) q.register(t, async () => {});
  await q.drain();
  await q.stop();
}
