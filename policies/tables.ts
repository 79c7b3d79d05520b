import { Ajv, type ValidateFunction } from "ajv";
import { isValidDate } from "./dates";

export type JsonSchema = Record<string, unknown>;
export type Confidence = "H" | "M" | "L";
export type KeyValue = string | number;
export type CellValue = string | number | boolean | null;

/** A low-code decision table: rows are looked up by their key columns and a date. */
export interface TableDef {
  key: string;
  name: string;
  description?: string;
  keyColumns: Record<string, JsonSchema>;
  valueColumns: Record<string, JsonSchema>;
  /** Value columns a row may leave out; every other value column is required. */
  optionalValues?: string[];
}

export interface PolicyRow {
  key: Record<string, KeyValue>;
  values: Record<string, CellValue | undefined>;
  effectiveFrom: string;
  /** Inclusive last day; null = open-ended. */
  effectiveTo: string | null;
  source: string;
  confidence: Confidence;
  note?: string;
  /** The day the notice behind the row was published (YYYY-MM-DD): after effectiveFrom for a late notice. */
  publishedOn?: string;
}

export interface PolicyTable {
  def: TableDef;
  rows: PolicyRow[];
}

export interface Diagnostic {
  pointer: string;
  code: string;
  message: string;
}

/** Key columns in definition order, joined with a separator that no cell can contain. */
export function serializeKey(def: TableDef, key: Record<string, unknown>): string {
  let out = "";
  for (const col of Object.keys(def.keyColumns)) out += `${String(key[col] ?? "")}\u0001`;
  return out;
}

// Validators are cached by the columns' text, not by the def object: a def rebuilt from storage on
// every save or import would otherwise compile again, and ajv keeps every schema it compiled
// (ajv#1879). The cache is bounded and each entry has its own ajv, freed with the entry.
const CACHE_SIZE = 256;
const compiled = new Map<string, Map<string, ValidateFunction>>();
let compiledTotal = 0;

/** How many column schemas this module has compiled since start (for tests and benchmarks). */
export function compiledColumnCount(): number {
  return compiledTotal;
}

function columnValidators(def: TableDef): Map<string, ValidateFunction> {
  const cacheKey = JSON.stringify([def.keyColumns, def.valueColumns]);
  let map = compiled.get(cacheKey);
  if (map) {
    compiled.delete(cacheKey);
    compiled.set(cacheKey, map);
    return map;
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  map = new Map();
  for (const [col, schema] of Object.entries(def.keyColumns)) map.set(`key/${col}`, ajv.compile(schema));
  for (const [col, schema] of Object.entries(def.valueColumns)) map.set(`values/${col}`, ajv.compile(schema));
  compiledTotal += map.size;
  compiled.set(cacheKey, map);
  if (compiled.size > CACHE_SIZE) compiled.delete(compiled.keys().next().value as string);
  return map;
}

function checkCells(def: TableDef, row: PolicyRow, base: string, out: Diagnostic[]): void {
  const validators = columnValidators(def);
  const optional = new Set(def.optionalValues ?? []);
  for (const [part, cols, obj] of [
    ["key", def.keyColumns, row.key ?? {}],
    ["values", def.valueColumns, row.values ?? {}],
  ] as const) {
    for (const col of Object.keys(cols)) {
      const value = (obj as Record<string, unknown>)[col];
      const pointer = `${base}/${part}/${col}`;
      if (value === undefined || value === null) {
        if (part === "key" || !optional.has(col))
          out.push({ pointer, code: "REQUIRED", message: `${col} is required` });
        continue;
      }
      const validate = validators.get(`${part}/${col}`)!;
      if (!validate(value)) {
        const why = (validate.errors ?? []).map((e) => e.message).join("; ");
        out.push({ pointer, code: "TYPE", message: `${col}: ${why} (got ${JSON.stringify(value)})` });
      }
    }
    for (const col of Object.keys(obj)) {
      if (!(col in cols))
        out.push({ pointer: `${base}/${part}/${col}`, code: "UNKNOWN_COLUMN", message: `unknown column ${col}` });
    }
  }
}

function checkMeta(row: PolicyRow, base: string, out: Diagnostic[]): boolean {
  let datesOk = true;
  if (!isValidDate(row.effectiveFrom)) {
    out.push({
      pointer: `${base}/effectiveFrom`,
      code: "DATE",
      message: `effectiveFrom must be a YYYY-MM-DD date: ${String(row.effectiveFrom)}`,
    });
    datesOk = false;
  }
  if (row.effectiveTo !== null && !isValidDate(row.effectiveTo)) {
    out.push({
      pointer: `${base}/effectiveTo`,
      code: "DATE",
      message: `effectiveTo must be a YYYY-MM-DD date or null: ${String(row.effectiveTo)}`,
    });
    datesOk = false;
  }
  if (datesOk && row.effectiveTo !== null && row.effectiveTo < row.effectiveFrom) {
    out.push({
      pointer: `${base}/effectiveTo`,
      code: "RANGE",
      message: `effectiveTo ${row.effectiveTo} is before effectiveFrom ${row.effectiveFrom}`,
    });
    datesOk = false;
  }
  if (typeof row.source !== "string" || row.source.trim() === "") {
    out.push({ pointer: `${base}/source`, code: "REQUIRED", message: "source is required" });
  }
  if (!["H", "M", "L"].includes(row.confidence)) {
    out.push({
      pointer: `${base}/confidence`,
      code: "CONFIDENCE",
      message: `confidence must be H, M or L: ${String(row.confidence)}`,
    });
  }
  if (row.publishedOn !== undefined && !isValidDate(row.publishedOn)) {
    out.push({
      pointer: `${base}/publishedOn`,
      code: "DATE",
      message: `publishedOn must be a YYYY-MM-DD date: ${String(row.publishedOn)}`,
    });
  }
  if (row.note !== undefined && typeof row.note !== "string") {
    out.push({ pointer: `${base}/note`, code: "TYPE", message: "note must be a string" });
  }
  return datesOk;
}

/** Checks cell types against the column schemas, dates, and that no two rows of one key overlap in time. */
export function validateTable(def: TableDef, rows: PolicyRow[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byKey = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const base = `/rows/${i}`;
    checkCells(def, row, base, out);
    if (checkMeta(row, base, out)) {
      const k = serializeKey(def, row.key ?? {});
      (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(i);
    }
  });
  for (const indexes of byKey.values()) {
    const sorted = [...indexes].sort((a, b) => (rows[a].effectiveFrom < rows[b].effectiveFrom ? -1 : 1));
    // A sweep keeps the row reaching furthest, so a long row overlapping several later ones is reported against each.
    let reach = -1;
    for (let s = 1; s < sorted.length; s++) {
      const prev = sorted[s - 1];
      if (reach < 0 || endOf(rows[prev]) > endOf(rows[reach])) reach = prev;
      const cur = sorted[s];
      if (endOf(rows[reach]) >= rows[cur].effectiveFrom) {
        out.push({
          pointer: `/rows/${cur}/effectiveFrom`,
          code: "OVERLAP",
          message:
            `rows ${reach} and ${cur} overlap for key ${JSON.stringify(rows[cur].key)}: ` +
            `${rows[reach].effectiveFrom}..${rows[reach].effectiveTo ?? "open"} and ` +
            `${rows[cur].effectiveFrom}..${rows[cur].effectiveTo ?? "open"}`,
        });
      }
    }
  }
  return out;
}

function endOf(row: PolicyRow): string {
  return row.effectiveTo ?? "9999-12-31";
}
