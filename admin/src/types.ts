export type Role = "consultant" | "hr_admin" | "employee";
export type Localized = { en: string; zh: string };

export interface Tenant {
  slug: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenants: Tenant[];
  employeeId?: string;
}

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  readOnly?: boolean;
  [k: string]: unknown;
}

export interface CustomField {
  name: string;
  label: Localized;
  schema: JsonSchema;
  filterable?: boolean;
  sortable?: boolean;
}

export interface EntityDef {
  name: string;
  label: Localized;
  schema: JsonSchema;
  ui: {
    listColumns: string[];
    filterable: string[];
    sortable: string[];
    references: Record<string, string>;
    searchFields: string[];
    recordRepresentation: string;
    fieldLabels?: Record<string, Localized>;
    readOnly?: string[];
    canWrite?: boolean;
    /** Labels of enum values per field: `{ field: { value: { "zh-CN", en } } }`. */
    enumLabels?: Record<string, Record<string, { "zh-CN": string; en: string }>>;
    /** Fields shown as a city name, money or a month rather than as their raw value. */
    kinds?: Record<string, "city" | "money" | "month">;
  };
  customFields: CustomField[];
  readOnly?: boolean;
}

export interface Diagnostic {
  pointer: string;
  code: string;
  message: string;
}

export interface RuleSetRecord {
  id: string;
  key: string;
  name: string;
  description?: string;
  industry?: string;
  facts: Record<string, JsonSchema>;
  rules: unknown[];
  testCases: TestCase[];
  revision: number;
  latestVersion: number | null;
  updatedAt?: string;
  warnings?: Diagnostic[];
}

export interface TestCase {
  name: string;
  facts: Record<string, unknown>;
  at?: string;
  expectEvents: { type: string; params?: unknown }[];
  expectResults?: unknown;
}

export interface TestResult {
  name: string;
  passed: boolean;
  differences: string[];
  events: { type: string; params?: unknown }[];
}

export interface VersionRow {
  id: string | number;
  version: number;
  checksum?: string;
  author?: string;
  createdAt?: string;
  effectiveFrom?: string;
  publishedOn?: string | null;
  note?: string;
}

export interface PolicyRow {
  key: Record<string, unknown>;
  values: Record<string, unknown>;
  effectiveFrom: string;
  effectiveTo?: string | null;
  source?: string;
  confidence?: "H" | "M" | "L";
  note?: string;
}

export interface PolicyTableRecord {
  id: string;
  key: string;
  name: string;
  description?: string;
  keyColumns: Record<string, JsonSchema>;
  valueColumns: Record<string, JsonSchema>;
  rows: PolicyRow[];
  revision: number;
  latestVersion: number | null;
}
