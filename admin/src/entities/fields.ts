import { useResourceContext } from "react-admin";
import { useSession } from "../api/useSession";
import type { EntityDef, JsonSchema } from "../types";

export type FieldKind =
  | "reference"
  | "enum"
  | "city"
  | "money"
  | "month"
  | "date"
  | "datetime"
  | "number"
  | "boolean"
  | "text"
  | "json";

export function fieldKind(entity: EntityDef, field: string): FieldKind {
  if (entity.ui.references?.[field]) return "reference";
  const hinted = entity.ui.kinds && Object.hasOwn(entity.ui.kinds, field) ? entity.ui.kinds[field] : undefined;
  if (hinted) return hinted;
  if (entity.ui.enumLabels && Object.hasOwn(entity.ui.enumLabels, field)) return "enum";
  const s: JsonSchema = entity.schema.properties?.[field] ?? {};
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (s.enum) return "enum";
  if (s.format === "date") return "date";
  if (s.format === "date-time") return "datetime";
  if (type === "number" || type === "integer") return "number";
  if (type === "boolean") return "boolean";
  if (type === "object" || type === "array") return "json";
  return "text";
}

export function schemaOf(entity: EntityDef, field: string): JsonSchema {
  return entity.schema.properties?.[field] ?? {};
}

const SYSTEM = new Set(["id", "tenantId", "tenant", "createdAt", "updatedAt"]);

export function isReadOnly(entity: EntityDef, field: string): boolean {
  return SYSTEM.has(field) || !!entity.ui.readOnly?.includes(field) || !!schemaOf(entity, field).readOnly;
}

/** Every field of the entity, custom fields included, in schema order. */
export function allFields(entity: EntityDef): string[] {
  return Object.keys(entity.schema.properties ?? {});
}

export function formFields(entity: EntityDef, mode: "create" | "edit"): string[] {
  return allFields(entity).filter((f) => !SYSTEM.has(f) && (mode === "edit" || !isReadOnly(entity, f)));
}

/** Entities whose records only the server writes (`ui.canWrite: false`, or known as such). */
const READ_ONLY_NAMES = new Set(["decisions"]);
export const isReadOnlyEntity = (e: EntityDef) => e.ui.canWrite === false || READ_ONLY_NAMES.has(e.name);

export function useEntity(name?: string): EntityDef | undefined {
  const resource = useResourceContext();
  const { entities } = useSession();
  const wanted = name ?? resource;
  return entities?.find((e) => e.name === wanted);
}
