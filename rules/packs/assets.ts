// A pack's assets besides rule sets and reminder templates: one JSON file each in the pack's folder,
// rules/packs/<pack>/policy-tables/<key>.json, reports/<key>.json and custom-fields/<entity>.<name>.json,
// listed by key in the manifest. Here their shape is checked; the server checks their content the way the
// kind's own API does (server/packs/catalogue.ts).
import temporaryCoverage from "./manufacturing/policy-tables/manufacturing-temporary-coverage.json";
import contractEndDate from "./manufacturing/custom-fields/employees.contractEndDate.json";
import costByRegionStore from "./retail/reports/cost-by-region-store.json";

type Json = Record<string, unknown>;

/** A policy table (policies' TableDef and rows) with lookups that must hold: the pack's test cases. */
export interface PolicyTableFile {
  key: string;
  name: string;
  description?: string;
  keyColumns: Json;
  valueColumns: Json;
  optionalValues?: string[];
  rows: Json[];
  testCases?: PolicyTableTestCase[];
}
export interface PolicyTableTestCase {
  name: string;
  key: Record<string, string | number>;
  date: string;
  /** The row's values in force on `date`, or null when no row is. */
  expect: Json | null;
}
/** A saved report: its spec as the report API takes it. */
export interface ReportFile {
  key: string;
  name: string;
  description?: string;
  spec: Json;
}
/** A tenant custom field of an entity, as the entities API takes it. */
export interface CustomFieldFile {
  entity: string;
  name: string;
  label: { zh: string; en: string };
  schema: Json;
  filterable?: boolean;
  sortable?: boolean;
}

export interface PackFiles {
  policyTables: readonly PolicyTableFile[];
  reports: readonly ReportFile[];
  customFields: readonly CustomFieldFile[];
}
export type FileKind = keyof PackFiles;

/** Each kind's folder in a pack, and how its files are keyed in the manifest. */
export const FOLDERS: Record<FileKind, string> = {
  policyTables: "policy-tables",
  reports: "reports",
  customFields: "custom-fields",
};
export const customFieldKey = (f: { entity: string; name: string }) => `${f.entity}.${f.name}`;
export const fileKey = (kind: FileKind, f: unknown): string =>
  kind === "customFields" ? customFieldKey(f as CustomFieldFile) : String((f as { key?: unknown }).key);

const none: PackFiles = { policyTables: [], reports: [], customFields: [] };
export const packFiles: Readonly<Record<string, PackFiles>> = {
  manufacturing: {
    ...none,
    policyTables: [temporaryCoverage as unknown as PolicyTableFile],
    customFields: [contractEndDate as unknown as CustomFieldFile],
  },
  retail: { ...none, reports: [costByRegionStore as unknown as ReportFile] },
};
export const filesOf = (packKey: string): PackFiles => packFiles[packKey] ?? none;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown) => typeof v === "string" && v.trim() !== "";
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a file's shape (its content is the server's to check), each as `field: problem`. */
export function fileProblems(kind: FileKind, f: unknown): string[] {
  if (!isObject(f)) return ["is not a JSON object"];
  const out: string[] = [];
  if (kind === "customFields") {
    if (!text(f.entity)) out.push("entity: is required");
    if (!text(f.name)) out.push("name: is required");
    const label = isObject(f.label) ? f.label : {};
    for (const lang of ["zh", "en"]) if (!text(label[lang])) out.push(`label.${lang}: is required`);
    if (!isObject(f.schema)) out.push("schema: must be an object");
    return out;
  }
  if (!text(f.key)) out.push("key: is required");
  if (!text(f.name)) out.push("name: is required");
  if (kind === "reports") {
    if (!isObject(f.spec)) out.push("spec: must be an object");
    return out;
  }
  for (const part of ["keyColumns", "valueColumns"]) if (!isObject(f[part])) out.push(`${part}: must be an object`);
  if (!Array.isArray(f.rows)) return [...out, "rows: must be a list"];
  // A shipped figure carries where it comes from and when it is in force.
  f.rows.forEach((r, i) => {
    const row = isObject(r) ? r : {};
    if (!text(row.source)) out.push(`rows/${i}/source: is required`);
    if (typeof row.effectiveFrom !== "string" || !DATE.test(row.effectiveFrom))
      out.push(`rows/${i}/effectiveFrom: must be YYYY-MM-DD`);
    if (row.effectiveTo !== null && (typeof row.effectiveTo !== "string" || !DATE.test(row.effectiveTo)))
      out.push(`rows/${i}/effectiveTo: must be YYYY-MM-DD or null`);
  });
  if (f.testCases !== undefined && !Array.isArray(f.testCases)) out.push("testCases: must be a list");
  return out;
}
