import type { Knex } from "knex";
import type { Role } from "../auth/service";

export interface Label {
  en: string;
  zh: string;
}

type JsonType = "string" | "number" | "integer" | "boolean" | "array" | "object" | "null";

/** The JSON Schema subset entity properties use. `format: "decimal"` marks money (numeric column, decimal string). */
export interface PropertySchema {
  type: JsonType | readonly JsonType[];
  format?: "date" | "date-time" | "decimal" | "uuid" | "email" | "month" | "city";
  enum?: readonly (string | number | null)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: PropertySchema;
  title?: string;
  description?: string;
  readOnly?: boolean;
  default?: unknown;
  [key: string]: unknown;
}

export interface EntitySchema {
  type: "object";
  properties: Record<string, PropertySchema>;
  required?: string[];
}

export interface EntityUi {
  listColumns: string[];
  filterable: string[];
  sortable: string[];
  /**
   * Field to the entity it references (the admin renders a ReferenceInput). Every write of such a field
   * must name a record of the same tenant (checked by the repository, and by composite foreign keys).
   */
  references: Record<string, string>;
  searchFields: string[];
  recordRepresentation: string;
  fieldLabels: Record<string, Label>;
  readOnly?: string[];
  /** Labels of a field's values (an enum, or a code such as an alert type): `{ field: { value: label } }`. */
  enumLabels?: Record<string, Record<string, { "zh-CN": string; en: string }>>;
}

/** How the admin shows a field, derived from its schema: a city name, money (¥12,345.67), a month. */
export type FieldKind = "city" | "money" | "month";

/**
 * An entity declared as a JSON Schema plus UI hints. From it the server derives storage access
 * (columns are the snake_case of property names; tenant custom fields live in the `custom` jsonb column),
 * ajv validation and the REST resource.
 */
export interface EntityDeclaration {
  name: string;
  table: string;
  label: Label;
  schema: EntitySchema;
  ui: EntityUi;
  defaultSort: [string, "ASC" | "DESC"];
  /** Roles that may create, update and delete through the REST resource (none: read-only resource). */
  writeRoles: Role[];
  /** Roles that may read. An employee reads only rows whose `selfField` is their employee id. */
  readRoles: Role[];
  selfField?: string;
  /** Checks across fields of a whole record (after each field's own schema): field → problem. */
  check?: (record: Readonly<Record<string, unknown>>) => Record<string, string>;
  /** Runs in the write's transaction after a create (`before` null) or an update (employees' wage history). */
  afterWrite?: (
    trx: Knex,
    tenantId: string,
    before: Readonly<Record<string, unknown>> | null,
    after: Readonly<Record<string, unknown>>,
  ) => Promise<void>;
  /** How the REST resource reads: list filters beyond the fields, and the record as a reader sees it. */
  read?: {
    /** Takes its own keys out of a list filter; answers the rest and the condition they add. */
    filter?: (
      filter: Record<string, unknown>,
      reader: EntityReader,
    ) => { filter: Record<string, unknown>; where?: (qb: Knex.QueryBuilder) => void };
    present?: (record: Record<string, unknown>, reader: EntityReader) => Record<string, unknown>;
  };
  /** Runs in the creating transaction after a REST create (e.g. an enrollment clears `not_enrolled`). */
  afterCreate?: (trx: Knex, tenantId: string, record: Record<string, unknown>, actorId: string | null) => Promise<void>;
}

/** Who reads a resource: their user id and language. */
export interface EntityReader {
  userId: string;
  locale: "zh-CN" | "en";
}

export interface CustomFieldDef {
  name: string;
  label: Label;
  schema: PropertySchema;
  filterable: boolean;
  sortable: boolean;
}

const declared = new Map<string, EntityDeclaration>();

/**
 * Declares an entity (core, lifecycle or a plugin's). Declarations are also remembered by name, so a
 * reference (`ui.references: {orgUnitId: "org-units"}`, what the admin's ReferenceInput reads) can be
 * resolved to the table it points into when a write is checked.
 */
export function defineEntity(e: EntityDeclaration): EntityDeclaration {
  declared.set(e.name, e);
  return e;
}

/** The declaration of an entity by name (any declared with defineEntity). */
export const declaredEntity = (name: string): EntityDeclaration | undefined => declared.get(name);

/** The declaration whose table is `table`. */
export const entityOfTable = (table: string): EntityDeclaration | undefined =>
  [...declared.values()].find((d) => d.table === table);
