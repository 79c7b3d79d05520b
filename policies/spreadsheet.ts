/**
 * Cells written for spreadsheets (CSV now, XLSX later). A cell starting with `=`, `+`, `-`, `@`, TAB or
 * CR is run as a formula by Excel, LibreOffice and Google Sheets (CSV/formula injection, OWASP): it is
 * written with a leading `'`, which they read as "text" and do not show. Plain numbers such as `-12.5`
 * or `+3` cannot run anything and stay as they are, so numeric columns still read as numbers.
 *
 * The escape is reversible: a cell that already starts with quotes before one of those characters gets
 * one more, and `fromSpreadsheetCell` removes exactly one, so export → import gives back every value.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;
const ESCAPED = /^'+[=+\-@\t\r]/;

/** The text to write for a cell: safe to open in a spreadsheet. */
export function spreadsheetCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** The value of a cell read back from a file written with `spreadsheetCell` (or typed as `'=…`). */
export function fromSpreadsheetCell(text: string): string {
  return ESCAPED.test(text) ? text.slice(1) : text;
}
