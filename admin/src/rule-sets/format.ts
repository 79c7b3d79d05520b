/**
 * Pretty-printing for the rule-set editor. The server stores content as jsonb, which hands keys back
 * sorted by length ("name", "event", "priority", "conditions"); the editor shows them in reading order
 * (what a rule is, when it fires, what it does) and one property per line.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

function ordered(o: Obj, first: readonly string[], visit: (k: string, v: unknown) => unknown = (_k, v) => v): Obj {
  const out: Obj = {};
  for (const k of first) if (k in o) out[k] = visit(k, o[k]);
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = visit(k, o[k]);
  return out;
}

const DOC = ["name", "description", "industry", "facts", "sharedConditions", "rules"] as const;
const RULE = ["name", "description", "priority", "conditions", "event", "onSuccess", "onFailure"] as const;
const COND = [
  "all",
  "any",
  "not",
  "condition",
  "name",
  "fact",
  "path",
  "params",
  "operator",
  "value",
  "priority",
] as const;
const EVENT = ["type", "params"] as const;
const TEST = ["name", "at", "facts", "expectEvents", "expectResults"] as const;

export function orderCondition(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(orderCondition);
  if (!isObj(node)) return node;
  return ordered(node, COND, (k, v) => (k === "all" || k === "any" || k === "not" ? orderCondition(v) : v));
}

const event = (e: unknown) => (isObj(e) ? ordered(e, EVENT) : e);

function rule(r: unknown): unknown {
  if (!isObj(r)) return r;
  return ordered(r, RULE, (k, v) => (k === "conditions" ? orderCondition(v) : k === "event" ? event(v) : v));
}

export function orderDocument(doc: Obj): Obj {
  return ordered(doc, DOC, (k, v) => {
    if (k === "rules" && Array.isArray(v)) return v.map(rule);
    if (k === "sharedConditions" && isObj(v))
      return Object.fromEntries(Object.entries(v).map(([n, c]) => [n, orderCondition(c)]));
    return v;
  });
}

export function orderTestCases(cases: unknown): unknown {
  if (!Array.isArray(cases)) return cases;
  return cases.map((c) =>
    isObj(c) ? ordered(c, TEST, (k, v) => (k === "expectEvents" && Array.isArray(v) ? v.map(event) : v)) : c,
  );
}

export const pretty = (v: unknown) => JSON.stringify(v, null, 2);
