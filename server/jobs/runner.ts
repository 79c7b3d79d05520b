/**
 * The job queue lives in Postgres (`jobs`): any Ordo server may queue a job and any server may run it.
 * A job is claimed by the atomic `queued → running` update in its processor, so two servers never run
 * the same job. While a processor runs, its runner touches the job's `updated_at` every `heartbeatMs`
 * (whether or not the processor reports progress); a `running` job whose heartbeat is older than
 * `staleMs` (its server died) is queued again by the next poll of any server. Runs are idempotent (the
 * ledger is upserted, alerts deduplicated), so running one again is safe.
 */
import type { Logger } from "pino";
import type { Knex } from "knex";

export type JobProcessor = (tenantId: string, jobId: string) => Promise<unknown>;

export interface JobRunnerOptions {
  /** How often the queue is polled (queued jobs of other servers, stale jobs). */
  intervalMs?: number;
  /** A running job without a heartbeat for this long is queued again (ORDO_JOB_STALE_SECONDS). */
  staleMs?: number;
  /** How often a running job's heartbeat is written; default a fifth of staleMs, at most 5 s. */
  heartbeatMs?: number;
}

export const DEFAULT_STALE_MS = 30_000;

export class JobRunner {
  private readonly processors = new Map<string, JobProcessor>();
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Knex,
    private readonly logger: Logger,
    private readonly opts: JobRunnerOptions = {},
  ) {}

  register(type: string, processor: JobProcessor): void {
    this.processors.set(type, processor);
  }

  /** Runs queued jobs soon, on this server. */
  wake(): void {
    setImmediate(() => void this.drain());
  }

  /** Processes queued jobs until none is left; resolves when done. */
  drain(): Promise<void> {
    this.draining ??= this.loop().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async loop(): Promise<void> {
    for (;;) {
      const next = await this.db("jobs")
        .where({ status: "queued" })
        .whereIn("type", [...this.processors.keys()])
        .orderBy("created_at")
        .first("tenant_id", "id", "type");
      if (!next) return;
      try {
        await this.withHeartbeat(next.tenant_id, next.id, () =>
          this.processors.get(next.type)!(next.tenant_id, next.id),
        );
      } catch (err) {
        this.logger.error({ err, jobId: next.id }, "job processor crashed");
      }
      // A processor that did not claim the job (another server did) leaves it running: move on.
      const still = await this.db("jobs")
        .where({ tenant_id: next.tenant_id, id: next.id, status: "queued" })
        .first("id");
      if (still) {
        await this.db("jobs")
          .where({ tenant_id: next.tenant_id, id: next.id })
          .update({ status: "failed", error: "not processed", updated_at: this.db.fn.now() });
      }
    }
  }

  /** Runs a job here and now (not through the queue), with the same heartbeat; answers the processor's result. */
  async runNow<T>(type: string, tenantId: string, jobId: string): Promise<T> {
    const processor = this.processors.get(type);
    if (!processor) throw new Error(`No processor for job type "${type}"`);
    return (await this.withHeartbeat(tenantId, jobId, () => processor(tenantId, jobId))) as T;
  }

  /** Touches the job's heartbeat while `work` runs, so no other server takes it for dead. */
  private async withHeartbeat<T>(tenantId: string, jobId: string, work: () => Promise<T>): Promise<T> {
    const staleMs = this.opts.staleMs ?? DEFAULT_STALE_MS;
    const every = this.opts.heartbeatMs ?? Math.max(100, Math.min(5000, Math.floor(staleMs / 5)));
    let beating: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      beating = this.db("jobs")
        .where({ tenant_id: tenantId, id: jobId, status: "running" })
        .update({ updated_at: this.db.fn.now() })
        .catch((err) => this.logger.warn({ err, jobId }, "job heartbeat failed"));
    }, every);
    timer.unref();
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await beating;
    }
  }

  /** Queues again the running jobs whose heartbeat stopped (their server died). */
  async reclaimStale(): Promise<number> {
    const cutoff = new Date(Date.now() - (this.opts.staleMs ?? DEFAULT_STALE_MS));
    const n = await this.db("jobs")
      .where({ status: "running" })
      .andWhere("updated_at", "<", cutoff)
      .update({ status: "queued", progress: 0, updated_at: this.db.fn.now() });
    if (n) this.logger.warn({ jobs: n }, "re-queued jobs whose server stopped");
    return n;
  }

  /** Polls the queue (jobs queued by other servers, stale jobs) until stopped. */
  start(): void {
    if (this.timer) return;
    const tick = async () => {
      try {
        await this.reclaimStale();
        await this.drain();
      } catch (err) {
        this.logger.error({ err }, "job poll failed");
      }
    };
    this.timer = setInterval(() => void tick(), this.opts.intervalMs ?? 5000);
    this.timer.unref();
    void tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.draining;
  }
}
