// Specialised code for the synchronous path: one function per rule that evaluates its condition
// tree with local variables and straight-line code instead of walking closures. The source text
// holds only indexes into an array of values and closures (`A[3]`); names, literals, operators
// and params are passed as that data, never spliced into the text, so no content can inject code.
// The generated code records the same run state (results, fact values) as the closures, so traces,
// tick counts and the asynchronous fallback read it unchanged.
import type { ConditionNode, FactRead } from "./condition-node";
import { isThenable, type Run } from "./run-state";

/** Thrown by generated code when a value is a Promise: the caller continues with the closures. */
export const ASYNC: unique symbol = Symbol("asynchronous value");

export type RuleFn = (run: Run, input: Record<string, unknown>) => boolean;

const has = Object.prototype.hasOwnProperty;
const throwAsync = () => {
  throw ASYNC;
};

/** Groups children by priority, highest first, keeping their order within a set (as groupNode does). */
function prioritySets(children: readonly ConditionNode[]): ConditionNode[][] {
  const by = new Map<number, ConditionNode[]>();
  for (const c of children) by.set(c.priority, [...(by.get(c.priority) ?? []), c]);
  return [...by.keys()].sort((a, b) => b - a).map((p) => by.get(p)!);
}

export function generateRule(root: ConditionNode): RuleFn {
  const data: unknown[] = [has, isThenable, throwAsync];
  const put = (v: unknown) => data.push(v) - 1;
  const lines: string[] = [];
  const vars: string[] = [];

  // Input first (it replaces computed facts); the run resolves dynamic facts and undefined ones.
  // A defined value needs no own-property test unless Object.prototype has the name too.
  const read = (f: FactRead, into: string) => {
    const n = put(f.name);
    const slow = `run.read(A[${n}], A[${put(f.def)}], ${f.slot}, A[${put(f.params)}])`;
    if (f.name in Object.prototype) lines.push(`${into} = A[0].call(input, A[${n}]) ? input[A[${n}]] : ${slow};`);
    else
      lines.push(
        `${into} = input[A[${n}]];`,
        `if (${into} === undefined && !A[0].call(input, A[${n}])) ${into} = ${slow};`,
      );
    lines.push(`if (${into} !== null && typeof ${into} === "object" && typeof ${into}.then === "function") A[2]();`);
  };

  const emit = (node: ConditionNode): string => {
    const v = `v${node.id}`;
    vars.push(v);
    const id = node.id;
    switch (node.kind) {
      case "leaf": {
        const s = node.leaf!;
        const c = `c${id}`;
        const f = `f${id}`;
        vars.push(c, f);
        if (s.ref) read(s.ref, c);
        else lines.push(`${c} = A[${put(s.value)}];`); // a literal from JSON is never a Promise
        read(s.fact, f);
        if (s.fact.path) lines.push(`${f} = A[${put(s.fact.path)}](${f});`);
        if (s.ref?.path) lines.push(`${c} = A[${put(s.ref.path)}](${c});`);
        lines.push(`FV[${id}] = ${f}; VR[${id}] = ${c};`);
        const call = `A[${put(s.op)}](${f}, ${c}, A[${put(s.params)}])`;
        lines.push(`${v} = R[${id}] = ${s.loose ? `!!${call}` : `${call} === true`};`);
        return v;
      }
      case "not": {
        const c = emit(node.children[0]);
        lines.push(`${v} = R[${id}] = !${c};`);
        return v;
      }
      case "ref": {
        const c = emit(node.children[0]);
        lines.push(`${v} = R[${id}] = ${c};`);
        return v;
      }
      default: {
        const all = node.kind === "all";
        const children = node.children;
        if (children.length === 0) lines.push(`${v} = R[${id}] = true;`);
        else if (children.length === 1) lines.push(`${v} = R[${id}] = ${emit(children[0])};`);
        else {
          // Every condition of a priority set is evaluated; the next set only if the result is still open.
          lines.push(`${v} = ${all};`);
          const sets = prioritySets(children);
          sets.forEach((set, i) => {
            if (i > 0) lines.push(`if (${all ? v : `!${v}`}) {`);
            const results = set.map(emit);
            lines.push(`${v} = ${results.join(all ? " && " : " || ")};`);
            if (i > 0) lines.push("}");
          });
          lines.push(`R[${id}] = ${v};`);
        }
        return v;
      }
    }
  };

  const result = emit(root);
  const body = [
    "return function rule(run, input) {",
    "const R = run.result, FV = run.factValue, VR = run.valueResult;",
    `let ${vars.join(", ")};`,
    ...lines,
    `return ${result};`,
    "};",
  ].join("\n");
  return new Function("A", body)(data) as RuleFn;
}
