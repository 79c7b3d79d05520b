import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { fromSpreadsheetCell, spreadsheetCell } from "./spreadsheet";
import {
  serializeKey,
  validateTable,
  type CellValue,
  type Confidence,
  type Diagnostic,
  type JsonSchema,
  type PolicyRow,
  type TableDef,
} from "./tables";

export interface CsvError {
  /** 1-based line in the CSV text; the header is line 1. */
  line: number;
  column: string;
  message: string;
}

const META = ["effectiveFrom", "effectiveTo", "source", "confidence", "note"] as const;
/** Optional columns: an export writes publishedOn only when a row has one; an import may leave either out. */
const OPTIONAL = new Set(["note", "publishedOn"]);

export function csvColumns(def: TableDef, withPublishedOn = true): string[] {
  return [
    ...Object.keys(def.keyColumns),
    ...Object.keys(def.valueColumns),
    ...META,
    ...(withPublishedOn ? ["publishedOn"] : []),
  ];
}

function cell(value: unknown): string {
  return value === undefined || value === null ? "" : spreadsheetCell(String(value));
}

export function rowsToCsv(def: TableDef, rows: PolicyRow[]): string {
  const keyCols = Object.keys(def.keyColumns);
  const valueCols = Object.keys(def.valueColumns);
  const published = rows.some((r) => r.publishedOn);
  const records = rows.map((r) => [
    ...keyCols.map((c) => cell(r.key[c])),
    ...valueCols.map((c) => cell(r.values[c])),
    cell(r.effectiveFrom),
    cell(r.effectiveTo),
    cell(r.source),
    cell(r.confidence),
    cell(r.note),
    ...(published ? [cell(r.publishedOn)] : []),
  ]);
  return stringify([csvColumns(def, published), ...records]);
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Text a database cannot store: a NUL byte, or half of a UTF-16 surrogate pair. */
const unstorable = (text: string) => text.includes("\u0000") || LONE_SURROGATE.test(text);

function schemaTypes(schema: JsonSchema): string[] {
  const t = schema.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : [];
}

/** Converts a CSV cell to the column's JSON type; returns an error message when it cannot. */
function convert(text: string, schema: JsonSchema): { value?: CellValue; error?: string } {
  if (text === "") return { value: undefined };
  const types = schemaTypes(schema);
  if (types.includes("integer") || types.includes("number")) {
    if (!NUMBER.test(text)) return { error: `not a number: ${JSON.stringify(text)}` };
    // 1e309 or 400 digits parse to Infinity, which JSON would store as null.
    const value = Number(text);
    if (!Number.isFinite(value)) return { error: `not a finite number: ${JSON.stringify(text)}` };
    return { value };
  }
  if (types.includes("boolean")) {
    if (text === "true" || text === "false") return { value: text === "true" };
    return { error: `not true/false: ${JSON.stringify(text)}` };
  }
  return { value: text };
}

type Parsed = { rows: PolicyRow[]; errors: CsvError[] };
type CsvRecord = { record: string[]; info: { lines: number } };

/** Parses a table CSV; the caller should apply nothing when `errors` is not empty. */
export function parseRowsCsv(def: TableDef, text: string): Parsed {
  const steps = parseSteps(def, text);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/**
 * The same, calling `pause` (which may yield to the event loop) between steps of a few hundred rows,
 * so a server keeps answering other requests while a large file is read.
 */
export async function parseRowsCsvChunked(def: TableDef, text: string, pause: () => Promise<void>): Promise<Parsed> {
  const steps = parseSteps(def, text);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await pause();
  }
}

export const CSV_STEP_ROWS = 200;

/** The parse as steps: it yields between chunks and returns the result. */
function* parseSteps(def: TableDef, text: string): Generator<void, Parsed> {
  const errors: CsvError[] = [];
  const records: CsvRecord[] = [];
  for (const part of recordChunks(text)) {
    try {
      const parsed = parse(part.text, {
        info: true,
        skip_empty_lines: true,
        relax_column_count: true,
        bom: part.lineOffset === 0,
      }) as unknown as CsvRecord[];
      for (const r of parsed) records.push({ record: r.record, info: { lines: r.info.lines + part.lineOffset } });
    } catch (err) {
      const e = err as { lines?: number; message: string };
      return { rows: [], errors: [{ line: (e.lines ?? 1) + part.lineOffset, column: "", message: e.message }] };
    }
    yield;
  }
  if (records.length === 0)
    return { rows: [], errors: [{ line: 1, column: "", message: "empty CSV: header row expected" }] };

  // Every cell, the header's too: a NUL byte cannot be stored and would fail the whole write.
  const rawHeader = records[0]!.record;
  for (let n = 0; n < records.length; n++) {
    if (n % CSV_STEP_ROWS === 0) yield;
    const { record, info } = records[n]!;
    record.forEach((text, i) => {
      if (unstorable(text))
        errors.push({
          line: info.lines,
          column: unstorable(rawHeader[i] ?? "") ? `#${i + 1}` : rawHeader[i]!.trim(),
          message: "contains a NUL byte or an unpaired surrogate, which cannot be stored",
        });
    });
  }
  if (errors.length) return { rows: [], errors };

  const header = rawHeader.map((h) => h.trim());
  const expected = csvColumns(def);
  for (const col of expected) {
    if (!OPTIONAL.has(col) && !header.includes(col))
      errors.push({ line: 1, column: col, message: `missing column ${col}` });
  }
  header.forEach((col, i) => {
    if (!expected.includes(col)) errors.push({ line: 1, column: col, message: `unknown column ${col}` });
    else if (header.indexOf(col) !== i)
      errors.push({ line: 1, column: col, message: `column ${col} appears more than once` });
  });
  if (errors.length) return { rows: [], errors };

  const rows: PolicyRow[] = [];
  const lines: number[] = [];
  for (let n = 1; n < records.length; n++) {
    if (n % CSV_STEP_ROWS === 0) yield;
    const { record, info } = records[n]!;
    const line = info.lines;
    const get = (col: string) => fromSpreadsheetCell((record[header.indexOf(col)] ?? "").trim());
    if (record.length !== header.length) {
      errors.push({ line, column: "", message: `expected ${header.length} cells, got ${record.length}` });
    }
    const row: PolicyRow = {
      key: {},
      values: {},
      effectiveFrom: get("effectiveFrom"),
      effectiveTo: get("effectiveTo") || null,
      source: get("source"),
      confidence: get("confidence") as Confidence,
    };
    if (get("note")) row.note = get("note");
    if (get("publishedOn")) row.publishedOn = get("publishedOn");
    let ok = true;
    for (const [part, cols] of [
      ["key", def.keyColumns],
      ["values", def.valueColumns],
    ] as const) {
      for (const [col, schema] of Object.entries(cols)) {
        const { value, error } = convert(get(col), schema);
        if (error) {
          errors.push({ line, column: col, message: error });
          ok = false;
        } else if (value !== undefined) (row[part] as Record<string, CellValue>)[col] = value;
      }
    }
    if (ok) {
      rows.push(row);
      lines.push(line);
    }
  }
  // Schema, date and overlap checks are shared with validateTable; map its pointers back to lines.
  for (const d of yield* validateSteps(def, rows)) {
    const m = /^\/rows\/(\d+)\/(?:key\/|values\/)?([^/]+)/.exec(d.pointer);
    const i = m ? Number(m[1]) : 0;
    errors.push({
      line: lines[i] ?? 1,
      column: m ? m[2]! : "",
      message: d.code === "OVERLAP" ? overlapMessage(d.message, lines) : d.message,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows: errors.length ? [] : rows, errors };
}

/**
 * Slices of the CSV text that end at a record boundary: a newline outside quotes (RFC 4180 doubles a
 * quote inside a quoted cell, so an even count of quotes so far means "outside").
 */
function* recordChunks(text: string, size = 16 * 1024): Generator<{ text: string; lineOffset: number }> {
  let start = 0;
  let lineOffset = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    let quotes = 0;
    for (let i = start; i < end; i++) if (text.charCodeAt(i) === 34) quotes++;
    while (end < text.length) {
      const c = text.charCodeAt(end++);
      if (c === 34) quotes++;
      else if (c === 10 && quotes % 2 === 0) break;
    }
    const part = text.slice(start, end);
    yield { text: part, lineOffset };
    for (let i = 0; i < part.length; i++) if (part.charCodeAt(i) === 10) lineOffset++;
    start = end;
  }
}

/**
 * validateTable over chunks of rows, yielding between them. Overlaps are found among rows of one key,
 * so every key's rows go into the same chunk; indexes in pointers and messages are mapped back.
 */
function* validateSteps(def: TableDef, rows: PolicyRow[]): Generator<void, Diagnostic[]> {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) {
    if (i % CSV_STEP_ROWS === 0) yield;
    const k = serializeKey(def, rows[i]!.key ?? {});
    (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(i);
  }
  const out: Diagnostic[] = [];
  let batch: number[] = [];
  const flush = () => {
    const global = (local: string) => String(batch[Number(local)]);
    for (const d of validateTable(
      def,
      batch.map((i) => rows[i]!),
    ))
      out.push({
        ...d,
        pointer: d.pointer.replace(/^\/rows\/(\d+)/, (_m, i: string) => `/rows/${global(i)}`),
        message: d.message.replace(
          /^rows (\d+) and (\d+)/,
          (_m, a: string, b: string) => `rows ${global(a)} and ${global(b)}`,
        ),
      });
    batch = [];
  };
  for (const indexes of byKey.values()) {
    batch.push(...indexes);
    if (batch.length >= CSV_STEP_ROWS) {
      flush();
      yield;
    }
  }
  if (batch.length) flush();
  return out;
}

function overlapMessage(message: string, lines: number[]): string {
  return message.replace(/^rows (\d+) and (\d+)/, (_m, a, b) => `lines ${lines[Number(a)]} and ${lines[Number(b)]}`);
}
