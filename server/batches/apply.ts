/**
 * The batch-apply job (queue type `batch-apply`, params { batchId, mode }). Each row goes through the
 * same lifecycle operation as a single hire, wage change or leave, and its key is recorded with its
 * content hash in the same transaction. Mode `valid`: rows in chunks of CHUNK, each chunk committed with
 * the job's progress; a row that fails is rolled back alone (its savepoint) and reported. Mode `all`: one
 * transaction for every row; any failure rolls all of it back (progress is then written beside it on
 * PostgreSQL, best effort; on PGlite it shows at the end). A row whose key was applied with the same
 * content meanwhile is skipped.
 */
import type { Knex } from "knex";
import { AppError, errorMessage } from "../errors";
import type { AppContext } from "../http/context";
import { hasConnectionPool } from "../db/index";
import { claimJob } from "../jobs/store";
import { JobBusyError, type Attempt } from "../jobs/queue";
import { loadPolicySet } from "../policy-tables/policy-set";
import type { BatchRow } from "./file";
import { UnitShared } from "../lifecycle/unit";
import { type ApplyMode, employeeIds, runBatchRows, type StoredRow, UNIT_ROWS } from "./service";

type Row = Record<string, any>;
const CHUNK = UNIT_ROWS;

export async function processBatchApply(ctx: AppContext, tenantId: string, jobId: string, attempt: Attempt) {
  const db = ctx.db;
  const claim = await claimJob(db, tenantId, jobId, {
    staleMs: ctx.config.jobStaleSeconds * 1000,
    worker: ctx.jobs.worker,
  });
  if ("busy" in claim && !attempt.final) throw new JobBusyError(jobId);
  if (!("row" in claim)) return;
  const { batchId, mode } = claim.row.params as { batchId: string; mode: ApplyMode };
  const actorId: string | null = claim.row.actor_id ?? null;
  const batch = await db("batches").where({ tenant_id: tenantId, id: batchId }).first();
  const todo = (batch.rows as StoredRow[]).filter((r) => r.status === "new" || r.status === "changed") as (StoredRow &
    BatchRow)[];
  const keys = await db("batch_row_keys")
    .where({ tenant_id: tenantId })
    .whereIn("row_key", todo.map((r) => r.key).slice(0, 50_000))
    .select("row_key", "content_hash");
  const done = new Map(keys.map((k: Row) => [k.row_key as string, k.content_hash as string]));
  const shared = new UnitShared(ctx.rules, tenantId, await loadPolicySet(db, tenantId));
  const caller = { tenantId, actorId };
  const ids = await employeeIds(
    db,
    tenantId,
    todo.map((r) => r.employeeNo),
  );
  const at = typeof batch.at === "string" ? batch.at : new Date(batch.at).toISOString().slice(0, 10);
  const result = { applied: 0, skipped: 0, failed: [] as Row[] };
  let progress = 0;
  const jobRow = (q: Knex | Knex.Transaction) => q("jobs").where({ tenant_id: tenantId, id: jobId });

  const runRows = async (trx: Knex.Transaction, part: (StoredRow & BatchRow)[]) => {
    const written: Row[] = [];
    const rows = part.filter((r) => {
      if (done.get(r.key) !== r.hash) return true;
      result.skipped++;
      return false;
    });
    await runBatchRows(ctx, trx, { caller, rows, at, shared, ids }, (r, out) => {
      if ("decisionId" in out) {
        written.push({
          tenant_id: tenantId,
          row_key: r.key,
          content_hash: (r as StoredRow & BatchRow).hash,
          batch_id: batchId,
          line: r.line,
          decision_id: out.decisionId,
        });
        result.applied++;
      } else if (mode === "all") throw Object.assign(out.error, { line: r.line });
      else result.failed.push({ line: r.line, code: out.error.code, params: out.error.params });
    });
    if (written.length)
      await trx("batch_row_keys")
        .insert(written)
        .onConflict(["tenant_id", "row_key"])
        .merge(["content_hash", "batch_id", "line", "decision_id", "applied_at"]);
  };

  try {
    if (mode === "all")
      await db.transaction(async (trx) => {
        for (let i = 0; i < todo.length; i += CHUNK) {
          await runRows(trx, todo.slice(i, i + CHUNK));
          progress = Math.min(todo.length, i + CHUNK);
          // Beside the transaction, so other readers see it: PostgreSQL only (PGlite's one connection is
          // the transaction's until it commits; the progress shows when it is done).
          if (hasConnectionPool(db))
            void jobRow(db)
              .where({ status: "running" })
              .update({ progress: db.raw("GREATEST(progress, ?)", [progress]), updated_at: db.fn.now() })
              .catch(() => {});
        }
      });
    else
      for (let i = 0; i < todo.length; i += CHUNK)
        await db.transaction(async (trx) => {
          await runRows(trx, todo.slice(i, i + CHUNK));
          progress = Math.min(todo.length, i + CHUNK);
          await jobRow(trx).update({ progress, updated_at: trx.fn.now() });
        });
    await db.transaction(async (trx) => {
      await trx("batches")
        .where({ tenant_id: tenantId, id: batchId })
        .update({
          status: "applied",
          result: JSON.stringify(result),
          applied_by: actorId,
          applied_at: trx.fn.now(),
          updated_at: trx.fn.now(),
        });
      await jobRow(trx).update({
        status: "done",
        progress: todo.length,
        result: JSON.stringify(result),
        updated_at: trx.fn.now(),
        finished_at: trx.fn.now(),
      });
    });
    ctx.logger.info({ tenantId, batchId, mode, ...result, failed: result.failed.length }, "batch applied");
  } catch (e) {
    const line = (e as { line?: number }).line ?? 0;
    ctx.logger.error({ err: e, tenantId, batchId, line }, "batch apply failed");
    const error =
      e instanceof AppError && e.isPublic
        ? { code: e.code, message: `${errorMessage("BATCH_APPLY_FAILED", { line })}: ${e.message}` }
        : { code: "BATCH_APPLY_FAILED", message: errorMessage("BATCH_APPLY_FAILED", { line }) };
    await db("batches")
      .where({ tenant_id: tenantId, id: batchId })
      .update({ status: "failed", result: JSON.stringify({ ...result, error, line }), updated_at: db.fn.now() });
    await jobRow(db).update({
      status: "failed",
      error: JSON.stringify(error),
      updated_at: db.fn.now(),
      finished_at: db.fn.now(),
    });
  }
}
