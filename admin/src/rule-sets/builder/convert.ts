/**
 * json-rules-engine conditions <-> react-querybuilder queries, both ways, losslessly.
 *
 * - `{all: […]}` / `{any: […]}` is a group with combinator "all" / "any".
 * - `{not: {all|any: […]}}` is that group with `not: true`; `{not: X}` of anything else is a "not" group
 *   holding X alone (`meta.bare`), so `{not: leaf}` and `{not: {all: [leaf]}}` stay apart.
 * - A rule whose conditions are not a group (`{condition: "shared"}`, or any odd node) gets a bare root.
 * - A leaf `{fact, operator, value, path?, params?}` is a rule `{field: fact, operator, value}`; a value
 *   `{fact: "other"}` is `valueSource: "field"`; path, params, name, priority and the extra keys of a fact
 *   reference ride in `meta`. `{condition: "name"}` is a rule on the pseudo-field {@link SHARED}.
 * Every node's id is its JSON pointer (under the given base), so server errors find their condition and
 * re-deriving the query from the text keeps React's keys (and the focus) stable.
 */
import type { RuleGroupType, RuleType } from "react-querybuilder";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** Pseudo-field of a shared-condition reference (no fact name can start with "$"). */
export const SHARED = "$condition";
export const SHARED_OPERATOR = "is";
/** Pseudo-field of a node the builder cannot take apart (shown as JSON, written back unchanged). */
export const RAW = "$json";
export const RAW_OPERATOR = "json";

export interface GroupMeta {
  /** A wrapper that stands for its one child: `{not: X}` (with not) or a non-group top level. */
  bare?: boolean;
  /** name / priority of the group itself, or of the inner group under `not`. */
  name?: unknown;
  priority?: unknown;
  /** name / priority of the `{not: …}` wrapper. */
  notName?: unknown;
  notPriority?: unknown;
  /** Unknown keys of the group node (kept for the round trip; validation reports them). */
  extra?: Obj;
  notExtra?: Obj;
}
export interface BuilderGroup extends RuleGroupType<BuilderRule> {
  combinator: "all" | "any";
  meta?: GroupMeta;
}
export interface RuleMeta {
  path?: unknown;
  params?: unknown;
  name?: unknown;
  priority?: unknown;
  /** Keys of a `{fact: …}` value other than `fact` (its path or params). */
  valueRef?: Obj;
  /** The leaf had no `value` key at all. */
  noValue?: boolean;
  extra?: Obj;
}
export type BuilderRule = RuleType<string, string, unknown, string, RuleMeta>;

const pick = (o: Obj, known: readonly string[]) => {
  const extra: Obj = {};
  for (const k of Object.keys(o)) if (!known.includes(k)) extra[k] = o[k];
  return Object.keys(extra).length ? extra : undefined;
};
const clean = <T extends Obj>(o: T): T => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
};
const GROUP_KEYS = ["all", "any", "name", "priority"];
const NOT_KEYS = ["not", "name", "priority"];
const LEAF_KEYS = ["fact", "operator", "value", "path", "params", "name", "priority"];

const isGroupNode = (c: unknown): c is Obj =>
  isObj(c) && (Array.isArray(c.all) || Array.isArray(c.any)) && !(Array.isArray(c.all) && Array.isArray(c.any));

function groupOf(c: Obj, id: string, extraMeta: GroupMeta = {}): BuilderGroup {
  const combinator = Array.isArray(c.all) ? "all" : "any";
  const list = c[combinator] as unknown[];
  const meta = clean({ ...extraMeta, name: c.name, priority: c.priority, extra: pick(c, GROUP_KEYS) });
  return clean({
    id,
    combinator,
    rules: list.map((child, i) => nodeOf(child, `${id}/${combinator}/${i}`)),
    meta: Object.keys(meta).length ? meta : undefined,
  }) as BuilderGroup;
}

function nodeOf(c: unknown, id: string): BuilderGroup | BuilderRule {
  if (isGroupNode(c)) return groupOf(c, id);
  if (isObj(c) && "not" in c) {
    const outer = { notName: c.name, notPriority: c.priority, notExtra: pick(c, NOT_KEYS) };
    if (isGroupNode(c.not)) return { ...groupOf(c.not, `${id}/not`, clean(outer)), id, not: true };
    const meta = clean({ bare: true, ...outer });
    return { id, combinator: "all", not: true, rules: [nodeOf(c.not, `${id}/not`)], meta };
  }
  if (isObj(c) && typeof c.condition === "string" && !("fact" in c)) {
    const meta = clean({ name: c.name, priority: c.priority, extra: pick(c, ["condition", "name", "priority"]) });
    return clean({
      id,
      field: SHARED,
      operator: SHARED_OPERATOR,
      value: c.condition,
      meta: Object.keys(meta).length ? meta : undefined,
    }) as BuilderRule;
  }
  if (!isObj(c) || typeof c.fact !== "string" || typeof c.operator !== "string")
    return { id, field: RAW, operator: RAW_OPERATOR, value: c };
  const o = c;
  const v = o.value;
  const ref = isObj(v) && typeof v.fact === "string" ? v : null;
  const meta: RuleMeta = clean({
    path: o.path,
    params: o.params,
    name: o.name,
    priority: o.priority,
    valueRef: ref ? pick(ref, ["fact"]) : undefined,
    noValue: "value" in o ? undefined : true,
    extra: pick(o, LEAF_KEYS),
  });
  return clean({
    id,
    field: o.fact,
    operator: o.operator,
    value: ref ? ref.fact : v,
    valueSource: ref ? "field" : undefined,
    meta: Object.keys(meta).length ? meta : undefined,
  }) as BuilderRule;
}

/** A rule's `conditions` as a query; ids are JSON pointers under `base` (e.g. "/rules/0/conditions"). */
export function toQuery(conditions: unknown, base = ""): BuilderGroup {
  const node = nodeOf(conditions, base);
  if ("combinator" in node) return node;
  return { id: `${base}/root`, combinator: "all", rules: [node], meta: { bare: true } };
}

const isGroup = (n: BuilderGroup | BuilderRule): n is BuilderGroup => "combinator" in n && Array.isArray(n.rules);

function leafOut(r: BuilderRule): unknown {
  const m = r.meta ?? {};
  if (r.field === RAW) return r.value;
  if (r.field === SHARED)
    return clean({ condition: r.value, name: m.name, priority: m.priority, ...(m.extra ?? {}) }) as Obj;
  // Reading order of format.ts: name, fact, path, params, operator, value, priority.
  // "~" is react-querybuilder's "nothing picked yet": written empty, so validation names the condition.
  const pickedOr = (v: string) => (v === "~" ? "" : v);
  const out: Obj = {
    name: m.name,
    fact: pickedOr(r.field),
    path: m.path,
    params: m.params,
    operator: pickedOr(r.operator),
  };
  if (r.valueSource === "field") out.value = { fact: r.value, ...(m.valueRef ?? {}) };
  else if (!(m.noValue && r.value === undefined)) out.value = r.value;
  out.priority = m.priority;
  return clean({ ...out, ...(m.extra ?? {}) });
}

function groupOut(g: BuilderGroup): unknown {
  const m = g.meta ?? {};
  const key = g.combinator === "any" ? "any" : "all";
  const children = g.rules.map((n) => nodeOut(n as BuilderGroup | BuilderRule));
  const single = m.bare && children.length === 1 && key === "all";
  const inner: unknown = single
    ? children[0]
    : clean({ [key]: children, name: m.name, priority: m.priority, ...(m.extra ?? {}) });
  if (!g.not) return inner;
  return clean({ not: inner, name: m.notName, priority: m.notPriority, ...(m.notExtra ?? {}) });
}

function nodeOut(n: BuilderGroup | BuilderRule): unknown {
  return isGroup(n) ? groupOut(n) : leafOut(n);
}

/** The json-rules-engine conditions of a query (the inverse of {@link toQuery}). */
export function fromQuery(q: BuilderGroup): unknown {
  return groupOut(q);
}
