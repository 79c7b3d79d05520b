/**
 * The user-visible side of a queued job: its row in `jobs` (status, progress, result, error), which any
 * server can read. The queue (pg-boss) carries only `{ tenantId, jobId }`; a processor claims the row,
 * so a job retried by the queue (its server died) is taken over only once its heartbeat went stale.
 */
import type { Knex } from "knex";

type Row = Record<string, any>;

export interface NewJob {
  type: string;
  params: Record<string, unknown>;
  total?: number;
  actorId?: string | null;
  /** One queued or running job per (tenant, type, key): asking again answers the existing job. */
  singletonKey?: string;
}

/** Inserts a queued job, or answers the queued / running one holding the same singleton key. */
export async function insertJob(db: Knex, tenantId: string, job: NewJob): Promise<{ id: string; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await db.raw(
      `INSERT INTO jobs (tenant_id, type, status, progress, total, params, actor_id, singleton_key, sent_at)
       VALUES (?, ?, 'queued', 0, ?, ?::jsonb, ?, ?, now())
       ON CONFLICT (tenant_id, type, singleton_key)
         WHERE singleton_key IS NOT NULL AND status IN ('queued', 'running') DO NOTHING
       RETURNING id`,
      [tenantId, job.type, job.total ?? 0, JSON.stringify(job.params), job.actorId ?? null, job.singletonKey ?? null],
    );
    if (rows.length) return { id: rows[0].id, created: true };
    const existing = await db("jobs")
      .where({ tenant_id: tenantId, type: job.type, singleton_key: job.singletonKey! })
      .whereIn("status", ["queued", "running"])
      .first("id");
    if (existing) return { id: existing.id, created: false };
    // The holder finished between the two statements: the key is free again.
    if (attempt >= 3) throw new Error(`could not queue job ${job.type}/${job.singletonKey}`);
  }
}

export type Claim = { row: Row } | { busy: true } | { finished: true };

/**
 * Takes a job for this worker: a queued one, or a running one whose heartbeat is older than staleMs (the
 * server running it died). A running job with a fresh heartbeat is busy (another server works on it).
 */
export async function claimJob(
  db: Knex,
  tenantId: string,
  jobId: string,
  opts: { staleMs: number; worker: string },
): Promise<Claim> {
  const cutoff = new Date(Date.now() - opts.staleMs);
  const claimed = await db("jobs")
    .where({ tenant_id: tenantId, id: jobId })
    .andWhere((q) =>
      q.where("status", "queued").orWhere((r) => r.where("status", "running").andWhere("updated_at", "<", cutoff)),
    )
    .update({ status: "running", attempts: db.raw("attempts + 1"), worker: opts.worker, updated_at: db.fn.now() })
    .returning("*");
  if (claimed.length) return { row: claimed[0] };
  const now = await db("jobs").where({ tenant_id: tenantId, id: jobId }).first("status");
  return now?.status === "running" ? { busy: true } : { finished: true };
}

/** Touches the job's heartbeat while `work` runs, so no other server takes it for dead. */
export async function withHeartbeat<T>(
  db: Knex,
  job: { tenantId: string; jobId: string },
  everyMs: number,
  onError: (err: unknown) => void,
  work: () => Promise<T>,
): Promise<T> {
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = db("jobs")
      .where({ tenant_id: job.tenantId, id: job.jobId, status: "running" })
      .update({ updated_at: db.fn.now() })
      .catch(onError);
  }, everyMs);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await beating;
  }
}

/** Marks a job the queue gave up on (dead letter) failed, unless it finished or is still alive. */
export async function markDead(
  db: Knex,
  tenantId: string,
  jobId: string,
  staleMs: number,
  error: { code: string; message: string },
): Promise<boolean> {
  const cutoff = new Date(Date.now() - staleMs);
  const n = await db("jobs")
    .where({ tenant_id: tenantId, id: jobId })
    .andWhere((q) =>
      q.where("status", "queued").orWhere((r) => r.where("status", "running").andWhere("updated_at", "<", cutoff)),
    )
    .update({ status: "failed", error: JSON.stringify(error), updated_at: db.fn.now(), finished_at: db.fn.now() });
  return n > 0;
}
