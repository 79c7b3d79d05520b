import type { JsonSchema } from "../types";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** Fields of a rule set edited in the Rules tab; test cases have their own tab. */
export const DOC_KEYS = ["name", "description", "industry", "facts", "options", "sharedConditions", "rules"] as const;

/** Adapts GET /api/rule-sets/schema to the edited document, whatever level it describes. */
export function documentSchema(raw: unknown): Obj {
  let schema: Obj = isObj(raw) ? structuredClone(raw) : {};
  const props = isObj(schema.properties) ? schema.properties : null;
  if (!props?.rules) {
    if (schema.type === "array")
      schema = { ...pickDefs(schema), type: "object", properties: { rules: stripDefs(schema) } };
    else if (props?.conditions)
      schema = {
        ...pickDefs(schema),
        type: "object",
        properties: { rules: { type: "array", items: stripDefs(schema) } },
      };
  }
  if (Array.isArray(schema.required))
    schema.required = schema.required.filter((k) => (DOC_KEYS as readonly string[]).includes(String(k)));
  if (isObj(schema.properties)) {
    for (const k of ["testCases", "id", "key", "revision", "latestVersion", "updatedAt"]) delete schema.properties[k];
    // The content schema may describe only facts and rules; the editor also carries the record's labels.
    for (const k of ["name", "description", "industry"]) schema.properties[k] ??= { type: "string" };
  }
  return schema;
}

function pickDefs(s: Obj): Obj {
  const out: Obj = {};
  if (s.$defs) out.$defs = s.$defs;
  if (s.definitions) out.definitions = s.definitions;
  return out;
}
function stripDefs(s: Obj): Obj {
  const { $defs: _a, definitions: _b, $schema: _c, $id: _d, ...rest } = s;
  return rest;
}

/** Puts fact names and operator names as enums wherever a condition leaf is described. */
export function injectEnums(schema: Obj, facts: string[], operators: string[]): Obj {
  const out = structuredClone(schema);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObj(node)) return;
    const props = node.properties;
    if (isObj(props) && "fact" in props && "operator" in props) {
      if (facts.length) props.fact = { ...(isObj(props.fact) ? props.fact : {}), type: "string", enum: facts };
      if (operators.length)
        props.operator = { ...(isObj(props.operator) ? props.operator : {}), type: "string", enum: operators };
    }
    Object.values(node).forEach(walk);
  };
  walk(out);
  return out;
}

export function factNames(catalogue: { name: string }[], doc: { facts?: Record<string, JsonSchema> } | null): string[] {
  return [...new Set([...catalogue.map((f) => f.name), ...Object.keys(doc?.facts ?? {})])].sort();
}
