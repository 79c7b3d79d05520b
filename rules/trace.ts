// The explanation of one rule's evaluation, built from the run's recorded values on demand so
// that bulk evaluations do not pay for traces nobody reads. `result` is absent where
// evaluation stopped early (json-rules-engine short-circuits the same conditions).
import type { ConditionNode } from "./condition-node";
import type { Run } from "./run-state";
import type { Condition, LeafCondition, TopLevelCondition } from "./types";

export type TraceNode =
  | {
      fact: string;
      operator: string;
      value: unknown;
      path?: string;
      params?: Record<string, unknown>;
      factValue?: unknown;
      valueResult?: unknown;
      result?: boolean;
    }
  | { all: TraceNode[]; result?: boolean }
  | { any: TraceNode[]; result?: boolean }
  | { not: TraceNode; result?: boolean }
  | { condition: string; result?: boolean; resolved: TraceNode };

/** Node ids follow the order `build` visited the source, so the source can be walked in step. */
export function traceOf(
  source: Condition,
  node: ConditionNode,
  run: Run,
  shared: Record<string, TopLevelCondition>,
): TraceNode {
  let next = node.id;
  const walk = (c: Condition): TraceNode => {
    const id = next++;
    const result = run.result[id];
    const withResult = <T extends object>(t: T): T & { result?: boolean } =>
      result === undefined ? t : { ...t, result };
    if ("all" in c) return withResult({ all: c.all.map(walk) });
    if ("any" in c) return withResult({ any: c.any.map(walk) });
    if ("not" in c) return withResult({ not: walk(c.not) });
    if ("condition" in c) return withResult({ condition: c.condition, resolved: walk(shared[c.condition]) });
    const leaf = c as LeafCondition;
    const t: TraceNode = { fact: leaf.fact, operator: leaf.operator, value: leaf.value };
    if (leaf.path !== undefined) t.path = leaf.path;
    if (leaf.params !== undefined) t.params = leaf.params;
    if (result !== undefined) {
      t.factValue = run.factValue[id];
      if (leaf.value !== null && typeof leaf.value === "object" && "fact" in leaf.value)
        t.valueResult = run.valueResult[id];
      t.result = result;
    }
    return t;
  };
  return walk(source);
}
