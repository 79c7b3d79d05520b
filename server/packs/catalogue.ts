/**
 * The packs Ordo ships, resolved from their manifests (rules/packs/<pack>/pack.json): each asset with its
 * document kind, metadata and content as a tenant would receive it, and checksums of both.
 */
import { checksum } from "../../rules/index";
import { allPacks, packManifests, packParts, packRuleSets, type PackManifest } from "../../rules/packs/index";
import type { Content, DocumentStore } from "../documents/store";
import { templatePack, type TemplatePackEntry } from "../reminders/pack";
import { reminderTemplateStore } from "../reminders/store";
import { ruleSetStore } from "../rule-sets/service";

export type AssetKind = "rule-set" | "reminder-template";
export const ASSET_KINDS: readonly AssetKind[] = ["rule-set", "reminder-template"];

export interface PackAsset {
  kind: AssetKind;
  key: string;
  meta: { key: string; name: string; description?: string; industry?: string };
  content: Content;
  checksum: string;
}

export interface Pack {
  manifest: PackManifest;
  assets: PackAsset[];
  /** Over every asset's checksum: changes whenever the shipped content does. */
  checksum: string;
}

export const storeOf = (kind: AssetKind): DocumentStore => (kind === "rule-set" ? ruleSetStore : reminderTemplateStore);

/**
 * The content as a published version of the tenant holds it: only the kind's content fields (the
 * installers' create + publish keep no others), so the checksums compare like with like.
 */
const published = (store: DocumentStore, content: Content) =>
  Object.fromEntries(store.opts.contentFields.filter((f) => content[f] !== undefined).map((f) => [f, content[f]]));

export const assetId = (a: { kind: string; key: string }) => `${a.kind}/${a.key}`;

function templateAsset(m: PackManifest, key: string, templates: readonly TemplatePackEntry[]): PackAsset {
  const entry = templates.find((t) => t.key === key);
  if (!entry) throw new Error(`pack ${m.key}: no reminder template with key "${key}"`);
  const { key: _k, name, description, ...rest } = entry;
  const store = reminderTemplateStore;
  const content = published(store, store.contentOf(rest, store.opts.emptyContent()));
  return { kind: "reminder-template", key, meta: { key, name, description }, content, checksum: checksum(content) };
}

/** Builds a pack from its manifest; the sources default to the files Ordo ships (tests pass others). */
export function buildPack(
  manifest: PackManifest,
  sources: { ruleSets?: typeof allPacks; templates?: readonly TemplatePackEntry[] } = {},
): Pack {
  const ruleSets = packRuleSets(manifest, sources.ruleSets ?? allPacks).map((p): PackAsset => {
    const { meta, content: all } = packParts(p);
    const content = published(ruleSetStore, all as unknown as Content);
    return { kind: "rule-set", key: meta.key, meta, content, checksum: checksum(content) };
  });
  const templates = manifest.assets.reminderTemplates.map((k) =>
    templateAsset(manifest, k, sources.templates ?? templatePack),
  );
  const assets = [...ruleSets, ...templates];
  return { manifest, assets, checksum: checksum(assets.map((a) => [assetId(a), a.checksum])) };
}

export const defaultCatalogue: readonly Pack[] = packManifests.map((m) => buildPack(m));
