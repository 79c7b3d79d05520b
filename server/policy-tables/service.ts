/**
 * Policy tables: versioned documents whose content is a policies `TableDef` (minus key, name and description)
 * plus its rows. Every save is validated with `validateTable`; nothing is written when it fails.
 */
import type { Knex } from "knex";
import {
  diffTables,
  parseRowsCsvChunked,
  rowsToCsv,
  validateTable,
  type Diagnostic,
  type PolicyRow,
  type TableDef,
} from "../../policies/index";
import { ajv } from "../http/ajv";
import { type AppError, fail } from "../errors";
import type { AuthUser } from "../auth/service";
import { CHUNKS, DocumentStore, type Content, type DocRecord } from "../documents/store";
import { yieldEvery } from "../util/yield";
import { queueAdjustments } from "../si/adjustments";

export const policyTableStore = new DocumentStore({
  kind: "policy-table",
  contentFields: ["keyColumns", "valueColumns", "optionalValues", "rows"],
  emptyContent: () => ({ keyColumns: {}, valueColumns: {}, optionalValues: [], rows: [] }),
  // A list answers each table's columns and how many rows it has; the rows come with the single-table GET.
  // Rows are inline, or (after a CSV import) in chunks the draft's CHUNKS entry counts.
  listDraft:
    `(draft - 'rows' - '${CHUNKS}') || jsonb_build_object('rowCount', ` +
    `coalesce((draft->'${CHUNKS}'->>'total')::int, jsonb_array_length(coalesce(draft->'rows', '[]'))))`,
  chunkedField: "rows",
});

export interface TableContent {
  keyColumns: TableDef["keyColumns"];
  valueColumns: TableDef["valueColumns"];
  optionalValues: string[];
  rows: PolicyRow[];
}

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const RESERVED = new Set(["effectiveFrom", "effectiveTo", "source", "confidence", "note", "publishedOn"]);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function tableDef(rec: { key: string; name: string; description?: string | null }, content: Content): TableDef {
  const c = content as unknown as TableContent;
  return {
    key: rec.key,
    name: rec.name,
    ...(rec.description ? { description: rec.description } : {}),
    keyColumns: c.keyColumns,
    valueColumns: c.valueColumns,
    optionalValues: c.optionalValues ?? [],
  };
}

export function invalidTable(errors: Diagnostic[]): AppError {
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return fail(
    "INVALID_POLICY_TABLE",
    { pointer: first.pointer || "/", problem: first.message },
    {
      message: `${first.pointer || "/"}: ${first.message}${more}`,
      details: { errors },
      errors: Object.fromEntries(errors.map((e) => [e.pointer || "/", e.message])),
    },
  );
}

/** The column definitions: names usable as CSV headers, valid JSON Schemas, optional values that exist. */
function columnErrors(c: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const part of ["keyColumns", "valueColumns"] as const) {
    const cols = c[part];
    if (!isObject(cols)) {
      out.push({
        pointer: `/${part}`,
        code: "TYPE",
        message: `${part} must be an object of column name to JSON Schema`,
      });
      continue;
    }
    if (part === "valueColumns" && Object.keys(cols).length === 0)
      out.push({ pointer: `/${part}`, code: "REQUIRED", message: "a table needs at least one value column" });
    for (const [name, schema] of Object.entries(cols)) {
      const pointer = `/${part}/${name}`;
      if (!COLUMN.test(name) || RESERVED.has(name))
        out.push({
          pointer,
          code: "COLUMN_NAME",
          message:
            `column name ${JSON.stringify(name)} must be a letter or _ followed by letters, digits or _, ` +
            `and not one of ${[...RESERVED].join(", ")}`,
        });
      if (seen.has(name))
        out.push({ pointer, code: "DUPLICATE_COLUMN", message: `column ${name} is both a key and a value column` });
      seen.add(name);
      if (!isObject(schema) || !ajv.validateSchema(schema)) {
        const why = ajv.errors?.[0] ? `: ${ajv.errorsText(ajv.errors)}` : "";
        out.push({ pointer, code: "SCHEMA", message: `column ${name} needs a valid JSON Schema${why}` });
      }
    }
  }
  const optional = c.optionalValues ?? [];
  if (!Array.isArray(optional))
    out.push({
      pointer: "/optionalValues",
      code: "TYPE",
      message: "optionalValues must be a list of value column names",
    });
  else
    optional.forEach((name, i) => {
      if (!isObject(c.valueColumns) || typeof name !== "string" || !(name in c.valueColumns))
        out.push({
          pointer: `/optionalValues/${i}`,
          code: "UNKNOWN_COLUMN",
          message: `optionalValues names ${JSON.stringify(name)}, which is not a value column`,
        });
    });
  return out;
}

/** Rows in their canonical stored shape (effectiveTo null when open, unknown fields dropped), or the shape errors. */
function normalizeRows(rows: unknown, out: Diagnostic[]): PolicyRow[] {
  if (!Array.isArray(rows)) {
    out.push({ pointer: "/rows", code: "TYPE", message: "rows must be a list" });
    return [];
  }
  return rows.map((r, i) => {
    const row = isObject(r) ? r : {};
    if (!isObject(r)) out.push({ pointer: `/rows/${i}`, code: "TYPE", message: "a row must be an object" });
    for (const part of ["key", "values"] as const) {
      if (row[part] !== undefined && !isObject(row[part]))
        out.push({ pointer: `/rows/${i}/${part}`, code: "TYPE", message: `${part} must be an object` });
      // JSON.parse reads 1e309 as Infinity, which ajv takes for a number and JSON stores as null.
      for (const [col, v] of Object.entries(isObject(row[part]) ? row[part] : {}))
        if (typeof v === "number" && !Number.isFinite(v))
          out.push({ pointer: `/rows/${i}/${part}/${col}`, code: "TYPE", message: `${col} must be a finite number` });
    }
    const n: PolicyRow = {
      key: isObject(row.key) ? (row.key as PolicyRow["key"]) : {},
      values: isObject(row.values) ? (row.values as PolicyRow["values"]) : {},
      effectiveFrom: row.effectiveFrom as string,
      effectiveTo: (row.effectiveTo ?? null) as string | null,
      source: row.source as string,
      confidence: row.confidence as PolicyRow["confidence"],
    };
    if (row.note !== undefined && row.note !== null && row.note !== "") n.note = row.note as string;
    if (row.publishedOn !== undefined && row.publishedOn !== null && row.publishedOn !== "")
      n.publishedOn = row.publishedOn as string;
    return n;
  });
}

/** Validates content for a save; throws 400 INVALID_POLICY_TABLE with every error at its JSON pointer. */
export function checkContent(
  rec: { key: string; name: string; description?: string | null },
  content: Content,
): Content {
  const errors = columnErrors(content);
  const rows = normalizeRows(content.rows ?? [], errors);
  if (errors.length) throw invalidTable(errors);
  const normalized: Content = { ...content, optionalValues: content.optionalValues ?? [], rows };
  let rowErrors: Diagnostic[];
  try {
    rowErrors = validateTable(tableDef(rec, normalized), rows);
  } catch (err) {
    throw invalidTable([
      {
        pointer: "/valueColumns",
        code: "SCHEMA",
        message: `a column schema cannot be compiled: ${(err as Error).message}`,
      },
    ]);
  }
  if (rowErrors.length) throw invalidTable(rowErrors);
  return normalized;
}

export async function createTable(
  db: Knex,
  tenantId: string,
  body: Record<string, unknown>,
  user: AuthUser | null,
): Promise<DocRecord> {
  const content = checkContent(
    { key: String(body.key), name: String(body.name ?? body.key) },
    policyTableStore.contentOf(body, policyTableStore.opts.emptyContent()),
  );
  return policyTableStore.create(db, tenantId, body, content, user);
}

export async function saveTable(
  db: Knex,
  tenantId: string,
  key: string,
  body: Record<string, unknown>,
  user: AuthUser | null,
): Promise<DocRecord> {
  const current = await policyTableStore.get(db, tenantId, key);
  const meta = {
    key,
    name: String(body.name ?? current.name),
    description: (body.description ?? current.description) as string | null,
  };
  const content = checkContent(meta, policyTableStore.contentOf(body, policyTableStore.draftOf(current)));
  return policyTableStore.saveDraft(db, tenantId, key, body, content, user);
}

/**
 * Replaces the draft's rows with a CSV; every bad row is reported (line and column) and nothing is applied
 * while any is bad. Read and checked in steps with yields between them, and stored in chunks of rows (one
 * short statement each), so a 60,000-row file does not hold other requests, on PGlite's single connection
 * either; the answer is the table as lists show it (a row count, not the rows).
 */
export async function importCsv(
  db: Knex,
  tenantId: string,
  key: string,
  csv: string,
  revision: number | undefined,
  user: AuthUser | null,
) {
  const current = await policyTableStore.get(db, tenantId, key, false, true);
  // Without a revision the import replaces whatever the draft is now (the CSV is the whole row set).
  policyTableStore.assertRevision(current, revision ?? current.revision);
  const draft = policyTableStore.draftOf(current);
  const pause = yieldEvery();
  const { rows, errors } = await parseRowsCsvChunked(tableDef(current, draft), csv, pause);
  if (errors.length) {
    const first = errors[0]!;
    const where = `line ${first.line}${first.column ? `, column ${first.column}` : ""}: ${first.message}`;
    throw fail(
      "INVALID_CSV",
      { problem: where, line: first.line, column: first.column },
      { message: `${where}${errors.length > 1 ? ` (${errors.length} errors)` : ""}`, details: { errors } },
    );
  }
  // The rows are already checked against these columns (validateTable, by the parse), in canonical shape.
  const rec = await policyTableStore.saveDraftChunked(
    db,
    tenantId,
    key,
    { revision: revision ?? current.revision },
    { ...draft, optionalValues: draft.optionalValues ?? [] },
    rows,
    user,
    { summary: true, pause },
  );
  return { ...rec, imported: rows.length };
}

/** Draft or a published version as content with its table definition. */
export async function resolveContent(db: Knex, tenantId: string, key: string, version: string | number | undefined) {
  const rec = await policyTableStore.get(db, tenantId, key);
  if (version === undefined || version === "draft")
    return { rec, version: "draft" as const, content: policyTableStore.draftOf(rec) };
  const n = Number(version);
  if (!Number.isInteger(n) || n < 1)
    throw fail(
      "INVALID_VERSION",
      {},
      { details: { field: "version" }, errors: { version: "must be a number or draft" } },
    );
  return { rec, version: n, content: (await policyTableStore.version(db, tenantId, key, n)).content };
}

export async function exportCsv(db: Knex, tenantId: string, key: string, version?: string | number) {
  const { rec, content, version: v } = await resolveContent(db, tenantId, key, version);
  return { version: v, csv: rowsToCsv(tableDef(rec, content), (content.rows ?? []) as PolicyRow[]) };
}

function columnDiff(a: Content, b: Content) {
  const out: { added: string[]; removed: string[]; changed: string[] } = { added: [], removed: [], changed: [] };
  for (const part of ["keyColumns", "valueColumns"] as const) {
    const ca = (a[part] ?? {}) as Record<string, unknown>;
    const cb = (b[part] ?? {}) as Record<string, unknown>;
    for (const c of Object.keys(cb))
      if (!(c in ca)) out.added.push(c);
      else if (JSON.stringify(ca[c]) !== JSON.stringify(cb[c])) out.changed.push(c);
    for (const c of Object.keys(ca)) if (!(c in cb)) out.removed.push(c);
  }
  return out;
}

/** Content `a` against `b`: the columns added, removed and changed, and the rows as diffTables answers them. */
export function tableContentDiff(a: Content, b: Content) {
  const rows = diffTables((a.rows ?? []) as PolicyRow[], (b.rows ?? []) as PolicyRow[]);
  return { columns: columnDiff(a, b), ...rows };
}

export async function diffVersions(db: Knex, tenantId: string, key: string, a: string, b: string) {
  const [ra, rb] = await Promise.all([resolveContent(db, tenantId, key, a), resolveContent(db, tenantId, key, b)]);
  return { table: key, from: ra.version, to: rb.version, ...tableContentDiff(ra.content, rb.content) };
}

export async function publishTable(
  db: Knex,
  tenantId: string,
  key: string,
  body: { effectiveFrom?: string; note?: string; publishedOn?: string },
  user: AuthUser | null,
) {
  return db.transaction(async (trx) => {
    const doc = await policyTableStore.get(trx, tenantId, key, true);
    checkContent(doc, policyTableStore.draftOf(doc));
    const v = await policyTableStore.publish(
      trx,
      tenantId,
      key,
      { effectiveFrom: body.effectiveFrom, note: body.note, publishedOn: body.publishedOn },
      user,
    );
    // Months already in the ledger are settled (差额补缴) by a job queued with the version, in its transaction.
    const adjustmentJob = await queueAdjustments(trx, tenantId, key, v.version, user?.id ?? null);
    return { ...v, adjustmentJobId: adjustmentJob?.id ?? null };
  });
}

export async function rollbackTable(
  db: Knex,
  tenantId: string,
  key: string,
  body: { version: number; note?: string; effectiveFrom?: string },
  user: AuthUser | null,
) {
  return db.transaction(async (trx) => {
    const old = await policyTableStore.version(trx, tenantId, key, body.version);
    const v = await policyTableStore.publish(
      trx,
      tenantId,
      key,
      {
        content: old.content,
        rolledBackFrom: body.version,
        effectiveFrom: body.effectiveFrom,
        note: body.note ?? `Rollback to version ${body.version}`,
        publishedOn: old.publishedOn ?? undefined,
      },
      user,
    );
    const adjustmentJob = await queueAdjustments(trx, tenantId, key, v.version, user?.id ?? null);
    return { ...v, adjustmentJobId: adjustmentJob?.id ?? null };
  });
}
