/**
 * A pack asset's diff in the format of its kind's version diffs: rule sets rule by rule (rules/diff.ts),
 * plus the pointers of what changed outside the rules (test cases, options); policy tables by column and
 * row (a row is its key and effectiveFrom); reminder templates, reports and custom fields by JSON pointer
 * with the values before and after.
 */
import { changedPointers, diffRuleSets, type RuleSetContent } from "../../rules/index";
import type { Content } from "../documents/store";
import { tableContentDiff } from "../policy-tables/service";

const at = (doc: unknown, pointer: string): unknown => {
  let v = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const t = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, t)) return undefined;
    v = (v as Record<string, unknown>)[t];
  }
  return v;
};

/** Changes from `a` to `b` as added, removed and modified JSON pointers with their values. */
export function pointerDiff(a: unknown, b: unknown) {
  const out = {
    added: [] as { pointer: string; after: unknown }[],
    removed: [] as { pointer: string; before: unknown }[],
    modified: [] as { pointer: string; before: unknown; after: unknown }[],
  };
  for (const pointer of changedPointers(a, b)) {
    const before = at(a, pointer);
    const after = at(b, pointer);
    if (before === undefined) out.added.push({ pointer, after });
    else if (after === undefined) out.removed.push({ pointer, before });
    else out.modified.push({ pointer, before, after });
  }
  return out;
}

export function assetDiff(kind: string, from: Content, to: Content) {
  if (kind === "policy-table") return tableContentDiff(from, to);
  if (kind !== "rule-set") return pointerDiff(from, to);
  const { rules: _a, facts: _b, sharedConditions: _c, ...restFrom } = from;
  const { rules: _d, facts: _e, sharedConditions: _f, ...restTo } = to;
  return {
    ...diffRuleSets(from as unknown as RuleSetContent, to as unknown as RuleSetContent),
    other: changedPointers(restFrom, restTo),
  };
}
