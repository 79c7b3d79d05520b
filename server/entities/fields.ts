/** Resolves an entity declaration plus a tenant's custom fields into typed, SQL-addressable fields. */
import type { CustomFieldDef, EntityDeclaration, EntitySchema, PropertySchema } from "./types";

export type FieldKind = "string" | "number" | "integer" | "boolean" | "date" | "datetime" | "decimal" | "uuid" | "json";

export interface ResolvedField {
  name: string;
  /** SQL expression addressing the value (a quoted column, or a cast out of the custom jsonb). */
  sql: string;
  column?: string;
  kind: FieldKind;
  custom: boolean;
  filterable: boolean;
  sortable: boolean;
  readOnly: boolean;
  nullable: boolean;
}

export const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function kindOf(schema: PropertySchema): FieldKind {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "string") {
    if (schema.format === "date") return "date";
    if (schema.format === "date-time") return "datetime";
    if (schema.format === "decimal") return "decimal";
    if (schema.format === "uuid") return "uuid";
    return "string";
  }
  if (type === "number" || type === "integer" || type === "boolean") return type;
  return "json";
}

const CAST: Partial<Record<FieldKind, string>> = {
  number: "numeric",
  integer: "numeric",
  decimal: "numeric",
  boolean: "boolean",
  date: "date",
  datetime: "timestamptz",
};

const JSON_TYPE: Partial<Record<FieldKind, string>> = { number: "number", integer: "number", boolean: "boolean" };

export interface ResolvedEntity {
  decl: EntityDeclaration;
  fields: Map<string, ResolvedField>;
  custom: CustomFieldDef[];
  /** The declaration's schema with the tenant's custom fields merged in. */
  schema: EntitySchema;
}

export function resolveEntity(decl: EntityDeclaration, custom: CustomFieldDef[]): ResolvedEntity {
  const fields = new Map<string, ResolvedField>();
  fields.set("id", {
    name: "id",
    sql: '"id"',
    column: "id",
    kind: "uuid",
    custom: false,
    filterable: true,
    sortable: true,
    readOnly: true,
    nullable: false,
  });
  const readOnly = new Set(decl.ui.readOnly ?? []);
  for (const [name, schema] of Object.entries(decl.schema.properties)) {
    const column = snake(name);
    fields.set(name, {
      name,
      sql: `"${column}"`,
      column,
      kind: kindOf(schema),
      custom: false,
      filterable: decl.ui.filterable.includes(name),
      sortable: decl.ui.sortable.includes(name),
      readOnly: readOnly.has(name) || schema.readOnly === true,
      nullable: Array.isArray(schema.type) && schema.type.includes("null"),
    });
  }
  for (const cf of custom) {
    const kind = kindOf(cf.schema);
    const name = cf.name.replace(/'/g, "''");
    const text = `("custom"->>'${name}')`;
    const cast = CAST[kind];
    // Only a value of the field's JSON type is cast: a stray value (say, left by an earlier field of the
    // same name with another type) reads as null instead of failing the whole list.
    const json = JSON_TYPE[kind];
    fields.set(cf.name, {
      name: cf.name,
      sql: !cast
        ? text
        : json
          ? `(CASE WHEN jsonb_typeof("custom"->'${name}') = '${json}' THEN ${text}::${cast} END)`
          : `${text}::${cast}`,
      kind,
      custom: true,
      filterable: cf.filterable,
      sortable: cf.sortable,
      readOnly: false,
      nullable: true,
    });
  }
  const schema: EntitySchema = {
    ...decl.schema,
    properties: {
      ...decl.schema.properties,
      ...Object.fromEntries(custom.map((cf) => [cf.name, { ...cf.schema, title: cf.label.en, "x-custom": true }])),
    },
  };
  return { decl, fields, custom, schema };
}
