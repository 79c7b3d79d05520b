import jsonExport from "jsonexport/dist";
import { downloadCSV, type Exporter } from "react-admin";
import { spreadsheetCell } from "../../../policies/spreadsheet";

const cell = (v: unknown): unknown => {
  if (v == null) return "";
  if (typeof v === "string") return spreadsheetCell(v);
  if (typeof v === "object") return spreadsheetCell(JSON.stringify(v));
  return v;
};

/**
 * Every record the list's filter matches, as CSV safe to open in a spreadsheet: a cell that would run
 * as a formula (`=`, `+`, `-`, `@`, TAB, CR) starts with `'`, as in the server's own exports.
 */
export const safeCsvExporter: Exporter = (records, _fetchRelated, _dataProvider, resource) => {
  const rows = records.map((r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)])),
  );
  jsonExport(rows, (err: Error | null, csv: string) => {
    if (!err) downloadCSV(csv, resource ?? "export");
  });
};
