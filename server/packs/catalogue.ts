/**
 * The packs Ordo ships, resolved from their manifests (rules/packs/<pack>/pack.json): each asset with its
 * kind, metadata and content as a tenant would receive it, and checksums of both. A pack is checked once,
 * when it is built: its manifest and files (manifestProblems), and each asset's content as its kind's API
 * checks it; a pack with a problem is not built.
 */
import { checksum } from "../../rules/index";
import {
  allPacks,
  customFieldKey,
  FOLDERS,
  fileKey,
  filesOf,
  manifestProblems,
  packAssetFiles,
  packManifests,
  packParts,
  packRuleSets,
  type FileKind,
  type PackFiles,
  type PackManifest,
  type PolicyTableTestCase,
} from "../../rules/packs/index";
import { AppError } from "../errors";
import type { Content, DocumentStore } from "../documents/store";
import { EntityRegistry } from "../entities/registry";
import { coreEntities } from "../entities/core";
import { checkContent, policyTableStore } from "../policy-tables/service";
import { templatePack, type TemplatePackEntry } from "../reminders/pack";
import { reminderTemplateStore } from "../reminders/store";
import { checkReport, checkReportKey, type CustomFieldRow, reportStore } from "../reports/service";
import type { ReportSpec } from "../reports/spec";
import { ruleSetStore } from "../rule-sets/service";

export type AssetKind = "rule-set" | "reminder-template" | "policy-table" | "report" | "custom-field";
/** In the order an adoption writes them: custom fields first, as a report may read one. */
export const ASSET_KINDS: readonly AssetKind[] = [
  "custom-field",
  "policy-table",
  "rule-set",
  "reminder-template",
  "report",
];
export type DocumentKind = Exclude<AssetKind, "custom-field">;

export interface PackAsset {
  kind: AssetKind;
  key: string;
  meta: { key: string; name: string; description?: string; industry?: string };
  content: Content;
  checksum: string;
  /** Checks shipped beside content that has no test cases of its own (policy-table lookups). */
  testCases?: PolicyTableTestCase[];
}

export interface Pack {
  manifest: PackManifest;
  assets: PackAsset[];
  /** Over every asset's checksum: changes whenever the shipped content does. */
  checksum: string;
}

const STORES: Record<DocumentKind, DocumentStore> = {
  "rule-set": ruleSetStore,
  "reminder-template": reminderTemplateStore,
  "policy-table": policyTableStore,
  report: reportStore,
};
export const storeOf = (kind: DocumentKind): DocumentStore => STORES[kind];

/**
 * The content as a published version of the tenant holds it: only the kind's content fields (the
 * installers' create + publish keep no others), so the checksums compare like with like.
 */
const published = (store: DocumentStore, content: Content) =>
  Object.fromEntries(store.opts.contentFields.filter((f) => content[f] !== undefined).map((f) => [f, content[f]]));

export const assetId = (a: { kind: string; key: string }) => `${a.kind}/${a.key}`;

const asset = (kind: AssetKind, meta: PackAsset["meta"], content: Content): PackAsset => ({
  kind,
  key: meta.key,
  meta,
  content,
  checksum: checksum(content),
});

function templateAsset(m: PackManifest, key: string, templates: readonly TemplatePackEntry[]): PackAsset {
  const entry = templates.find((t) => t.key === key);
  if (!entry) throw new Error(`pack ${m.key}: no reminder template with key "${key}"`);
  const { key: _k, name, description, ...rest } = entry;
  const store = reminderTemplateStore;
  const content = published(store, store.contentOf(rest, store.opts.emptyContent()));
  return asset("reminder-template", { key, name, description }, content);
}

let entities: EntityRegistry | undefined;
/** Pack custom fields go on core entities (employees, org units); checked against their declarations. */
export const packEntities = () => (entities ??= new EntityRegistry(coreEntities));

/** An API error of a file's content as a problem line: the JSON pointers and what is wrong at each. */
function describe(err: AppError): string {
  const errors = Object.entries(err.errors ?? {});
  return `${err.code} ${errors.length ? errors.map(([p, why]) => `${p}: ${why}`).join("; ") : err.message}`;
}

/**
 * The assets of a pack's files, each content checked (and normalised) as its kind's API checks it on save;
 * what an API refuses is added to `problems`, naming the file.
 */
function fileAssets(m: PackManifest, files: PackFiles, problems: string[]): PackAsset[] {
  const out: PackAsset[] = [];
  const each = <K extends FileKind>(kind: K, make: (f: PackFiles[K][number]) => PackAsset) => {
    for (const f of packAssetFiles(m, kind, files))
      try {
        out.push(make(f));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        problems.push(`${m.key}: ${FOLDERS[kind]}/${fileKey(kind, f)}.json: ${describe(err)}`);
      }
  };
  each("customFields", (f) => {
    const { entity, ...body } = f;
    const def = packEntities().checkCustomField(entity, body);
    return asset("custom-field", { key: customFieldKey(f), name: def.label.zh }, { entity, ...def } as Content);
  });
  // A report may read the pack's own custom fields.
  const fields = out.map((a) => a.content as unknown as CustomFieldRow);
  each("policyTables", (f) => {
    const { key, name, description, testCases, ...rest } = f;
    const meta = { key, name, ...(description ? { description } : {}) };
    const content = published(policyTableStore, checkContent(meta, policyTableStore.contentOf(rest, {})));
    return { ...asset("policy-table", meta, content), ...(testCases ? { testCases } : {}) };
  });
  each("reports", (f) => {
    checkReportKey(f.key);
    const content = published(reportStore, reportStore.contentOf(f.spec, {}));
    checkReport(content as unknown as ReportSpec, fields);
    return asset(
      "report",
      { key: f.key, name: f.name, ...(f.description ? { description: f.description } : {}) },
      content,
    );
  });
  // Listed as the manifest lists them: tables, reports, then custom fields.
  const order: AssetKind[] = ["policy-table", "report", "custom-field"];
  return out.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

export interface PackSources {
  ruleSets?: typeof allPacks;
  templates?: readonly TemplatePackEntry[];
  files?: PackFiles;
}

/** What is wrong with a pack (empty when sound): its manifest and files, then each file's content. */
export function packProblems(manifest: PackManifest, sources: PackSources = {}): string[] {
  const files = sources.files ?? filesOf(manifest.key);
  const problems = manifestProblems(manifest, sources.ruleSets ?? allPacks, files);
  const templates = sources.templates ?? templatePack;
  for (const k of manifest.assets.reminderTemplates)
    if (!templates.some((t) => t.key === k)) problems.push(`${manifest.key}: no reminder template with key "${k}"`);
  if (!problems.length) fileAssets(manifest, files, problems);
  return problems;
}

/** Builds a pack from its manifest; the sources default to the files Ordo ships (tests pass others). */
export function buildPack(manifest: PackManifest, sources: PackSources = {}): Pack {
  const problems = packProblems(manifest, sources);
  if (problems.length) throw new Error(`pack ${manifest.key} is not sound:\n${problems.join("\n")}`);
  const ruleSets = packRuleSets(manifest, sources.ruleSets ?? allPacks).map((p): PackAsset => {
    const { meta, content: all } = packParts(p);
    return asset("rule-set", meta, published(ruleSetStore, all as unknown as Content));
  });
  const templates = manifest.assets.reminderTemplates.map((k) =>
    templateAsset(manifest, k, sources.templates ?? templatePack),
  );
  const files = fileAssets(manifest, sources.files ?? filesOf(manifest.key), []);
  const assets = [...ruleSets, ...templates, ...files];
  return { manifest, assets, checksum: checksum(assets.map((a) => [assetId(a), a.checksum])) };
}

let shipped: readonly Pack[] | undefined;
/** The packs Ordo ships, built on first use (their checks need the entity declarations loaded). */
export const defaultCatalogue = (): readonly Pack[] => (shipped ??= packManifests.map((m) => buildPack(m)));
