/** Report specs and answers as /api/reports speaks them. */
export interface FieldInfo {
  key: string;
  label: string;
  type: "text" | "enum" | "city" | "number" | "integer" | "money" | "date" | "month" | "boolean";
  enum?: string;
}
export interface DatasetInfo {
  key: string;
  label: string;
  fields: FieldInfo[];
}
export interface Catalogue {
  datasets: DatasetInfo[];
  operators: string[];
}
export interface Dimension {
  field: string;
  bucket?: "month" | "quarter" | "year" | "baseYear";
  key?: string;
}
export interface Measure {
  fn: "count" | "countDistinct" | "sum" | "avg" | "min" | "max";
  field?: string;
  key?: string;
  label?: { zh?: string; en?: string };
}
export interface Param {
  type: string;
  default?: string | number | boolean | null;
  label?: { zh?: string; en?: string };
}
export interface Chart {
  type: "table" | "bar" | "stackedBar" | "line" | "pie";
  x?: string;
  y?: string[];
  series?: string;
}
export interface ReportSpec {
  dataset: string;
  filters?: unknown;
  dimensions?: Dimension[];
  measures?: Measure[];
  sort?: { key: string; order?: "asc" | "desc" }[];
  limit?: number;
  params?: Record<string, Param>;
  chart?: Chart;
  totals?: boolean;
  pinned?: boolean;
}
export interface Column {
  key: string;
  label: string;
  type: FieldInfo["type"];
  role: "dimension" | "measure";
  labels?: Record<string, string>;
}
export interface RunResult {
  columns: Column[];
  rows: Record<string, unknown>[];
  totals?: Record<string, unknown>;
  truncated: boolean;
}
export const NUMERIC = new Set(["number", "integer", "money"]);
export const TEMPORAL = new Set(["date", "month"]);
