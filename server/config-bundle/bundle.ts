/**
 * A tenant's configuration as one JSON document: the published version in force of every rule set,
 * policy table, reminder template and report, the custom fields, the schedules and the pack origins.
 * Unpublished drafts stay behind (a bundle carries behaviour that is in force, not work in progress);
 * `source.draftDiffers` says where a draft differs. Channel settings are left out: they hold secrets.
 * `hash` is sha256 over the canonical JSON of `assets` without each asset's `source` (the exporting
 * environment's version numbers, which a target numbers itself).
 */
import type { Knex } from "knex";
import { canonicalJson, checksum } from "../../rules/index";
import { sha256Hex } from "../../rules/sha256";
import type { DocumentStore } from "../documents/store";
import { policyTableStore } from "../policy-tables/service";
import { reminderTemplateStore } from "../reminders/store";
import { reportStore } from "../reports/service";
import { ruleSetStore } from "../rule-sets/service";

export const BUNDLE_FORMAT = "ordo-config-bundle";
export const DOC_SECTIONS = {
  ruleSets: ruleSetStore,
  policyTables: policyTableStore,
  reminderTemplates: reminderTemplateStore,
  reports: reportStore,
} as const satisfies Record<string, DocumentStore>;
export type DocSection = keyof typeof DOC_SECTIONS;
export const SECTIONS = [
  "customFields",
  "policyTables",
  "ruleSets",
  "reminderTemplates",
  "reports",
  "schedules",
  "packOrigins",
] as const;
export type Section = (typeof SECTIONS)[number];

export interface DocAsset {
  key: string;
  name: string;
  description: string | null;
  industry: string | null;
  effectiveFrom: string;
  content: Record<string, unknown>;
  source?: { version: number; checksum: string; draftDiffers: boolean };
}
export interface CustomFieldAsset {
  entity: string;
  name: string;
  label: { en: string; zh: string };
  schema: Record<string, unknown>;
  filterable: boolean;
  sortable: boolean;
}
export interface ScheduleAsset {
  jobType: string;
  cron: string;
  timezone: string;
  target: string | null;
  params: Record<string, unknown>;
  enabled: boolean;
}
export type Asset = DocAsset | CustomFieldAsset | ScheduleAsset | Record<string, unknown>;
export type Assets = { [S in DocSection]: DocAsset[] } & {
  customFields: CustomFieldAsset[];
  schedules: ScheduleAsset[];
  packOrigins: Record<string, unknown>[];
};
export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  formatVersion: 1;
  tenant: string;
  exportedAt: string;
  hash: string;
  assets: Assets;
  /** Documents with no published version in force (not exported). */
  skipped: { section: DocSection; key: string; reason: string }[];
}

const today = () => new Date().toISOString().slice(0, 10);
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The asset as a target compares it: without where it came from. */
export function comparable(asset: Asset): Record<string, unknown> {
  const { source: _s, ...rest } = asset as DocAsset;
  return rest as Record<string, unknown>;
}

/** The identity of an asset inside its section. */
export function assetId(section: Section, asset: Asset): string {
  const a = asset as Record<string, unknown>;
  if (section === "customFields") return `${a.entity}.${a.name}`;
  if (section === "schedules") return `${a.jobType}:${a.target ?? ""}`;
  if (section === "packOrigins") return typeof a.pack === "string" ? a.pack : canonicalJson(a);
  return String(a.key);
}

export function bundleHash(assets: Partial<Assets>): string {
  const stripped = Object.fromEntries(
    SECTIONS.map((s) => [s, ((assets[s] ?? []) as Asset[]).map(comparable)] as const),
  );
  return sha256Hex(canonicalJson(stripped));
}

async function docAssets(db: Knex, tenantId: string, store: DocumentStore, skipped: Bundle["skipped"], s: DocSection) {
  const rows = await db("documents").where({ tenant_id: tenantId, kind: store.opts.kind }).orderBy("key").select("key");
  const out: DocAsset[] = [];
  for (const { key } of rows as { key: string }[]) {
    const v = await store.inForce(db, tenantId, key, today());
    if (!v) {
      skipped.push({ section: s, key, reason: "no published version in force" });
      continue;
    }
    const doc = await store.get(db, tenantId, key);
    out.push({
      key,
      name: doc.name,
      description: doc.description,
      industry: doc.industry,
      effectiveFrom: String(v.effectiveFrom).slice(0, 10),
      content: v.content,
      source: { version: v.version, checksum: v.checksum, draftDiffers: checksum(store.draftOf(doc)) !== v.checksum },
    });
  }
  return out;
}

/** Rows of h5's pack_adoptions table when this database has it (migration 020); an empty list otherwise. */
export const PACK_ORIGIN_IGNORED = ["id", "tenant_id", "created_at", "updated_at", "adopted_by", "actor_id"];
export async function packOrigins(db: Knex, tenantId: string): Promise<Record<string, unknown>[]> {
  const { rows } = await db.raw("SELECT to_regclass('pack_adoptions') IS NOT NULL AS present");
  if (!rows[0]?.present) return [];
  const found = await db("pack_adoptions").where({ tenant_id: tenantId });
  return found
    .map((r: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => !PACK_ORIGIN_IGNORED.includes(k))
          .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
      ),
    )
    .sort((a: Record<string, unknown>, b: Record<string, unknown>) => byString(canonicalJson(a), canonicalJson(b)));
}

/** The tenant's current configuration as bundle assets (also the "before" side of a diff). */
export async function currentAssets(db: Knex, tenantId: string, skipped: Bundle["skipped"] = []): Promise<Assets> {
  const docs = {} as { [S in DocSection]: DocAsset[] };
  for (const s of Object.keys(DOC_SECTIONS) as DocSection[])
    docs[s] = await docAssets(db, tenantId, DOC_SECTIONS[s], skipped, s);
  const fields = await db("custom_fields").where({ tenant_id: tenantId }).orderBy(["entity", "name"]);
  const schedules = await db("schedules").where({ tenant_id: tenantId }).orderBy(["job_type", "target", "cron"]);
  return {
    ...docs,
    customFields: fields.map((r: Record<string, any>) => ({
      entity: r.entity,
      name: r.name,
      label: r.label,
      schema: r.schema,
      filterable: r.filterable,
      sortable: r.sortable,
    })),
    schedules: schedules.map((r: Record<string, any>) => ({
      jobType: r.job_type,
      cron: r.cron,
      timezone: r.timezone,
      target: r.target ?? null,
      params: r.params ?? {},
      enabled: r.enabled,
    })),
    packOrigins: await packOrigins(db, tenantId),
  };
}

export async function exportBundle(db: Knex, tenant: { id: string; slug: string }): Promise<Bundle> {
  const skipped: Bundle["skipped"] = [];
  const assets = await currentAssets(db, tenant.id, skipped);
  return {
    format: BUNDLE_FORMAT,
    formatVersion: 1,
    tenant: tenant.slug,
    exportedAt: new Date().toISOString(),
    hash: bundleHash(assets),
    assets,
    skipped,
  };
}
