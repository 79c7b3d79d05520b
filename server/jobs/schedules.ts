/**
 * Per-tenant cron schedules (table `schedules`, edited through /api/schedules): the minute tick of the
 * queue queues each schedule's latest due fire time once. The conditional update of `last_fired_at`, in
 * the job's transaction, is the once-across-servers guard; the job's singleton key (monthly-run: the
 * month) is the second one.
 * A fire missed while no server ran is queued at the next tick (only the latest one, not every missed).
 */
import type { Knex } from "knex";
import type { Logger } from "pino";
import type { Queue } from "./queue";
import { lastFireTime, localDate } from "./cron";

export async function fireDueSchedules(db: Knex, queue: Queue, logger: Logger, now: Date): Promise<number> {
  const types = queue.types();
  const due = await db("schedules").where({ enabled: true }).whereIn("job_type", types).select("*");
  let fired = 0;
  for (const s of due) {
    let at: Date;
    try {
      at = lastFireTime(s.cron, s.timezone, now);
    } catch (err) {
      logger.warn({ err, scheduleId: s.id }, "schedule with an invalid cron expression skipped");
      continue;
    }
    if (at.getTime() <= new Date(s.last_fired_at ?? s.created_at).getTime()) continue;
    const date = localDate(at, s.timezone);
    const params = {
      ...(s.params ?? {}),
      ...(s.target ? { target: s.target } : {}),
      at: date,
      month: date.slice(0, 7),
      scheduleId: s.id,
      firedAt: at.toISOString(),
    };
    // The fire time and its job commit together: a server dying in between loses no fire.
    const job = await db.transaction(async (trx) => {
      const won = await trx("schedules")
        .where({ tenant_id: s.tenant_id, id: s.id })
        .andWhere((q) => q.whereNull("last_fired_at").orWhere("last_fired_at", "<", at))
        .update({ last_fired_at: at });
      return won ? queue.enqueue(s.job_type, s.tenant_id, { params }, trx) : undefined; // else another tick's
    });
    if (!job) continue;
    logger.info({ tenantId: s.tenant_id, type: s.job_type, jobId: job.id, firedAt: at }, "scheduled job queued");
    fired++;
  }
  return fired;
}
