// Version diffs, rule by rule: rules are matched by name, unnamed rules by position, and a
// modified rule lists the JSON pointers (inside the rule) that changed.
import { canonicalJson } from "./canonical-json";
import { escapeToken, isPlainObject, ruleLabel } from "./pointer";
import type { Rule, RuleSetContent } from "./types";

export interface RuleRef {
  /** Name, or `#<index>` when unnamed. */
  rule: string;
  index: number;
}

export interface NamedDiff {
  added: string[];
  removed: string[];
  modified: string[];
}

export interface RuleSetDiff {
  added: RuleRef[];
  removed: RuleRef[];
  modified: { rule: string; pointers: string[] }[];
  facts: NamedDiff;
  sharedConditions: NamedDiff;
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** JSON pointers where `b` differs from `a`: changed leaves, added and removed members. */
export function changedPointers(a: unknown, b: unknown, base = ""): string[] {
  if (same(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) out.push(`${base}/${i}`);
      else out.push(...changedPointers(a[i], b[i], `${base}/${i}`));
    }
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) =>
      k in a && k in b ? changedPointers(a[k], b[k], `${base}/${escapeToken(k)}`) : [`${base}/${escapeToken(k)}`],
    );
  }
  return [base];
}

function diffNamed(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): NamedDiff {
  return {
    added: Object.keys(b).filter((k) => !(k in a)),
    removed: Object.keys(a).filter((k) => !(k in b)),
    modified: Object.keys(a).filter((k) => k in b && !same(a[k], b[k])),
  };
}

const key = (rule: Rule, index: number) =>
  typeof rule.name === "string" && rule.name !== "" ? `name:${rule.name}` : `index:${index}`;

export function diffRuleSets(a: RuleSetContent, b: RuleSetContent): RuleSetDiff {
  const before = new Map(a.rules.map((r, i) => [key(r, i), { rule: r, index: i }] as const));
  const after = new Map(b.rules.map((r, i) => [key(r, i), { rule: r, index: i }] as const));
  const added: RuleRef[] = [];
  const modified: RuleSetDiff["modified"] = [];
  for (const [k, { rule, index }] of after) {
    const old = before.get(k);
    if (!old) added.push({ rule: ruleLabel(rule, index), index });
    else {
      const pointers = changedPointers(old.rule, rule);
      if (pointers.length > 0) modified.push({ rule: ruleLabel(rule, index), pointers });
    }
  }
  const removed = [...before]
    .filter(([k]) => !after.has(k))
    .map(([, { rule, index }]) => ({ rule: ruleLabel(rule, index), index }));
  return {
    added,
    removed,
    modified,
    facts: diffNamed(a.facts, b.facts),
    sharedConditions: diffNamed(a.sharedConditions, b.sharedConditions),
  };
}
