/**
 * The social-insurance bureau's payment file (CSV or XLSX): one row per employee and month with the
 * employer and employee amounts collected. Read strictly, as policy-table CSVs are: any bad cell, a
 * missing or repeated column, a repeated header row or a NUL byte refuses the whole file with the line
 * and column of each problem (400 INVALID_PAYMENT_FILE), so nothing half-read is ever previewed.
 * Columns the file has beside these (name, ID number…) are ignored.
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { isCalendarDate, isMonth } from "../../domain/index";
import { fail } from "../errors";

export interface FileError {
  /** 1-based line (CSV) or row number (XLSX); the header is line 1. */
  line: number;
  column: string;
  message: string;
}

export interface PaymentFileRow {
  line: number;
  employeeNo: string;
  month: string;
  employer: string;
  employee: string;
  /** The day the bureau received it, when the file says; else the import's paidOn. */
  paidOn?: string;
}

export type PaymentFileFormat = "csv" | "xlsx";

/** Header names accepted for each column (compared trimmed and case-insensitively). */
const COLUMNS = {
  employeeNo: ["employeeNo", "employee_no", "员工编号", "工号"],
  month: ["month", "月份", "所属期", "费款所属期"],
  employer: ["employer", "单位缴纳", "单位金额"],
  employee: ["employee", "个人缴纳", "个人金额"],
  paidOn: ["paidOn", "paid_on", "缴费日期", "到账日期"],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ["employeeNo", "month", "employer", "employee"];
export const MAX_ROWS = 50_000;
const MAX_ERRORS = 200;

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes("\u0000") || LONE_SURROGATE.test(text);

interface Grid {
  line: number;
  cells: string[];
}

const isXlsx = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Reads a file sent as text (text/csv) or bytes (XLSX, or CSV as octets); throws 400 on any problem. */
export async function readPaymentFile(
  body: string | Buffer,
  opts: { latestPaidOn?: string } = {},
): Promise<{ format: PaymentFileFormat; rows: PaymentFileRow[] }> {
  if (typeof body !== "string" && isXlsx(body)) return { format: "xlsx", rows: checkGrid(await xlsxGrid(body), opts) };
  let text: string;
  if (typeof body === "string") text = body;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      throw invalid([{ line: 1, column: "", message: "not UTF-8 text: save the CSV as UTF-8, or send the XLSX" }]);
    }
  }
  return { format: "csv", rows: checkGrid(csvGrid(text), opts) };
}

function invalid(errors: FileError[]) {
  const sorted = [...errors].sort((a, b) => a.line - b.line).slice(0, MAX_ERRORS);
  const first = sorted[0]!;
  const where = `line ${first.line}${first.column ? `, column ${first.column}` : ""}`;
  return fail(
    "INVALID_PAYMENT_FILE",
    { problem: `${where}: ${first.message}`, count: errors.length },
    { details: { errors: sorted, count: errors.length } },
  );
}

function csvGrid(text: string): Grid[] {
  try {
    const parsed = parse(text, {
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return parsed
      .map((r) => ({ line: r.info.lines, cells: r.record }))
      .filter((r) => r.cells.some((c) => c.trim() !== ""));
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw invalid([{ line: e.lines ?? 1, column: "", message: e.message }]);
  }
}

/** A cell as text: numbers as JavaScript writes them (shortest exact form), dates as YYYY-MM-DD (UTC). */
function cellText(value: ExcelJS.CellValue): string | { error: string } {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : { error: "not a finite number" };
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? { error: "not a valid date" } : value.toISOString().slice(0, 10);
  if ("error" in value) return { error: `the cell holds the error ${String(value.error)}` };
  if ("richText" in value) return value.richText.map((t) => t.text).join("");
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as { result?: unknown }).result;
    return result === undefined ? { error: "a formula without a computed value" } : cellText(result as never);
  }
  if ("text" in value) return String(value.text);
  return { error: "a cell of an unsupported kind" };
}

async function xlsxGrid(bytes: Buffer): Promise<Grid[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw invalid([{ line: 1, column: "", message: "not a readable XLSX workbook" }]);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw invalid([{ line: 1, column: "", message: "the workbook has no worksheet" }]);
  if (sheet.actualRowCount > MAX_ROWS + 1)
    throw invalid([{ line: 1, column: "", message: `more than ${MAX_ROWS} rows: split the file` }]);
  const grid: Grid[] = [];
  const errors: FileError[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const text = cellText(row.getCell(c).value);
      if (typeof text === "string") cells.push(text);
      else {
        errors.push({ line, column: `#${c}`, message: text.error });
        cells.push("");
      }
    }
    if (cells.some((c) => c.trim() !== "")) grid.push({ line, cells });
  });
  if (errors.length) throw invalid(errors);
  return grid;
}

/** YYYY-MM, also written YYYYMM, YYYY/MM or as a date (YYYY-MM-01): the bureau's 费款所属期. */
function normalMonth(text: string): string | undefined {
  const m = /^(\d{4})[-/.]?(\d{1,2})(?:[-/.]01)?$/.exec(text);
  if (!m) return undefined;
  const month = `${m[1]}-${m[2]!.padStart(2, "0")}`;
  return isMonth(month) ? month : undefined;
}

function checkGrid(grid: Grid[], opts: { latestPaidOn?: string }): PaymentFileRow[] {
  const errors: FileError[] = [];
  for (const { line, cells } of grid)
    cells.forEach((text, i) => {
      if (unstorable(text))
        errors.push({ line, column: `#${i + 1}`, message: "contains a NUL byte or an unpaired surrogate" });
    });
  if (errors.length) throw invalid(errors);
  if (grid.length === 0) throw invalid([{ line: 1, column: "", message: "empty file: a header row is expected" }]);
  if (grid.length > MAX_ROWS + 1) throw invalid([{ line: 1, column: "", message: `more than ${MAX_ROWS} rows` }]);

  const [head, ...body] = grid;
  const header = head!.cells.map((h) => h.trim());
  const index = new Map<Column, number>();
  header.forEach((name, i) => {
    const col = (Object.keys(COLUMNS) as Column[]).find((c) =>
      COLUMNS[c].some((alias) => alias.toLowerCase() === name.toLowerCase()),
    );
    if (!col) return;
    if (index.has(col))
      errors.push({ line: head!.line, column: name, message: `column ${col} appears more than once` });
    else index.set(col, i);
  });
  for (const col of REQUIRED)
    if (!index.has(col))
      errors.push({ line: head!.line, column: col, message: `missing column ${col} (${COLUMNS[col].join(" / ")})` });
  if (errors.length) throw invalid(errors);

  const normalHeader = header.map((h) => h.toLowerCase()).join("\u0001");
  const seen = new Map<string, number>();
  const rows: PaymentFileRow[] = [];
  for (const { line, cells } of body) {
    if (cells.map((c) => c.trim().toLowerCase()).join("\u0001") === normalHeader) {
      errors.push({ line, column: "", message: `the header row is repeated on line ${line}` });
      continue;
    }
    const get = (col: Column) => (index.has(col) ? (cells[index.get(col)!] ?? "").trim() : "");
    const bad = (column: Column, message: string) => errors.push({ line, column, message });
    const employeeNo = get("employeeNo");
    if (!employeeNo) bad("employeeNo", "empty employee number");
    else if (employeeNo.length > 100) bad("employeeNo", "longer than 100 characters");
    const month = normalMonth(get("month"));
    if (!month) bad("month", `not a month (YYYY-MM): ${JSON.stringify(get("month"))}`);
    const amounts: Partial<Record<"employer" | "employee", string>> = {};
    for (const col of ["employer", "employee"] as const) {
      const text = get(col);
      if (!AMOUNT.test(text)) bad(col, `not an amount (0 or more, at most 2 decimals): ${JSON.stringify(text)}`);
      else amounts[col] = text;
    }
    const paidOn = get("paidOn");
    if (paidOn && !isCalendarDate(paidOn)) bad("paidOn", `not a date (YYYY-MM-DD): ${JSON.stringify(paidOn)}`);
    else if (paidOn && opts.latestPaidOn && paidOn > opts.latestPaidOn) bad("paidOn", `${paidOn} is in the future`);
    if (!employeeNo || !month || !amounts.employer || !amounts.employee) continue;
    const key = `${employeeNo}\u0001${month}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      bad("employeeNo", `${employeeNo} ${month} is also on line ${earlier}`);
      continue;
    }
    seen.set(key, line);
    rows.push({
      line,
      employeeNo,
      month,
      employer: amounts.employer,
      employee: amounts.employee,
      ...(paidOn && isCalendarDate(paidOn) ? { paidOn } : {}),
    });
  }
  if (errors.length) throw invalid(errors);
  if (!rows.length) throw invalid([{ line: head!.line, column: "", message: "no data rows below the header" }]);
  return rows;
}
