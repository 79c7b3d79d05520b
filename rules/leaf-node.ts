// A comparison `{ fact, operator, value }` compiled once: operator resolved, paths parsed,
// memo slots of dynamic facts assigned, its priority set (its own, else its fact's) fixed.
import type { OperatorFn, Registry } from "./plugins";
import { makeNode, type ConditionNode, type FactRead, type Outcome } from "./condition-node";
import { compilePath } from "./json-path";
import { isThenable, memoKey, type Run } from "./run-state";
import { hasOwn, isPlainObject } from "./pointer";
import type { LeafCondition } from "./types";

export type { FactRead };

export function factRead(
  registry: Registry,
  slotOf: (key: string) => number,
  name: string,
  params: Record<string, unknown> | undefined,
  path: string | undefined,
): FactRead {
  const def = registry.getFact(name);
  const p = params ?? {};
  const slot = def ? slotOf(memoKey(name, params)) : -1;
  return {
    name,
    dynamic: def !== undefined,
    def,
    slot,
    params: p,
    read: (run) => run.read(name, def, slot, p),
    path: path ? compilePath(path, name) : undefined,
  };
}

/** json-rules-engine's priority of a comparison: its own, else its (dynamic) fact's, else 1. */
export function leafPriority(leaf: LeafCondition, registry: Registry): number {
  if (leaf.priority) return leaf.priority;
  const p = registry.getFact(leaf.fact)?.priority;
  return typeof p === "number" && Number.isInteger(p) && p >= 1 ? p : 1;
}

/**
 * `loose`: how json-rules-engine counts the operator's answer here. It compares it with `=== true`
 * inside groups, but passes it on unchanged as the only condition of a rule's top-level all/any
 * (the rule then passes when it is truthy) and negates it with `!` under a `not`.
 */
export function leafNode(
  id: number,
  leaf: LeafCondition,
  op: OperatorFn,
  registry: Registry,
  slotOf: (key: string) => number,
  loose = false,
): ConditionNode {
  const fact = factRead(registry, slotOf, leaf.fact, leaf.params, leaf.path);
  const v = leaf.value;
  const ref =
    isPlainObject(v) && hasOwn(v, "fact")
      ? factRead(registry, slotOf, String(v.fact), v.params as never, v.path as string | undefined)
      : undefined;
  const params = leaf.params;

  const finish = (run: Run, fv: unknown, cv: unknown): boolean => {
    if (fact.path) fv = fact.path(fv);
    if (ref?.path) cv = ref.path(cv);
    run.factValue[id] = fv;
    run.valueResult[id] = cv;
    const r: unknown = op(fv, cv, params);
    return (run.result[id] = loose ? !!r : r === true);
  };

  const evaluate = (run: Run): Outcome => {
    // json-rules-engine asks for the value's fact first (it names that one when both are undefined).
    const cv = ref ? ref.read(run) : v;
    const fv = fact.read(run);
    if (isThenable(fv) || isThenable(cv)) return Promise.all([fv, cv]).then(([f, c]) => finish(run, f, c));
    return finish(run, fv, cv);
  };
  // Promise.all + two `.then`s; a path adds one `.then`, but only on a fact the almanac knows.
  const ticks = (run: Run) => {
    const pathTick =
      (fact.path && run.defined(fact.name, fact.dynamic)) || (ref?.path && run.defined(ref.name, ref.dynamic));
    return pathTick ? 4 : 3;
  };
  const spec = { fact, ref, value: v, op, params, loose };
  const fixed = fact.path || ref?.path ? -1 : 3;
  return makeNode(id, "leaf", leafPriority(leaf, registry), evaluate, ticks, fixed, [], spec);
}
