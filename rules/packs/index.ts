// Rule packs Ordo ships: the default social-insurance lifecycle (seeded into every demo tenant) and
// small industry packs. Each file is a rule set's metadata plus its content; its test cases pass.
import type { RuleSetContent } from "../types";
import enrollment from "./social-insurance/enrollment.json";
import offboarding from "./social-insurance/offboarding.json";
import monthlyCheck from "./social-insurance/monthly-check.json";
import wageChange from "./social-insurance/wage-change.json";
import seasonal from "./manufacturing/seasonal.json";
import remote from "./internet/remote.json";
import stores from "./retail/stores.json";

export interface RulePack extends RuleSetContent {
  key: string;
  name: string;
  industry?: string;
}

const pack = (p: unknown) => p as RulePack;

/** The lifecycle rule sets the server's operations evaluate, by key. */
export const socialInsurancePack: readonly RulePack[] = [enrollment, wageChange, offboarding, monthlyCheck].map(pack);
export const industryPacks: Readonly<Record<string, readonly RulePack[]>> = {
  manufacturing: [pack(seasonal)],
  internet: [pack(remote)],
  retail: [pack(stores)],
};
export const allPacks: readonly RulePack[] = [...socialInsurancePack, ...Object.values(industryPacks).flat()];

/** Splits a pack into document metadata and versioned content. */
export function packParts(p: RulePack): {
  meta: { key: string; name: string; description?: string; industry?: string };
  content: RuleSetContent;
} {
  const { key, name, industry, description, ...content } = p;
  return {
    meta: { key, name, description, industry },
    content: { ...(description ? { description } : {}), ...content },
  };
}

// Pack manifests with versions and their loader (see manifests.ts).
export {
  compareSemver,
  manifestProblems,
  packForIndustry,
  packAssetFiles,
  packManifests,
  packRuleSets,
  type PackManifest,
  type PackRelease,
} from "./manifests";
// The packs' policy tables, reports and custom fields, one file each (see assets.ts).
export {
  customFieldKey,
  FOLDERS,
  fileKey,
  fileProblems,
  filesOf,
  type CustomFieldFile,
  type FileKind,
  type PackFiles,
  type PolicyTableFile,
  type PolicyTableTestCase,
  type ReportFile,
} from "./assets";
