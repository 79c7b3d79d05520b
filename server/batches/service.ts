/**
 * Batch upload: validate every row, preview what the rule sets would do (a dry run of the real hire /
 * wage-change / leave operations inside a transaction that is rolled back), then apply as a queued job.
 * A row key (kind|employeeNo|date) applied before with the same content is `unchanged` and skipped, so
 * the same file uploaded again changes nothing and a corrected file applies only its changed rows.
 */
import type { Knex } from "knex";
import { calculateContributions, monthOf, type PolicySet } from "../../policies/index";
import { renderAlertMessage, SOCIAL_INSURANCE_CODES } from "../../domain/index";
import { type AppError, type ErrorCode, errorMessage, fail, type Locale } from "../errors";
import type { AppContext } from "../http/context";
import { isUuid } from "../http/formats";
import { loadPolicySet } from "../policy-tables/policy-set";
import { LifecycleService } from "../lifecycle/service";
import { isRowError, LifecycleUnit, UnitShared } from "../lifecycle/unit";
import { audit } from "../audit/log";
import { auditScope } from "../audit/scope";
import { BATCH_COLUMNS, type BatchRow, type CellError, fileHash, readBatchFile } from "./file";

type Row = Record<string, any>;
export const BATCH_JOB = "batch-apply";
export type RowStatus = "new" | "changed" | "unchanged" | "invalid" | "failed";
export type ApplyMode = "valid" | "all";

export interface RowPreview {
  enrollments: Row[];
  alerts: Row[];
  reminders: Row[];
}
export interface StoredRow extends Partial<BatchRow> {
  line: number;
  status: RowStatus;
  /** What the operation answered in the dry run: the code, its params and the English message. */
  error?: { code: ErrorCode; params: Record<string, string | number>; message?: string };
  preview?: RowPreview;
}

const today = () => new Date().toISOString().slice(0, 10);
const CHUNK = 1000;
/** Rows a unit of work runs (loaded, decided, stored together). */
export const UNIT_ROWS = 500;

async function inChunks<T>(items: T[], f: (part: T[]) => Promise<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await f(items.slice(i, i + CHUNK))));
  return out;
}

/** Cell errors that need the tenant's data: unknown employees, a new hire without its details, repeats. */
async function checkAgainstData(db: Knex, tenantId: string, rows: BatchRow[], errors: CellError[]) {
  const numbers = [...new Set(rows.map((r) => r.employeeNo))];
  const known = new Set(
    (
      await inChunks(numbers, (part) =>
        db("employees").where({ tenant_id: tenantId }).whereIn("employee_no", part).select("employee_no"),
      )
    ).map((e) => e.employee_no as string),
  );
  const seen = new Map<string, number>();
  const valid: BatchRow[] = [];
  for (const r of rows) {
    const bad = (column: string, code: ErrorCode, params: Record<string, string | number>) =>
      errors.push({ line: r.line, column, letter: "", code, params });
    const before = errors.length;
    const other = seen.get(r.key);
    if (other !== undefined)
      bad("employeeNo", "BATCH_CELL_DUPLICATE_ROW", { kind: r.kind, employeeNo: r.employeeNo, date: r.date, other });
    else if (r.kind === "hire" && !known.has(r.employeeNo)) {
      for (const c of ["name", "insuredCity", "monthlyWage"] as const)
        if (!r[c]) bad(c, "BATCH_CELL_REQUIRED", { column: c });
    } else if (r.kind !== "hire" && !known.has(r.employeeNo))
      bad("employeeNo", "BATCH_CELL_UNKNOWN_EMPLOYEE", { employeeNo: r.employeeNo });
    seen.set(r.key, seen.get(r.key) ?? r.line);
    if (errors.length > before) continue;
    if (r.kind === "hire") known.add(r.employeeNo);
    valid.push(r);
  }
  return valid;
}

/** Employee ids by number, loaded in bulk; a row that hires a new one adds it once its savepoint holds. */
export async function employeeIds(db: Knex, tenantId: string, numbers: string[]): Promise<Map<string, string>> {
  const rows = await inChunks([...new Set(numbers)], (part) =>
    db("employees").where({ tenant_id: tenantId }).whereIn("employee_no", part).select("id", "employee_no"),
  );
  return new Map(rows.map((e) => [e.employee_no as string, e.id as string]));
}

export type RowOutcome = { decisionId: string } | { error: AppError };

/**
 * Runs rows through the lifecycle operations (hire, wage change, leave) in one unit of work: the chunk's
 * employees and periods are loaded once and every change is stored with one statement per table. A hire
 * of an unknown employee number creates the employee (a known one is updated first). A row that fails
 * with an error the user can act on is rolled back alone and reported through `onRow`; any other error
 * is thrown. Employee ids by number are kept in `ids` (new ones added as their rows hold).
 */
export async function runBatchRows(
  ctx: AppContext,
  trx: Knex.Transaction,
  run: {
    caller: { tenantId: string; actorId: string | null };
    rows: BatchRow[];
    at: string;
    shared: UnitShared;
    ids: Map<string, string>;
    /** A preview: the transaction is rolled back, so only what `effectsOf` reads is stored. */
    dryRun?: boolean;
  },
  onRow: (r: BatchRow, outcome: RowOutcome) => void,
): Promise<void> {
  const { caller, rows, at, shared, ids } = run;
  const unit = await LifecycleUnit.load(
    trx,
    shared,
    rows.map((r) => ids.get(r.employeeNo)).filter((id): id is string => !!id),
    { dryRun: run.dryRun },
  );
  const svc = new LifecycleService(ctx, { policy: shared.policy });
  for (const r of rows) {
    unit.begin();
    try {
      let id = ids.get(r.employeeNo);
      if (r.kind === "hire") {
        const fields = {
          ...(r.name && { name: r.name }),
          ...(r.insuredCity && { insured_city: r.insuredCity }),
          ...(r.monthlyWage && { monthly_wage: r.monthlyWage }),
          ...(r.employmentType && { employment_type: r.employmentType }),
          ...(r.hukouLocal !== undefined && { hukou_local: r.hukouLocal }),
        };
        if (!id)
          id = unit.addEmployee({
            employee_no: r.employeeNo,
            hire_date: r.date,
            employment_type: "full_time",
            ...fields,
          });
        else if (Object.keys(fields).length) unit.updateEmployee(id, fields);
      }
      if (!id) throw fail("NOT_FOUND", { resource: "employees", id: r.employeeNo });
      const decisionId = await svc.runInUnit(unit, caller, id, r.kind, { date: r.date, wage: r.monthlyWage, at });
      unit.commit();
      ids.set(r.employeeNo, id);
      onRow(r, { decisionId });
    } catch (e) {
      unit.rollback();
      if (!isRowError(e)) throw Object.assign(e as object, { line: r.line });
      onRow(r, { error: e });
    }
  }
  await unit.flush();
}

/** What the decisions wrote (read before the dry run is rolled back), with the monthly amounts. */
async function effectsOf(trx: Knex.Transaction, tenantId: string, policy: PolicySet, ids: string[]) {
  const [enrollments, alerts, reminders] = await Promise.all([
    inChunks(ids, (part) =>
      trx("enrollments as n")
        .join("employees as e", (j) => j.on("e.tenant_id", "n.tenant_id").andOn("e.id", "n.employee_id"))
        .where("n.tenant_id", tenantId)
        .whereIn("n.decision_id", part)
        .select("n.decision_id", "n.insured_city", "n.insurances", "n.base", "n.from_date", "n.to_date", "n.status")
        .select("n.reason", "e.hukou_local"),
    ),
    inChunks(ids, (part) =>
      trx("alerts")
        .where({ tenant_id: tenantId })
        .whereIn("decision_id", part)
        .select("decision_id", "type", "severity", "message", "due_date", "data"),
    ),
    inChunks(ids, (part) =>
      trx("notifications")
        .where({ tenant_id: tenantId })
        .whereIn("decision_id", part)
        .select("decision_id", "template", "audience", "channel", "subject", "due_date"),
    ),
  ]);
  const by = new Map<string, RowPreview>(ids.map((id) => [id, { enrollments: [], alerts: [], reminders: [] }]));
  for (const n of enrollments) {
    const insurances = Array.isArray(n.insurances) && n.insurances.length ? n.insurances : [...SOCIAL_INSURANCE_CODES];
    const from = String(n.from_date).slice(0, 10);
    let amounts: Row | null = null;
    if (!n.to_date && n.base)
      try {
        const c = calculateContributions(policy, {
          city: n.insured_city,
          month: monthOf(from),
          wage: n.base,
          hukouLocal: n.hukou_local,
          insurances,
        });
        amounts = { month: c.month, base: c.items[0]?.base ?? null, ...c.totals };
      } catch {
        /* no policy for that city and month: the amounts are unknown, not zero */
      }
    by.get(n.decision_id)?.enrollments.push({
      action: n.status === "ended" ? "end" : "create",
      insuredCity: n.insured_city,
      insurances,
      base: n.base,
      fromDate: from,
      toDate: n.to_date ? String(n.to_date).slice(0, 10) : null,
      amounts,
    });
  }
  for (const a of alerts)
    by.get(a.decision_id)?.alerts.push({
      type: a.type,
      severity: a.severity,
      message: a.message,
      dueDate: a.due_date,
      // The values the message names: the view renders it in the reader's language.
      data: (typeof a.data === "string" ? JSON.parse(a.data) : a.data) ?? {},
    });
  for (const m of reminders)
    by.get(m.decision_id)?.reminders.push({
      template: m.template,
      audience: m.audience,
      channel: m.channel,
      subject: m.subject,
      dueDate: m.due_date,
    });
  return by;
}

class DryRun extends Error {}

/** POST /batches: reads, validates and previews the file (dry run); stored, nothing applied. */
export async function createBatch(
  ctx: AppContext,
  tenantId: string,
  actorId: string | null,
  body: string | Buffer,
  opts: { fileName?: string; at?: string },
) {
  const t0 = Date.now();
  const at = opts.at ?? today();
  const file = await readBatchFile(body);
  const errors = [...file.errors];
  const valid = await checkAgainstData(ctx.db, tenantId, file.rows, errors);
  const keys = await inChunks(
    valid.map((r) => r.key),
    (part) =>
      ctx
        .db("batch_row_keys")
        .where({ tenant_id: tenantId })
        .whereIn("row_key", part)
        .select("row_key", "content_hash"),
  );
  const applied = new Map(keys.map((k) => [k.row_key as string, k.content_hash as string]));
  const rows: StoredRow[] = valid.map((r) => ({
    ...r,
    status: !applied.has(r.key) ? "new" : applied.get(r.key) === r.hash ? "unchanged" : "changed",
  }));
  const t1 = Date.now();
  const policy = await loadPolicySet(ctx.db, tenantId);
  const shared = new UnitShared(ctx.rules, tenantId, policy);
  const caller = { tenantId, actorId };
  const ids = await employeeIds(
    ctx.db,
    tenantId,
    valid.map((r) => r.employeeNo),
  );
  const scope = auditScope();
  const writtenBefore = scope?.written ?? 0;
  try {
    await ctx.db.transaction(async (trx) => {
      const decisions = new Map<StoredRow, string>();
      const pending = rows.filter((r) => r.status === "new" || r.status === "changed") as (StoredRow & BatchRow)[];
      for (let i = 0; i < pending.length; i += UNIT_ROWS)
        await runBatchRows(
          ctx,
          trx,
          { caller, rows: pending.slice(i, i + UNIT_ROWS), at, shared, ids, dryRun: true },
          (r, out) => {
            const row = r as StoredRow & BatchRow;
            if ("decisionId" in out) decisions.set(row, out.decisionId);
            else {
              row.status = "failed";
              row.error = {
                code: out.error.code,
                params: out.error.params as Record<string, string | number>,
                message: out.error.message,
              };
            }
          },
        );
      const effects = await effectsOf(trx, tenantId, policy, [...decisions.values()]);
      for (const [r, id] of decisions) r.preview = effects.get(id);
      throw new DryRun();
    });
  } catch (e) {
    if (!(e instanceof DryRun)) throw e;
  } finally {
    // The dry run's audit entries were rolled back with it: they do not count as this request's.
    if (scope) scope.written = writtenBefore;
  }
  const t2 = Date.now();
  const lines = new Set(errors.map((e) => e.line));
  const all: StoredRow[] = [...rows, ...[...lines].map((line) => ({ line, status: "invalid" as const }))].sort(
    (a, b) => a.line - b.line,
  );
  const counts: Record<string, number> = { rows: file.lines, new: 0, changed: 0, unchanged: 0, invalid: 0, failed: 0 };
  for (const r of all) counts[r.status]!++;
  counts.errors = errors.length;
  const hash = fileHash(body);
  const earlier = await ctx.db("batches").where({ tenant_id: tenantId, file_hash: hash }).first("id");
  const [stored] = await ctx
    .db("batches")
    .insert({
      tenant_id: tenantId,
      file_name: opts.fileName ?? null,
      file_hash: hash,
      format: file.format,
      status: "previewed",
      at,
      rows: JSON.stringify(all),
      errors: JSON.stringify(errors.sort((a, b) => a.line - b.line)),
      counts: JSON.stringify({ ...counts, validateMs: t1 - t0, previewMs: t2 - t1, sameFileAs: earlier?.id ?? null }),
      created_by: actorId,
    })
    .returning("*");
  await audit(ctx.db, tenantId, {
    resource: "batches",
    resourceId: stored.id,
    operation: "create",
    after: { fileName: stored.file_name, fileHash: hash, format: file.format, at, counts },
  });
  return stored as Row;
}

const notFound = (id: string) =>
  fail("NOT_FOUND", { resource: "batches", id }, { details: { resource: "batches", id } });

async function findBatch(db: Knex, tenantId: string, id: string): Promise<Row> {
  const row = isUuid(id) ? await db("batches").where({ tenant_id: tenantId, id }).first() : undefined;
  if (!row) throw notFound(id);
  return row;
}

/** A column as the reader's header names it: the Chinese header in zh-CN (日期), the key in English. */
const columnLabel = (column: string, locale: Locale): string =>
  locale === "zh-CN"
    ? ((BATCH_COLUMNS as Record<string, readonly string[]>)[column]?.find((a) => /\p{Script=Han}/u.test(a)) ?? column)
    : column;

const localizeError = <E extends { code: ErrorCode; params: Record<string, string | number>; message?: string }>(
  e: E,
  locale: Locale,
): E => {
  if (locale === "en" && e.message) return e;
  const params =
    typeof e.params.column === "string" ? { ...e.params, column: columnLabel(e.params.column, locale) } : e.params;
  return { ...e, message: errorMessage(e.code, params, locale) };
};

/** A stored row in the reader's language: its error, and the messages of the alerts it would raise. */
function localizeRow(r: StoredRow, locale: Locale): StoredRow {
  const out = r.error ? { ...r, error: localizeError(r.error, locale) } : r;
  if (!r.preview?.alerts.length) return out;
  const alerts = r.preview.alerts.map(({ data, ...a }) => ({
    ...a,
    message: renderAlertMessage(a.type, data, locale, a.message),
  }));
  return { ...out, preview: { ...r.preview, alerts } };
}

/** The stored batch in the reader's language, with its apply job's progress. */
export async function batchView(db: Knex, tenantId: string, row: Row, locale: Locale) {
  const job = row.job_id ? await db("jobs").where({ tenant_id: tenantId, id: row.job_id }).first() : undefined;
  return {
    id: row.id,
    fileName: row.file_name ?? null,
    fileHash: row.file_hash,
    format: row.format,
    status: row.status,
    at: typeof row.at === "string" ? row.at : new Date(row.at).toISOString().slice(0, 10),
    mode: row.mode ?? null,
    counts: row.counts,
    errors: (row.errors as CellError[]).map((e) => ({
      ...localizeError(e, locale),
      columnLabel: columnLabel(e.column, locale),
    })),
    rows: (row.rows as StoredRow[]).map((r) => localizeRow(r, locale)),
    progress: job
      ? { jobId: job.id, status: job.status, done: job.progress, total: job.total, error: job.error ?? null }
      : null,
    result: row.result ?? null,
    createdAt: row.created_at,
    appliedAt: row.applied_at ?? null,
  };
}

export const getBatch = async (db: Knex, tenantId: string, id: string, locale: Locale) =>
  batchView(db, tenantId, await findBatch(db, tenantId, id), locale);

export async function listBatches(db: Knex, tenantId: string, range: [number, number]) {
  const base = db("batches").where({ tenant_id: tenantId });
  const [rows, [{ n }]] = await Promise.all([
    base
      .clone()
      .orderBy([
        { column: "created_at", order: "desc" },
        { column: "id", order: "desc" },
      ])
      .offset(range[0])
      .limit(range[1] - range[0] + 1)
      .select("id", "file_name", "format", "status", "at", "mode", "counts", "created_at", "applied_at"),
    base.clone().count({ n: "*" }),
  ]);
  const data = rows.map((r: Row) => ({
    id: r.id,
    fileName: r.file_name ?? null,
    format: r.format,
    status: r.status,
    mode: r.mode ?? null,
    counts: r.counts,
    createdAt: r.created_at,
    appliedAt: r.applied_at ?? null,
  }));
  return { data, total: Number(n) };
}

/** Checks a batch can be applied in a mode; answers the rows to apply (new and changed). */
export async function prepareApply(db: Knex, tenantId: string, id: string, mode: ApplyMode) {
  const row = await findBatch(db, tenantId, id);
  if (row.status === "applied" || row.status === "applying") return { row, pending: -1 };
  const rows = row.rows as StoredRow[];
  const bad = rows.filter((r) => r.status === "invalid" || r.status === "failed").length;
  if (mode === "all" && bad) throw fail("BATCH_HAS_ERRORS", { count: bad }, { details: { count: bad } });
  return { row, pending: rows.filter((r) => r.status === "new" || r.status === "changed").length };
}
