/**
 * What the rule builder offers: facts (the plugins' catalogue and the rule set's declared input facts),
 * the operators that fit a fact's type, the kind of value input, and the kind of a params form field.
 * Pure functions, unit-tested; the components only render what these decide.
 */
import type { JsonSchema } from "../../types";

export interface FactInfo {
  name: string;
  /** Shown instead of the name where the fact has a reader's label (a report's fields). */
  label?: string;
  type: string;
  description?: string;
  params?: JsonSchema;
  schema?: JsonSchema;
  declared: boolean;
}
export interface OperatorInfo {
  name: string;
  description?: string;
  factType?: string;
  valueType?: string;
  params?: JsonSchema;
}
export interface ActionInfo {
  type: string;
  description?: string;
  params?: JsonSchema;
}

const typeOf = (s: JsonSchema | undefined): string => {
  if (!s || typeof s !== "object") return "any";
  if (Array.isArray(s.type)) return s.type.find((t) => t !== "null") ?? "any";
  if (typeof s.type === "string") return s.type;
  if (Array.isArray(s.enum) && s.enum.length) return typeof s.enum[0] === "number" ? "number" : typeof s.enum[0];
  return "any";
};

/** The plugins' facts and the declared ones (a declared fact wins: it is what the rule set says). */
export function factList(catalogue: Omit<FactInfo, "declared">[], declared: Record<string, JsonSchema>): FactInfo[] {
  const out = new Map<string, FactInfo>();
  for (const f of catalogue) out.set(f.name, { ...f, declared: false });
  for (const [name, schema] of Object.entries(declared ?? {})) {
    const s = schema && typeof schema === "object" ? schema : {};
    out.set(name, {
      name,
      type: typeOf(s),
      description: typeof s.description === "string" ? s.description : undefined,
      schema: s,
      declared: true,
    });
  }
  return [...out.values()].sort((a, b) => Number(b.declared) - Number(a.declared) || a.name.localeCompare(b.name));
}

const numeric = (t: string) => t === "number" || t === "integer";

/** Operators whose declared fact type fits; a fact of unknown type ("any") takes every operator. */
export function operatorsFor(fact: FactInfo | undefined, operators: OperatorInfo[], current?: string): OperatorInfo[] {
  const t = fact?.type ?? "any";
  const fits = (o: OperatorInfo) =>
    !o.factType || t === "any" || o.factType === t || (numeric(o.factType) && numeric(t));
  const list = operators.filter(fits);
  if (current && !list.some((o) => o.name === current)) {
    const known = operators.find((o) => o.name === current);
    list.push(known ?? { name: current });
  }
  return list;
}

export type ValueKind = "boolean" | "number" | "date" | "enum" | "text" | "list" | "json";

/** The input a condition's value gets: a list for in/notIn, else by the fact's type. */
export function valueKind(fact: FactInfo | undefined, operator: OperatorInfo | undefined): ValueKind {
  if (operator?.valueType === "array") return "list";
  return scalarKind(fact?.schema ?? (fact ? { type: fact.type } : undefined));
}

function scalarKind(s: JsonSchema | undefined): ValueKind {
  if (!s) return "json";
  if (Array.isArray(s.enum) && s.enum.length) return "enum";
  const t = typeOf(s);
  if (t === "boolean") return "boolean";
  if (numeric(t)) return "number";
  if (t === "string") return s.format === "date" ? "date" : "text";
  return "json";
}

/** Text of a list value ("a, b"), and back; numbers stay numbers when the fact is numeric. */
export const listText = (v: unknown) => (Array.isArray(v) ? v.map((x) => String(x)).join(", ") : "");
export function parseList(text: string, numbers: boolean): unknown[] {
  const parts = text
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return numbers ? parts.map((s) => (Number.isFinite(Number(s)) ? Number(s) : s)) : parts;
}

/** A number typed into a field: the number when it is one, else the text (validation flags it). */
export function parseNumber(text: string): number | string {
  const t = text.trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : text;
}

/** JSON typed into a small field: the parsed value, or the text itself when it is not JSON. */
export function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface FieldKind {
  kind: ValueKind;
  /** The field may hold `{ "fact": name }` instead of a literal. */
  factRef: boolean;
  schema: JsonSchema;
}

const isRefSchema = (s: unknown): boolean => {
  const o = s as JsonSchema | undefined;
  return !!o && Array.isArray(o.required) && o.required.includes("fact") && !!o.properties?.fact;
};

/** How a params form draws one property: its scalar kind and whether a fact may stand in for it. */
export function fieldKind(schema: JsonSchema | undefined): FieldKind {
  const s = schema ?? {};
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alts)) {
    const literal = alts.find((a) => !isRefSchema(a));
    const factRef = alts.some(isRefSchema);
    const inner = literal ?? {};
    return { kind: scalarKind(inner), factRef, schema: inner };
  }
  if (!s.type && !s.enum) return { kind: "json", factRef: false, schema: s };
  return { kind: scalarKind(s), factRef: false, schema: s };
}

/** `{fact: "x"}` (optionally with a path): a reference to another fact. */
export const isFactRef = (v: unknown): v is { fact: string; path?: string } =>
  !!v && typeof v === "object" && !Array.isArray(v) && typeof (v as { fact?: unknown }).fact === "string";

/** Properties of a schema, plus the params' own keys the schema does not name (kept, shown as JSON). */
export function formFields(schema: JsonSchema | undefined, value: Record<string, unknown> | undefined) {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const names = [...Object.keys(props), ...Object.keys(value ?? {}).filter((k) => !(k in props))];
  return names.map((name) => ({
    ...fieldKind(props[name]),
    name,
    schema: props[name],
    required: Array.isArray(schema?.required) && schema.required.includes(name),
  }));
}

/** Merges the params schemas of a fact and of an operator (withinDays reads params.days). */
export function paramsSchema(...schemas: (JsonSchema | undefined)[]): JsonSchema | undefined {
  const present = schemas.filter((s): s is JsonSchema => !!s && typeof s === "object");
  if (!present.length) return undefined;
  return {
    type: "object",
    properties: Object.assign({}, ...present.map((s) => s.properties ?? {})),
    required: present.flatMap((s) => (Array.isArray(s.required) ? s.required : [])),
  };
}

/** Markers that name this node: its pointer or anything under it that no child claims. */
export function markersAt<T extends { pointer: string }>(markers: T[], id: string, childIds: string[] = []): T[] {
  return markers.filter(
    (m) =>
      (m.pointer === id || m.pointer.startsWith(`${id}/`)) &&
      !childIds.some((c) => m.pointer === c || m.pointer.startsWith(`${c}/`)),
  );
}
