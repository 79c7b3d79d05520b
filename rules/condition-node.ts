// A condition compiled once into closures. `evaluate` returns a boolean, or a Promise only when
// an asynchronous fact is involved, so synchronous rule sets never allocate a Promise.
// `ticks` reproduces json-rules-engine's microtask count for the node, which decides the order
// in which rules of one priority finish and therefore the order of their events.
import type { Run } from "./run-state";
import type { FactDef } from "./plugins";
import { isThenable } from "./run-state";

export type Outcome = boolean | Promise<boolean>;

export interface ConditionNode {
  readonly id: number;
  readonly kind: "leaf" | "all" | "any" | "not" | "ref";
  /** Priority used when this node is grouped by its parent (json-rules-engine's prioritizeConditions). */
  readonly priority: number;
  evaluate(run: Run): Outcome;
  /** Microtasks json-rules-engine spends on this node when it is nested in a group. */
  ticks(run: Run): number;
  /** The same when it does not depend on the run (no short-circuit between priority sets, no path), else -1. */
  readonly staticTicks: number;
  /** Children (the target of a reference), for the code generator. */
  readonly children: readonly ConditionNode[];
  /** A comparison's compiled parts, for the code generator. */
  readonly leaf: LeafSpec | undefined;
}

/** What the code generator needs of a comparison (see codegen.ts). */
export interface LeafSpec {
  fact: FactRead;
  ref: FactRead | undefined;
  value: unknown;
  op: (factValue: unknown, compareValue: unknown, params?: Record<string, unknown>) => unknown;
  params: Record<string, unknown> | undefined;
  loose: boolean;
}

/** A fact read compiled once: the memo slot and params of a dynamic fact, the compiled path. */
export interface FactRead {
  name: string;
  dynamic: boolean;
  def: FactDef | undefined;
  slot: number;
  params: Record<string, unknown>;
  read: (run: Run) => unknown;
  path?: (v: unknown) => unknown;
}

/** All nodes share one shape so that calls through `evaluate` stay monomorphic. */
export function makeNode(
  id: number,
  kind: ConditionNode["kind"],
  priority: number,
  evaluate: (run: Run) => Outcome,
  dynamicTicks: (run: Run) => number,
  staticTicks: number,
  children: readonly ConditionNode[] = [],
  leaf?: LeafSpec,
): ConditionNode {
  const ticks = staticTicks >= 0 ? () => staticTicks : dynamicTicks;
  return { id, kind, priority, evaluate, ticks, staticTicks, children, leaf };
}

const ignore = () => undefined;
/** When a sibling throws, the evaluation fails once; pending siblings must not also surface as unhandled. */
export function settle(pending: Promise<unknown>[] | undefined): void {
  if (pending) for (const p of pending) p.then(undefined, ignore);
}

export const record = (run: Run, id: number, result: boolean): boolean => ((run.result[id] = result), result);

export function groupNode(id: number, kind: "all" | "any", priority: number, children: ConditionNode[]): ConditionNode {
  const isAll = kind === "all";
  // Sets of equal priority, highest first; within a set every condition is evaluated.
  const byPriority = new Map<number, ConditionNode[]>();
  for (const c of children) byPriority.set(c.priority, [...(byPriority.get(c.priority) ?? []), c]);
  const sets = [...byPriority.keys()].sort((a, b) => b - a).map((p) => byPriority.get(p)!);

  const runSets = (run: Run, from: number): Outcome => {
    for (let i = from; i < sets.length; i++) {
      const set = sets[i];
      let pass = isAll;
      let pending: Promise<boolean>[] | undefined;
      try {
        for (let j = 0; j < set.length; j++) {
          const r = set[j].evaluate(run);
          if (r === true) pass = isAll ? pass : true;
          else if (r === false) pass = isAll ? false : pass;
          else (pending ??= []).push(r);
        }
      } catch (e) {
        settle(pending);
        throw e;
      }
      if (pending) {
        return Promise.all(pending).then((rs) => {
          for (const r of rs) pass = isAll ? pass && r : pass || r;
          return pass === isAll ? runSets(run, i + 1) : record(run, id, pass);
        });
      }
      if (pass !== isAll) return record(run, id, pass);
    }
    return record(run, id, isAll);
  };

  const evaluate =
    children.length === 0
      ? (run: Run) => record(run, id, true) // json-rules-engine: an empty all/any passes
      : children.length === 1
        ? (run: Run) => {
            const r = children[0].evaluate(run);
            return isThenable(r) ? r.then((v) => record(run, id, v)) : record(run, id, r);
          }
        : (run: Run) => runSets(run, 0);

  const ticks = (run: Run): number => {
    if (children.length === 0) return 1;
    if (children.length === 1) return children[0].ticks(run) + 1;
    let t = 1;
    for (const set of sets) {
      if (run.result[set[0].id] === undefined)
        t += 1; // short-circuited: one `.then` on the cursor
      else {
        let max = 0;
        for (const c of set) max = Math.max(max, c.ticks(run));
        t += max + 4;
      }
    }
    return t;
  };
  const fixed =
    children.length === 0
      ? 1
      : children.length === 1
        ? children[0].staticTicks >= 0
          ? children[0].staticTicks + 1
          : -1
        : sets.length === 1 && children.every((c) => c.staticTicks >= 0)
          ? 1 + Math.max(...children.map((c) => c.staticTicks)) + 4
          : -1;
  return makeNode(id, kind, priority, evaluate, ticks, fixed, children);
}

export function notNode(id: number, priority: number, child: ConditionNode): ConditionNode {
  const evaluate = (run: Run): Outcome => {
    const r = child.evaluate(run);
    return isThenable(r) ? r.then((v) => record(run, id, !v)) : record(run, id, !r);
  };
  return makeNode(
    id,
    "not",
    priority,
    evaluate,
    (run) => child.ticks(run) + 2,
    child.staticTicks >= 0 ? child.staticTicks + 2 : -1,
    [child],
  );
}

export function refNode(id: number, priority: number, target: ConditionNode): ConditionNode {
  const evaluate = (run: Run): Outcome => {
    const r = target.evaluate(run);
    return isThenable(r) ? r.then((v) => record(run, id, v)) : record(run, id, r);
  };
  return makeNode(id, "ref", priority, evaluate, (run) => target.ticks(run), target.staticTicks, [target]);
}

/** Ticks of a rule's top-level condition: json-rules-engine calls all/any/not directly there. */
export const topTicks = (node: ConditionNode, run: Run): number =>
  node.kind === "ref" ? node.ticks(run) : node.ticks(run) - 1;
