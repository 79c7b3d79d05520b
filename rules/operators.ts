// Operator lookup with json-rules-engine 7's decorators: "not:equal", "someFact:greaterThan",
// "everyFact:not:in"... The leftmost decorator is the outermost, as in its operator-map.js.
import type { OperatorFn, Registry } from "./plugins";

type Next = (factValue: unknown, compareValue: unknown) => boolean;
interface Decorator {
  validate?: (factValue: unknown) => boolean;
  apply: (factValue: any, compareValue: any, next: Next) => boolean;
  description: string;
}

export const decorators: Readonly<Record<string, Decorator>> = Object.freeze({
  someFact: {
    validate: Array.isArray,
    apply: (fv, cv, next) => fv.some((v: unknown) => next(v, cv)),
    description: "true when some element of the fact (a list) passes the operator",
  },
  someValue: {
    apply: (fv, cv, next) => cv.some((v: unknown) => next(fv, v)),
    description: "true when the fact passes the operator against some element of the value (a list)",
  },
  everyFact: {
    validate: Array.isArray,
    apply: (fv, cv, next) => fv.every((v: unknown) => next(v, cv)),
    description: "true when every element of the fact (a list) passes the operator",
  },
  everyValue: {
    apply: (fv, cv, next) => cv.every((v: unknown) => next(fv, v)),
    description: "true when the fact passes the operator against every element of the value (a list)",
  },
  swap: { apply: (fv, cv, next) => next(cv, fv), description: "swaps the fact and the value" },
  not: { apply: (fv, cv, next) => !next(fv, cv), description: "negates the operator" },
});

/** Splits "everyFact:not:in" into decorators ["everyFact","not"] and operator "in", or undefined if unknown. */
export function parseOperator(registry: Registry, name: string): { decorators: string[]; base: string } | undefined {
  const names: string[] = [];
  let rest = name;
  while (!registry.getOperator(rest)) {
    const colon = rest.indexOf(":");
    if (colon <= 0) return undefined;
    const decorator = rest.slice(0, colon);
    if (!Object.hasOwn(decorators, decorator)) return undefined;
    names.push(decorator);
    rest = rest.slice(colon + 1);
  }
  return { decorators: names, base: rest };
}

export function resolveOperator(registry: Registry, name: string): OperatorFn | undefined {
  const parsed = parseOperator(registry, name);
  if (!parsed) return undefined;
  let fn: OperatorFn = registry.getOperator(parsed.base)!.fn;
  for (let i = parsed.decorators.length - 1; i >= 0; i--) {
    const { validate, apply } = decorators[parsed.decorators[i]];
    const inner = fn;
    fn = (fv, cv, params) => (!validate || validate(fv)) && apply(fv, cv, (a, b) => inner(a, b, params));
  }
  return fn;
}
