// A comparison `{ fact, operator, value }` compiled once: operator resolved, paths parsed,
// memo slots of dynamic facts assigned.
import type { OperatorFn, Registry } from "./plugins";
import { makeNode, type ConditionNode, type Outcome } from "./condition-node";
import { compilePath } from "./json-path";
import { isThenable, memoKey, type Run } from "./run-state";
import { hasOwn, isPlainObject } from "./pointer";
import type { LeafCondition } from "./types";

interface FactRead {
  name: string;
  dynamic: boolean;
  read: (run: Run) => unknown;
  path?: (v: unknown) => unknown;
}

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
    read: (run) => run.read(name, def, slot, p),
    path: path ? compilePath(path) : undefined,
  };
}

export function leafNode(
  id: number,
  leaf: LeafCondition,
  op: OperatorFn,
  registry: Registry,
  slotOf: (key: string) => number,
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
    return (run.result[id] = op(fv, cv, params) === true);
  };

  const evaluate = (run: Run): Outcome => {
    const fv = fact.read(run);
    const cv = ref ? ref.read(run) : v;
    if (isThenable(fv) || isThenable(cv)) return Promise.all([fv, cv]).then(([f, c]) => finish(run, f, c));
    return finish(run, fv, cv);
  };
  // Promise.all + two `.then`s; a path adds one `.then`, but only on a fact the almanac knows.
  const ticks = (run: Run) => {
    const pathTick =
      (fact.path && run.defined(fact.name, fact.dynamic)) || (ref?.path && run.defined(ref.name, ref.dynamic));
    return pathTick ? 4 : 3;
  };
  // Ordo facts have no priority of their own, i.e. json-rules-engine's default 1.
  return makeNode(id, "leaf", leaf.priority ?? 1, evaluate, ticks, fact.path || ref?.path ? -1 : 3);
}
