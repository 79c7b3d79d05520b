/**
 * Reports: saved specs (versioned documents, id = key), checked against their dataset and the tenant's
 * custom fields on every save and run, compiled to one statement, run for a preview or streamed whole to
 * CSV or XLSX through a server-side cursor (memory stays flat however many rows).
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import Decimal from "decimal.js";
import type { Knex } from "knex";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";
import diff from "microdiff";
import { spreadsheetCell } from "../../policies/spreadsheet";
import { fail, type AppError } from "../errors";
import { validateBody } from "../http/validate";
import type { AuthUser } from "../auth/service";
import { DocumentStore, type Content } from "../documents/store";
import { type DatasetDef, type FieldDef, type Label, customField, datasetOf, DATASETS } from "./datasets";
import {
  checkSpec,
  OPERATORS,
  RUN_ROWS,
  reportSpecSchema,
  resolveParams,
  SpecError,
  type ReportSpec,
  type ResolvedSpec,
  type Scalar,
} from "./spec";
import { type Column, compileReport, displayCell, enumLabels, type Lang } from "./compile";

const enumValues = (f: FieldDef, lang: Lang) =>
  Object.entries(enumLabels(f, lang) ?? {}).map(([code, label]) => ({ code, label }));
import { BUILTIN_REPORTS } from "./builtin";

export const REPORT_FIELDS = [
  "dataset",
  "filters",
  "dimensions",
  "measures",
  "sort",
  "limit",
  "params",
  "chart",
  "totals",
  "pinned",
] as const;
/** A spec inside a preview body: its errors are named under /spec. */
const { definitions, ...specProperties } = reportSpecSchema;
const PREVIEW_SCHEMA = { type: "object", definitions, properties: { spec: specProperties } };
/** Keys the API's own paths use (/api/reports/run, …): no report may take them. */
const RESERVED_KEYS = new Set(["run", "datasets", "schema", "builtin", "dashboard", "pinned"]);

export const reportStore = new DocumentStore({
  kind: "report",
  contentFields: REPORT_FIELDS,
  emptyContent: () => ({ dataset: "contributions", measures: [{ fn: "count" }] }),
});

export interface RunResult {
  columns: Column[];
  rows: Record<string, unknown>[];
  totals?: Record<string, unknown>;
  /** True when the run stopped at RUN_ROWS rows (an export has them all). */
  truncated: boolean;
}

function specError(e: SpecError, code: "INVALID_REPORT" | "INVALID_REPORT_PARAMS", prefix = ""): AppError {
  const problems = e.problems.map((p) => ({ ...p, pointer: `${prefix}${p.pointer}` }));
  const first = problems[0]!;
  return fail(
    code,
    { pointer: first.pointer, problem: first.en, problemZh: first.zh },
    {
      details: { errors: problems },
      errors: Object.fromEntries(problems.map((p) => [p.pointer, p.en])),
    },
  );
}

/** The spec part of a record or body (its content fields only). */
export function specOf(body: Record<string, unknown>): ReportSpec {
  const spec: Record<string, unknown> = {};
  for (const f of REPORT_FIELDS) if (body[f] !== undefined) spec[f] = body[f];
  return spec as unknown as ReportSpec;
}

/** Cell values as the API answers them: counts as numbers, money to the cent, dates and codes as text. */
function normalise(columns: Column[], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c.key];
    if (v === null || v === undefined) out[c.key] = null;
    else if (c.role === "measure" && c.type === "integer") out[c.key] = Number(v);
    else if (c.type === "money") out[c.key] = new Decimal(String(v)).toFixed(2);
    else if (c.type === "number" || c.type === "integer") out[c.key] = String(v);
    else out[c.key] = v;
  }
  return out;
}

/** The schema check of a spec; answers its dataset. */
function specDataset(spec: ReportSpec, prefix: string): DatasetDef {
  if (prefix) validateBody(PREVIEW_SCHEMA, { spec });
  else validateBody(reportSpecSchema, spec);
  return datasetOf(spec.dataset)!;
}

function checkedSpec(spec: ReportSpec, dataset: DatasetDef, fields: Map<string, FieldDef>, prefix: string) {
  try {
    return checkSpec(spec, dataset, fields);
  } catch (e) {
    if (e instanceof SpecError) throw specError(e, "INVALID_REPORT", prefix);
    throw e;
  }
}

/** A custom field as custom_fields holds it (the part a report reads). */
export interface CustomFieldRow {
  entity: string;
  name: string;
  label: Label;
  schema: { type?: unknown; format?: string; enum?: unknown[] };
}

/** A dataset's declared fields and the custom fields of its entity among `custom` (later ones win). */
function withCustom(dataset: DatasetDef, custom: readonly CustomFieldRow[]): Map<string, FieldDef> {
  const fields = new Map(dataset.fields.map((f) => [f.key, f]));
  for (const r of custom) {
    const f = r.entity === dataset.customEntity ? customField(dataset.alias, r) : undefined;
    if (f) fields.set(f.key, f);
  }
  return fields;
}

/**
 * A spec checked as a save checks it, against its dataset's declared fields and the custom fields among
 * `custom`, without a database: for reports shipped in packs.
 */
export function checkReport(spec: ReportSpec, custom: readonly CustomFieldRow[] = []): ResolvedSpec {
  const dataset = specDataset(spec, "");
  return checkedSpec(spec, dataset, withCustom(dataset, custom), "");
}

/** Refuses a key the API's own paths use. */
export function checkReportKey(key: unknown): void {
  if (RESERVED_KEYS.has(String(key)))
    throw fail(
      "INVALID_KEY",
      { field: "key", problem: `"${key}" is reserved` },
      { details: { field: "key" }, errors: { key: "is reserved" } },
    );
}

export class ReportService {
  /**
   * The fields of a dataset for a tenant: the declared ones and the tenant's custom fields of its entity,
   * and `also` (custom fields about to be added, as a pack adopting both checks its report before writing).
   */
  async fields(
    db: Knex,
    tenantId: string,
    dataset: DatasetDef,
    also: readonly CustomFieldRow[] = [],
  ): Promise<Map<string, FieldDef>> {
    if (!dataset.customEntity) return withCustom(dataset, []);
    const rows = await db("custom_fields")
      .where({ tenant_id: tenantId, entity: dataset.customEntity })
      .orderBy("name")
      .select("entity", "name", "label", "schema");
    return withCustom(dataset, [...rows, ...also]);
  }

  /**
   * Checks a spec (schema, then fields and types, the tenant's custom fields included); throws 400
   * INVALID_REPORT naming the JSON pointer (after `prefix`, where the spec sits in the request body).
   */
  async resolve(
    db: Knex,
    tenantId: string,
    spec: ReportSpec,
    prefix = "",
    also: readonly CustomFieldRow[] = [],
  ): Promise<ResolvedSpec> {
    const dataset = specDataset(spec, prefix);
    return checkedSpec(spec, dataset, await this.fields(db, tenantId, dataset, also), prefix);
  }

  params(spec: ReportSpec, given: Record<string, unknown>): Record<string, Scalar> {
    try {
      return resolveParams(spec, given);
    } catch (e) {
      if (e instanceof SpecError) throw specError(e, "INVALID_REPORT_PARAMS");
      throw e;
    }
  }

  /** The datasets with their fields (custom ones included) in the reader's language, for the builder. */
  async catalogue(db: Knex, tenantId: string, lang: Lang) {
    return Promise.all(
      DATASETS.map(async (d) => ({
        key: d.key,
        label: d.label[lang],
        fields: [...(await this.fields(db, tenantId, d)).values()].map((f) => ({
          key: f.key,
          label: f.label[lang],
          type: f.type,
          ...(f.enum ? { enum: f.enum, values: enumValues(f, lang) } : {}),
        })),
      })),
    ).then((datasets) => ({ datasets, operators: OPERATORS }));
  }

  async run(
    db: Knex,
    tenantId: string,
    spec: ReportSpec,
    given: Record<string, unknown>,
    lang: Lang,
    prefix = "",
    also: readonly CustomFieldRow[] = [],
  ): Promise<RunResult> {
    const r = await this.resolve(db, tenantId, spec, prefix, also);
    const params = this.params(spec, given);
    const compiled = compileReport(db, tenantId, r, params, lang, RUN_ROWS + 1);
    const raw: Record<string, unknown>[] = await compiled.query;
    let totals: Record<string, unknown> | undefined;
    const rows: Record<string, unknown>[] = [];
    for (const row of raw) {
      if (compiled.totalFlag && Number(row[compiled.totalFlag]) !== 0) totals = normalise(compiled.columns, row);
      else rows.push(normalise(compiled.columns, row));
    }
    const truncated = rows.length > RUN_ROWS;
    if (truncated) rows.length = RUN_ROWS;
    // A totals row on top of no rows is all nulls: leave it out.
    return { columns: compiled.columns, rows, ...(totals && rows.length ? { totals } : {}), truncated };
  }

  /**
   * Streams every row of a report to `out` as CSV (UTF-8 with BOM, so spreadsheets read Chinese) or XLSX,
   * through a cursor fetched `batch` rows at a time with back-pressure; the totals row comes last. Cells
   * that a spreadsheet would run as a formula are escaped.
   */
  async export(
    db: Knex,
    tenantId: string,
    spec: ReportSpec,
    given: Record<string, unknown>,
    lang: Lang,
    format: "csv" | "xlsx",
    out: Writable,
    batch = 1000,
  ): Promise<{ rows: number }> {
    const r = await this.resolve(db, tenantId, spec);
    const params = this.params(spec, given);
    const totalLabel = lang === "zh" ? "合计" : "Total";
    let count = 0;
    await db.transaction(async (trx) => {
      const compiled = compileReport(trx, tenantId, r, params, lang);
      const { sql, bindings } = compiled.query.toSQL();
      await trx.raw(`DECLARE ordo_report NO SCROLL CURSOR FOR ${sql}`, bindings as Knex.Value[]);
      const cells = (row: Record<string, unknown>) =>
        compiled.columns.map((c) => {
          const v = normalise([c], row)[c.key];
          return c.type === "money" || c.type === "number" || c.type === "integer"
            ? (v ?? "")
            : spreadsheetCell(displayCell(c, v, lang));
        });
      const sink = format === "csv" ? csvSink(out) : xlsxSink(out, lang === "zh" ? "报表" : "Report");
      await sink.header(compiled.columns.map((c) => spreadsheetCell(c.label)));
      let totals: unknown[] | undefined;
      for (;;) {
        const res = await trx.raw(`FETCH FORWARD ${batch} FROM ordo_report`);
        const rows = (res.rows ?? res) as Record<string, unknown>[];
        if (!rows.length) break;
        for (const row of rows) {
          if (compiled.totalFlag && Number(row[compiled.totalFlag]) !== 0) {
            totals = cells(row);
            continue;
          }
          await sink.row(cells(row));
          count += 1;
        }
      }
      await trx.raw("CLOSE ordo_report");
      if (totals && count) {
        const dims = compiled.columns.filter((c) => c.role === "dimension").length;
        await sink.row(totals.map((v, i) => (i === 0 ? totalLabel : i < dims ? "" : v)));
      }
      await sink.end();
    });
    return { rows: count };
  }

  async create(db: Knex, tenantId: string, body: Record<string, unknown>, user: AuthUser | null) {
    checkReportKey(body.key);
    const content = reportStore.contentOf(body, {});
    await this.resolve(db, tenantId, content as unknown as ReportSpec);
    return reportStore.create(db, tenantId, body, content, user);
  }

  async save(db: Knex, tenantId: string, key: string, body: Record<string, unknown>, user: AuthUser | null) {
    return db.transaction(async (trx) => {
      const current = await reportStore.get(trx, tenantId, key, true);
      reportStore.assertRevision(current, body.revision);
      const content = reportStore.contentOf(body, reportStore.draftOf(current));
      for (const f of REPORT_FIELDS) if (body[f] === null) delete content[f];
      await this.resolve(trx, tenantId, content as unknown as ReportSpec);
      return reportStore.saveDraft(trx, tenantId, key, body, content, user);
    });
  }

  async publish(
    db: Knex,
    tenantId: string,
    key: string,
    body: { note?: string; effectiveFrom?: string },
    user: AuthUser | null,
  ) {
    return db.transaction(async (trx) => {
      const current = await reportStore.get(trx, tenantId, key, true);
      await this.resolve(trx, tenantId, specOf(reportStore.draftOf(current)));
      return reportStore.publish(trx, tenantId, key, { note: body.note, effectiveFrom: body.effectiveFrom }, user);
    });
  }

  /** The saved spec of a report: its draft, or a published version. */
  async specOf(db: Knex, tenantId: string, key: string, version?: number): Promise<ReportSpec> {
    if (version !== undefined) {
      const v = await reportStore.version(db, tenantId, key, version);
      return specOf(v.content ?? {});
    }
    return specOf(reportStore.draftOf(await reportStore.get(db, tenantId, key)));
  }

  /** What changed between two versions (or the draft): each changed JSON pointer with its old and new value. */
  async diff(db: Knex, tenantId: string, key: string, a: string, b: string) {
    const load = async (ref: string): Promise<Content> =>
      ref === "draft"
        ? reportStore.draftOf(await reportStore.get(db, tenantId, key))
        : ((await reportStore.version(db, tenantId, key, Number(ref))).content ?? {});
    const [from, to] = [specOf(await load(a)), specOf(await load(b))];
    const changes = diff(from as object, to as object).map((d) => ({
      op: d.type === "CREATE" ? "added" : d.type === "REMOVE" ? "removed" : "changed",
      pointer: `/${d.path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`,
      ...("oldValue" in d ? { before: d.oldValue } : {}),
      ...("value" in d ? { after: d.value } : {}),
    }));
    return { from: a, to: b, changes };
  }

  /** Installs the built-in reports a tenant does not have yet (as drafts with a first published version). */
  async installBuiltins(db: Knex, tenantId: string, user: AuthUser | null): Promise<string[]> {
    const installed: string[] = [];
    await db.transaction(async (trx) => {
      for (const b of BUILTIN_REPORTS) {
        const exists = await trx("documents").where({ tenant_id: tenantId, kind: "report", key: b.key }).first("key");
        if (exists) continue;
        const content = b.spec as unknown as Content;
        const meta = { key: b.key, name: b.name, description: b.description };
        await reportStore.create(trx, tenantId, meta, content, user);
        await reportStore.publish(trx, tenantId, b.key, { note: "Ordo built-in report" }, user);
        installed.push(b.key);
      }
    });
    return installed;
  }
}

interface Sink {
  header(cells: string[]): Promise<void>;
  row(cells: unknown[]): Promise<void>;
  end(): Promise<void>;
}

function csvSink(out: Writable): Sink {
  const csv = stringify({ bom: true });
  csv.pipe(out);
  const write = async (cells: unknown[]) => {
    if (!csv.write(cells)) await once(csv, "drain");
  };
  return {
    header: write,
    row: write,
    end: async () => {
      csv.end();
      await once(out, "finish").catch(() => undefined);
    },
  };
}

function xlsxSink(out: Writable, sheetName: string): Sink {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  const numeric = (v: unknown) => (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  return {
    header: async (cells) => sheet.addRow(cells).commit(),
    // Amounts become spreadsheet numbers (to the cent they are exact in a double); text stays text.
    row: async (cells) => sheet.addRow(cells.map(numeric)).commit(),
    end: async () => {
      sheet.commit();
      await workbook.commit();
    },
  };
}
