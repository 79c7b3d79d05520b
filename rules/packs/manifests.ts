// Pack manifests (rules/packs/<pack>/pack.json): a pack's key, names, semver version, industry, release
// history and the assets it ships by key. Rule sets, policy tables, reports and custom fields are resolved
// here from the pack files (assets.ts); reminder templates, held elsewhere, by the server's catalogue
// (server/packs/catalogue.ts), which also checks each asset's content as its kind's API does.
import socialInsurance from "./social-insurance/pack.json";
import manufacturing from "./manufacturing/pack.json";
import internet from "./internet/pack.json";
import retail from "./retail/pack.json";
import { allPacks, type RulePack } from "./index";
import { FOLDERS, type FileKind, fileKey, fileProblems, filesOf, type PackFiles } from "./assets";

export type LocalizedText = { "zh-CN": string; en: string };

export interface PackRelease {
  version: string;
  date: string;
  notes: LocalizedText;
}

export interface PackManifest {
  key: string;
  name: LocalizedText;
  description?: LocalizedText;
  /** Semantic version of the pack's latest release (the content of the files as shipped). */
  version: string;
  industry: string | null;
  assets: {
    ruleSets: string[];
    reminderTemplates: string[];
    policyTables: string[];
    reports: string[];
    customFields: string[];
  };
  /** Released versions, oldest first; the last one is `version`. */
  history: PackRelease[];
}

export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Compares two semantic versions (major.minor.patch): negative, zero or positive. */
export function compareSemver(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * Problems of a manifest (empty when sound): version format, history order, rule sets that do not exist,
 * and asset files that are missing or not of their kind's shape. `files` are the pack folder's asset files.
 */
export function manifestProblems(
  m: PackManifest,
  ruleSets: readonly RulePack[] = allPacks,
  files: PackFiles = filesOf(m.key),
): string[] {
  const problems: string[] = [];
  if (!SEMVER.test(m.version)) problems.push(`${m.key}: version "${m.version}" is not major.minor.patch`);
  const last = m.history.at(-1);
  if (!last || last.version !== m.version) problems.push(`${m.key}: the last history entry must be ${m.version}`);
  for (let i = 1; i < m.history.length; i++)
    if (compareSemver(m.history[i - 1]!.version, m.history[i]!.version) >= 0)
      problems.push(`${m.key}: history is not in increasing version order at ${m.history[i]!.version}`);
  const keys = new Set(ruleSets.map((r) => r.key));
  for (const k of m.assets.ruleSets) if (!keys.has(k)) problems.push(`${m.key}: no rule set file with key "${k}"`);
  for (const kind of Object.keys(FOLDERS) as FileKind[]) {
    const listed = m.assets[kind] ?? [];
    if (new Set(listed).size !== listed.length) problems.push(`${m.key}: ${kind} lists a key twice`);
    for (const k of listed) {
      const file = `${FOLDERS[kind]}/${k}.json`;
      const found = files[kind].find((f) => fileKey(kind, f) === k);
      if (!found) problems.push(`${m.key}: no file ${file}`);
      else for (const p of fileProblems(kind, found)) problems.push(`${m.key}: ${file}: ${p}`);
    }
  }
  return problems;
}

export const packManifests: readonly PackManifest[] = [socialInsurance, manufacturing, internet, retail].map(
  (m) => m as PackManifest,
);

/** A manifest's rule sets, resolved from the pack files by key (in manifest order). */
export function packRuleSets(m: PackManifest, ruleSets: readonly RulePack[] = allPacks): RulePack[] {
  return m.assets.ruleSets.map((k) => {
    const found = ruleSets.find((r) => r.key === k);
    if (!found) throw new Error(`pack ${m.key}: no rule set with key "${k}"`);
    return found;
  });
}

/** A manifest's files of one kind, resolved by key (in manifest order). */
export function packAssetFiles<K extends FileKind>(m: PackManifest, kind: K, files: PackFiles = filesOf(m.key)) {
  return m.assets[kind].map((k) => {
    const found = files[kind].find((f) => fileKey(kind, f) === k);
    if (!found) throw new Error(`pack ${m.key}: no file ${FOLDERS[kind]}/${k}.json`);
    return found as PackFiles[K][number];
  });
}

/** The pack a tenant of this industry gets besides the social-insurance basics, if any. */
export const packForIndustry = (industry: string | null): PackManifest | undefined =>
  industry ? packManifests.find((m) => m.industry === industry) : undefined;
