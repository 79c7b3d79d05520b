/** An incoming bundle against the tenant's configuration, asset by asset: added, removed, modified (pointers). */
import { canonicalJson, changedPointers, diffRuleSets, type RuleSetContent } from "../../rules/index";
import { type Asset, type Assets, assetId, comparable, type DocAsset, SECTIONS, type Section } from "./bundle";

export interface AssetChange {
  section: Section;
  id: string;
  change: "added" | "removed" | "modified";
  /** JSON pointers inside the asset that differ (modified only). */
  pointers?: string[];
  /** Rule sets: rule-by-rule, as GET /api/rule-sets/:key/versions/:a/diff/:b words it. */
  rules?: unknown;
}
export interface BundleDiff {
  identical: boolean;
  counts: { added: number; removed: number; modified: number; unchanged: number };
  changes: AssetChange[];
}

export function diffAssets(current: Assets, incoming: Partial<Assets>): BundleDiff {
  const changes: AssetChange[] = [];
  let unchanged = 0;
  for (const section of SECTIONS) {
    const before = new Map(((current[section] ?? []) as Asset[]).map((a) => [assetId(section, a), a]));
    const after = new Map(((incoming[section] ?? []) as Asset[]).map((a) => [assetId(section, a), a]));
    for (const [id, b] of after) {
      const a = before.get(id);
      if (!a) {
        changes.push({ section, id, change: "added" });
        continue;
      }
      const [ca, cb] = [comparable(a), comparable(b)];
      if (canonicalJson(ca) === canonicalJson(cb)) {
        unchanged++;
        continue;
      }
      const change: AssetChange = { section, id, change: "modified", pointers: changedPointers(ca, cb) };
      if (section === "ruleSets")
        change.rules = diffRuleSets(
          (a as DocAsset).content as unknown as RuleSetContent,
          (b as DocAsset).content as unknown as RuleSetContent,
        );
      changes.push(change);
    }
    for (const id of before.keys()) if (!after.has(id)) changes.push({ section, id, change: "removed" });
  }
  const count = (c: AssetChange["change"]) => changes.filter((x) => x.change === c).length;
  return {
    identical: changes.length === 0,
    counts: { added: count("added"), removed: count("removed"), modified: count("modified"), unchanged },
    changes,
  };
}
