/**
 * The batch-upload file (CSV or XLSX): one row per hire, wage change or leave. Every cell is checked and
 * every bad one is reported with its line (the header is line 1) and column, as a catalogue code with
 * params, so the admin shows it in the reader's language. Only a file that cannot be read at all (not
 * UTF-8, not a workbook, a missing column) is refused outright (400 INVALID_BATCH_FILE).
 */
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import Decimal from "decimal.js";
import ExcelJS from "exceljs";
import { ENUMS } from "../../domain/enums";
import { isCalendarDate } from "../../domain/index";
import { type ErrorCode, fail } from "../errors";

export type BatchKind = "hire" | "wage_change" | "leave";

export interface CellError {
  line: number;
  /** The column's name (canonical) and its letter in the sheet. */
  column: string;
  letter: string;
  code: ErrorCode;
  params: Record<string, string | number>;
}

export interface BatchRow {
  line: number;
  kind: BatchKind;
  employeeNo: string;
  date: string;
  name?: string;
  insuredCity?: string;
  monthlyWage?: string;
  employmentType?: string;
  hukouLocal?: boolean;
  /** kind|employeeNo|date: the same row in a corrected file. */
  key: string;
  /** sha256 of the row's content: a row already applied with this content is skipped. */
  hash: string;
}

/** Header names accepted for each column (compared trimmed and case-insensitively). */
export const BATCH_COLUMNS = {
  kind: ["kind", "类型", "操作"],
  employeeNo: ["employeeNo", "employee_no", "员工编号", "工号"],
  date: ["date", "日期", "生效日期"],
  name: ["name", "姓名"],
  insuredCity: ["insuredCity", "insured_city", "参保城市"],
  monthlyWage: ["monthlyWage", "monthly_wage", "wage", "月工资", "工资"],
  employmentType: ["employmentType", "employment_type", "用工类型"],
  hukouLocal: ["hukouLocal", "hukou_local", "本地户籍"],
} as const;
export type BatchColumn = keyof typeof BATCH_COLUMNS;
const REQUIRED: BatchColumn[] = ["kind", "employeeNo", "date"];
export const MAX_BATCH_ROWS = 20_000;

const KINDS: Record<string, BatchKind> = {
  hire: "hire",
  入职: "hire",
  wage_change: "wage_change",
  wagechange: "wage_change",
  调薪: "wage_change",
  leave: "leave",
  离职: "leave",
};
const TYPES = new Map<string, string>(
  ENUMS.employmentType.flatMap((t) => [
    [t.code, t.code],
    [t.zh, t.code],
    [t.en.toLowerCase(), t.code],
  ]),
);
const BOOLS: Record<string, boolean> = { true: true, false: false, 是: true, 否: false, yes: true, no: false };
const WAGE = /^\d{1,12}(\.\d{1,2})?$/;
const CITY = /^\d{6}$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Grid {
  line: number;
  cells: string[];
}

export const fileHash = (body: string | Buffer) => createHash("sha256").update(body).digest("hex");
const letterOf = (i: number): string =>
  (i < 26 ? "" : letterOf(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

function refused(line: number, problem: string) {
  return fail("INVALID_BATCH_FILE", { problem: `line ${line}: ${problem}` }, { details: { line, problem } });
}

function csvGrid(text: string): Grid[] {
  try {
    const parsed = parse(text, {
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return parsed.map((r) => ({ line: r.info.lines, cells: r.record })).filter((r) => r.cells.some((c) => c.trim()));
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw refused(e.lines ?? 1, e.message);
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "#invalid-date" : value.toISOString().slice(0, 10);
  if ("richText" in value) return value.richText.map((t) => t.text).join("");
  if ("result" in value && value.result !== undefined) return cellText(value.result as ExcelJS.CellValue);
  if ("text" in value) return String(value.text);
  return "#unsupported";
}

async function xlsxGrid(bytes: Buffer): Promise<Grid[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw refused(1, "not a readable XLSX workbook");
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw refused(1, "the workbook has no worksheet");
  if (sheet.actualRowCount > MAX_BATCH_ROWS + 1) throw refused(1, `more than ${MAX_BATCH_ROWS} rows: split the file`);
  const grid: Grid[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    if (cells.some((c) => c.trim())) grid.push({ line, cells });
  });
  return grid;
}

const isXlsx = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Reads the file into rows and cell errors; throws 400 INVALID_BATCH_FILE only if it cannot be read. */
export async function readBatchFile(
  body: string | Buffer,
): Promise<{ format: "csv" | "xlsx"; rows: BatchRow[]; errors: CellError[]; lines: number }> {
  let grid: Grid[];
  let format: "csv" | "xlsx" = "csv";
  if (typeof body !== "string" && isXlsx(body)) {
    format = "xlsx";
    grid = await xlsxGrid(body);
  } else {
    let text: string;
    try {
      text = typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      throw refused(1, "not UTF-8 text: save the CSV as UTF-8, or send the XLSX");
    }
    if (text.includes("\u0000")) throw refused(1, "the file contains a NUL byte");
    grid = csvGrid(text);
  }
  if (!grid.length) throw refused(1, "empty file: a header row is expected");
  if (grid.length > MAX_BATCH_ROWS + 1) throw refused(1, `more than ${MAX_BATCH_ROWS} rows: split the file`);
  const [head, ...body2] = grid;
  const index = new Map<BatchColumn, number>();
  head!.cells.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    const col = (Object.keys(BATCH_COLUMNS) as BatchColumn[]).find((c) =>
      BATCH_COLUMNS[c].some((a) => a.toLowerCase() === name),
    );
    if (col && index.has(col)) throw refused(head!.line, `column ${col} appears more than once`);
    if (col) index.set(col, i);
  });
  for (const col of REQUIRED)
    if (!index.has(col)) throw refused(head!.line, `missing column ${col} (${BATCH_COLUMNS[col].join(" / ")})`);
  const errors: CellError[] = [];
  const rows: BatchRow[] = [];
  for (const { line, cells } of body2) {
    const row = checkRow(line, cells, index, errors);
    if (row) rows.push(row);
  }
  return { format, rows, errors, lines: body2.length };
}

function checkRow(line: number, cells: string[], index: Map<BatchColumn, number>, errors: CellError[]) {
  const before = errors.length;
  const get = (c: BatchColumn) => (index.has(c) ? (cells[index.get(c)!] ?? "").trim() : "");
  const bad = (column: BatchColumn, code: ErrorCode, params: Record<string, string | number> = {}) =>
    errors.push({ line, column, letter: index.has(column) ? letterOf(index.get(column)!) : "", code, params });
  for (const c of index.keys())
    if (LONE_SURROGATE.test(get(c)) || get(c).includes("\u0000")) bad(c, "BATCH_CELL_UNSTORABLE", { column: c });
  if (errors.length > before) return undefined;
  const kind = KINDS[get("kind").toLowerCase()];
  if (!get("kind")) bad("kind", "BATCH_CELL_REQUIRED", { column: "kind" });
  else if (!kind) bad("kind", "BATCH_CELL_INVALID_KIND", { value: get("kind") });
  const employeeNo = get("employeeNo");
  if (!employeeNo) bad("employeeNo", "BATCH_CELL_REQUIRED", { column: "employeeNo" });
  else if (employeeNo.length > 100) bad("employeeNo", "BATCH_CELL_TOO_LONG", { column: "employeeNo", max: 100 });
  const date = get("date").replace(/\//g, "-");
  if (!get("date")) bad("date", "BATCH_CELL_REQUIRED", { column: "date" });
  else if (!isCalendarDate(date)) bad("date", "BATCH_CELL_INVALID_DATE", { value: get("date") });
  const name = get("name");
  if (name.length > 200) bad("name", "BATCH_CELL_TOO_LONG", { column: "name", max: 200 });
  const city = get("insuredCity");
  if (city && !CITY.test(city)) bad("insuredCity", "BATCH_CELL_INVALID_CITY", { value: city });
  const wage = get("monthlyWage");
  if (wage && !WAGE.test(wage)) bad("monthlyWage", "BATCH_CELL_INVALID_WAGE", { value: wage });
  const typeText = get("employmentType");
  const employmentType = typeText ? TYPES.get(typeText.toLowerCase()) : undefined;
  if (typeText && !employmentType) bad("employmentType", "BATCH_CELL_INVALID_TYPE", { value: typeText });
  const hukouText = get("hukouLocal").toLowerCase();
  const hukouLocal = hukouText ? BOOLS[hukouText] : undefined;
  if (hukouText && hukouLocal === undefined) bad("hukouLocal", "BATCH_CELL_INVALID_BOOLEAN", { value: hukouText });
  if (kind === "wage_change" && !wage) bad("monthlyWage", "BATCH_CELL_REQUIRED", { column: "monthlyWage" });
  if (errors.length > before || !kind) return undefined;
  const content = {
    kind,
    employeeNo,
    date,
    ...(name && { name }),
    ...(city && { insuredCity: city }),
    ...(wage && { monthlyWage: new Decimal(wage).toFixed(2) }),
    ...(employmentType && { employmentType }),
    ...(hukouLocal !== undefined && { hukouLocal }),
  };
  const hash = createHash("sha256").update(JSON.stringify(content)).digest("hex");
  return { line, ...content, key: `${kind}|${employeeNo}|${date}`, hash } as BatchRow;
}

/** A template to fill in: the header and one example row of each kind. */
export function batchTemplate(): string {
  return [
    "kind,employeeNo,date,name,insuredCity,monthlyWage,employmentType,hukouLocal",
    "hire,M00001,2025-09-01,赵强,440300,6500.00,seasonal,false",
    "wage_change,M00001,2025-11-01,,,7000.00,,",
    "leave,M00001,2026-01-31,,,,,",
    "",
  ].join("\n");
}
