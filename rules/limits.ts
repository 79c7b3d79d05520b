// Size limits, checked before anything recursive runs so that a hostile or runaway rule set
// cannot exhaust the stack. Shared conditions count at every place they are used, because
// that is what evaluation does.
import { isPlainObject, hasOwn } from "./pointer";
import type { Diagnostic } from "./types";
import { RulesError } from "./errors";
import { diagnostic } from "./i18n";

export interface Limits {
  maxDepth: number;
  maxRules: number;
  maxConditions: number;
}

export const defaultLimits: Readonly<Limits> = Object.freeze({ maxDepth: 10, maxRules: 500, maxConditions: 5000 });

/** How far a deployment may raise each limit: beyond these, compiling and tracing risk the stack and memory. */
export const limitCeilings: Readonly<Limits> = Object.freeze({
  maxDepth: 100,
  maxRules: 100_000,
  maxConditions: 1_000_000,
});

/**
 * A deployment's limits: the defaults with what it overrides, each a whole number between 1 and its
 * ceiling. Throws RulesError INVALID_LIMITS naming the limit otherwise.
 */
export function resolveLimits(overrides: Partial<Limits> = {}): Readonly<Limits> {
  const out: Limits = { ...defaultLimits };
  for (const key of Object.keys(defaultLimits) as (keyof Limits)[]) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1 || v > limitCeilings[key])
      throw new RulesError(
        "INVALID_LIMITS",
        `Limit ${key} must be a whole number from 1 to ${limitCeilings[key]}, not ${String(v)}.`,
      );
    out[key] = v;
  }
  for (const key of Object.keys(overrides))
    if (!Object.hasOwn(defaultLimits, key)) throw new RulesError("INVALID_LIMITS", `There is no limit "${key}".`);
  return Object.freeze(out);
}

interface Measure {
  depth: number;
  count: number;
}
const TOO_DEEP: Measure = { depth: Infinity, count: 0 };

export function checkLimits(content: unknown, limits: Limits): Diagnostic[] {
  if (!isPlainObject(content)) return [];
  const out: Diagnostic[] = [];
  const rules = Array.isArray(content.rules) ? content.rules : [];
  if (rules.length > limits.maxRules) {
    out.push(diagnostic("/rules", "LIMIT_RULES", "LIMIT_RULES", { count: rules.length, max: limits.maxRules }));
    return out;
  }
  const shared = isPlainObject(content.sharedConditions) ? content.sharedConditions : {};
  const memo = new Map<string, Measure>();
  const active = new Set<string>();

  const measureShared = (name: string): Measure => {
    if (!hasOwn(shared, name) || active.has(name)) return { depth: 0, count: 0 }; // reported elsewhere
    const known = memo.get(name);
    if (known) return known;
    if (active.size > limits.maxDepth * 4) return TOO_DEEP;
    active.add(name);
    const m = measure(shared[name], 1);
    active.delete(name);
    memo.set(name, m);
    return m;
  };

  // depth: the deepest level below and including `node`, counted from `level`.
  const measure = (node: unknown, level: number): Measure => {
    if (level > limits.maxDepth + 1) return TOO_DEEP;
    if (!isPlainObject(node)) return { depth: level, count: 1 };
    const children = Array.isArray(node.all)
      ? node.all
      : Array.isArray(node.any)
        ? node.any
        : hasOwn(node, "not")
          ? [node.not]
          : undefined;
    if (children) {
      let depth = level;
      let count = 1;
      for (const child of children) {
        const m = measure(child, level + 1);
        depth = Math.max(depth, m.depth);
        count += m.count;
      }
      return { depth, count };
    }
    if (typeof node.condition === "string") {
      const m = measureShared(node.condition);
      return { depth: m.depth === 0 ? level : m.depth + level - 1, count: m.count + 1 };
    }
    return { depth: level, count: 1 };
  };

  let total = 0;
  rules.forEach((rule, i) => {
    if (!isPlainObject(rule)) return;
    const m = measure(rule.conditions, 1);
    total += m.count;
    if (m.depth > limits.maxDepth) {
      out.push(
        diagnostic(`/rules/${i}/conditions`, "LIMIT_DEPTH", "LIMIT_DEPTH", {
          depth: m.depth === Infinity ? null : m.depth,
          max: limits.maxDepth,
        }),
      );
    }
  });
  for (const name of Object.keys(shared)) {
    const m = measureShared(name);
    if (m.depth > limits.maxDepth && !out.some((d) => d.code === "LIMIT_DEPTH")) {
      out.push(
        diagnostic(`/sharedConditions/${name}`, "LIMIT_DEPTH", "LIMIT_SHARED_DEPTH", { name, max: limits.maxDepth }),
      );
    }
  }
  if (total > limits.maxConditions) {
    out.push(diagnostic("/rules", "LIMIT_CONDITIONS", "LIMIT_CONDITIONS", { count: total, max: limits.maxConditions }));
  }
  return out;
}
