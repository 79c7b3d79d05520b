/**
 * Importing a bundle: every asset is validated and every test case run first (rule sets, reminder
 * templates); then all of it is written in one transaction through the same services the API uses
 * (so their validation applies), publishing a new version where the content in force differs. A dry run
 * does the same writes, replays recorded decisions (shadow.ts) and rolls everything back. An import adds
 * and modifies; it never deletes an asset the target has and the bundle lacks (the diff lists those).
 */
import type { Knex } from "knex";
import { canonicalJson, checksum, runTestCases, type RuleSetContent } from "../../rules/index";
import type { AuthUser } from "../auth/service";
import { AppError, fail } from "../errors";
import type { AppContext } from "../http/context";
import { validateBody } from "../http/validate";
import { customFieldInputSchema } from "../entities/registry";
import { EntityRepository } from "../entities/repository";
import { checkContent, publishTable } from "../policy-tables/service";
import { checkTemplate, type TemplateContent } from "../reminders/content";
import { ReminderTemplateService } from "../reminders/templates";
import { ReportService, reportStore, specOf } from "../reports/service";
import {
  type Assets,
  assetId,
  type Bundle,
  bundleHash,
  type CustomFieldAsset,
  currentAssets,
  DOC_SECTIONS,
  type DocAsset,
  type DocSection,
  PACK_ORIGIN_IGNORED,
  type ScheduleAsset,
  SECTIONS,
  type Section,
} from "./bundle";
import { type BundleDiff, diffAssets } from "./diff";
import { replayAfter, replayBefore, type ShadowReport } from "./shadow";

export interface ImportInput {
  bundle: Bundle;
  mode: "dry-run" | "apply";
  /** How many recorded decisions a dry run replays (the latest first). */
  decisions?: number;
}
export interface ImportResult {
  mode: "dry-run" | "apply";
  applied: boolean;
  hash: string;
  diff: BundleDiff;
  written: { section: Section; id: string; action: "created" | "published" | "updated" | "renamed" }[];
  warnings: string[];
  shadow?: ShadowReport;
}

const today = () => new Date().toISOString().slice(0, 10);
class DryRunDone extends Error {
  constructor(readonly result: ImportResult) {
    super("dry run");
  }
}

/** Where inside an asset an error of a service points (its own pointer, or the field it names). */
function innerPointer(err: AppError, doc: boolean): string {
  const p = err.params.pointer;
  if (typeof p === "string" && p.startsWith("/")) return doc ? `/content${p === "/" ? "" : p}` : p;
  const first = Object.keys(err.errors ?? {})[0];
  if (first) return first.startsWith("/") ? first : `/${first.replace(/\./g, "/")}`;
  const field = (err.details as { field?: unknown } | undefined)?.field;
  return typeof field === "string" ? `/${field}` : "";
}

/** Re-raises a service's 4xx as the bundle's error naming the asset and the JSON pointer. */
function assetError(section: Section, index: number, id: string, err: unknown, doc = false): never {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  const asset = `${section}/${id}`;
  if (err.code === "TESTS_FAILED")
    throw fail(
      "BUNDLE_TESTS_FAILED",
      { asset, names: String(err.params.names ?? "") },
      { details: { asset, results: (err.details as { results?: unknown })?.results } },
    );
  const pointer = `/assets/${section}/${index}${innerPointer(err, doc)}`;
  throw fail(
    "INVALID_BUNDLE_ASSET",
    { asset, pointer, problem: err.message },
    {
      details: { asset, section, id, pointer, code: err.code, details: err.details },
      errors: { [pointer]: err.message },
    },
  );
}

function checkShape(bundle: Bundle): void {
  if (bundle.hash !== undefined && bundle.hash !== bundleHash(bundle.assets))
    throw fail(
      "INVALID_BUNDLE",
      { pointer: "/bundle/hash", problem: "does not match the assets (changed after export: remove or recompute it)" },
      { details: { pointer: "/bundle/hash", computed: bundleHash(bundle.assets) } },
    );
  for (const section of SECTIONS) {
    const seen = new Set<string>();
    ((bundle.assets[section] ?? []) as Record<string, unknown>[]).forEach((a, i) => {
      const id = assetId(section, a);
      if (seen.has(id))
        throw fail("INVALID_BUNDLE_ASSET", {
          asset: `${section}/${id}`,
          pointer: `/assets/${section}/${i}`,
          problem: "appears twice",
        });
      seen.add(id);
      if (!(section in DOC_SECTIONS)) return;
      const fields = DOC_SECTIONS[section as DocSection].opts.contentFields;
      for (const k of Object.keys((a as unknown as DocAsset).content))
        if (!fields.includes(k))
          throw fail("INVALID_BUNDLE_ASSET", {
            asset: `${section}/${id}`,
            pointer: `/assets/${section}/${i}/content/${k}`,
            problem: `is not a content field (${fields.join(", ")})`,
          });
    });
  }
}

export class BundleImporter {
  private readonly templates: ReminderTemplateService;
  private readonly reports = new ReportService();
  constructor(private readonly ctx: AppContext) {
    this.templates = new ReminderTemplateService(ctx.rules.registry);
  }

  /** Validation and test cases of rule sets and templates, before anything is written; all failures at once. */
  private async preflight(tenantId: string, assets: Partial<Assets>): Promise<void> {
    const failed: { asset: string; results: unknown[] }[] = [];
    for (const [i, a] of (assets.ruleSets ?? []).entries()) {
      let results: Awaited<ReturnType<typeof runTestCases>>;
      try {
        this.ctx.rules.check(a.content);
        const content = a.content as unknown as RuleSetContent;
        const r = { key: a.key, version: "draft" as const, content, checksum: checksum(content) };
        results = await runTestCases(this.ctx.rules.compile(tenantId, r), content.testCases ?? []);
      } catch (err) {
        assetError("ruleSets", i, a.key, err, true);
      }
      if (results.some((r) => !r.passed)) failed.push({ asset: `ruleSets/${a.key}`, results });
    }
    for (const [i, a] of (assets.reminderTemplates ?? []).entries()) {
      try {
        checkTemplate(a.content, this.ctx.rules.registry);
      } catch (err) {
        assetError("reminderTemplates", i, a.key, err, true);
      }
      const results = await this.templates.runTestCases(a.content as unknown as TemplateContent);
      if (results.some((r) => !r.passed)) failed.push({ asset: `reminderTemplates/${a.key}`, results });
    }
    if (failed.length)
      throw fail(
        "BUNDLE_TESTS_FAILED",
        { asset: failed.map((f) => f.asset).join(", "), names: failed.length },
        { details: { failed } },
      );
  }

  async run(tenant: { id: string; slug: string }, user: AuthUser, input: ImportInput): Promise<ImportResult> {
    const { bundle, mode } = input;
    checkShape(bundle);
    await this.preflight(tenant.id, bundle.assets);
    try {
      return await this.ctx.db.transaction(async (trx) => {
        const diff = diffAssets(await currentAssets(trx, tenant.id), bundle.assets);
        const base = mode === "dry-run" ? await replayBefore(trx, this.ctx, tenant.id, input.decisions ?? 1000) : null;
        const result: ImportResult = {
          mode,
          applied: mode === "apply",
          hash: bundleHash(bundle.assets),
          diff,
          written: [],
          warnings: [],
        };
        await this.write(trx, tenant.id, user, bundle, result);
        if (!base) return result;
        result.shadow = await replayAfter(trx, this.ctx, tenant.id, bundle.assets.ruleSets ?? [], base);
        throw new DryRunDone(result);
      });
    } catch (err) {
      if (err instanceof DryRunDone) return err.result;
      throw err;
    }
  }

  private async write(trx: Knex.Transaction, tenantId: string, user: AuthUser, bundle: Bundle, out: ImportResult) {
    const note = `Imported from bundle ${bundleHash(bundle.assets).slice(0, 12)} (tenant ${bundle.tenant ?? "?"})`;
    const a = bundle.assets;
    for (const [i, f] of (a.customFields ?? []).entries())
      await this.customField(trx, tenantId, f, out).catch((e) =>
        assetError("customFields", i, assetId("customFields", f), e),
      );
    for (const section of ["policyTables", "ruleSets", "reminderTemplates", "reports"] as const)
      for (const [i, d] of (a[section] ?? []).entries())
        await this.doc(trx, tenantId, user, section, d, note, out).catch((e) => assetError(section, i, d.key, e, true));
    for (const [i, s] of (a.schedules ?? []).entries())
      await this.schedule(trx, tenantId, s, out).catch((e) => assetError("schedules", i, assetId("schedules", s), e));
    await this.packOrigins(trx, tenantId, a.packOrigins ?? [], out);
  }

  /** Checks (and normalizes) a document's content the way the resource's own save does. */
  private async checked(trx: Knex, tenantId: string, section: DocSection, d: DocAsset) {
    if (section === "ruleSets") this.ctx.rules.check(d.content);
    else if (section === "policyTables") return checkContent(d, d.content);
    else if (section === "reminderTemplates") checkTemplate(d.content, this.ctx.rules.registry);
    else await this.reports.resolve(trx, tenantId, specOf(d.content));
    return d.content;
  }

  private async doc(
    trx: Knex.Transaction,
    tenantId: string,
    user: AuthUser,
    section: DocSection,
    d: DocAsset,
    note: string,
    out: ImportResult,
  ) {
    const store = DOC_SECTIONS[section];
    const row = await trx("documents").where({ tenant_id: tenantId, kind: store.opts.kind, key: d.key }).first();
    const meta = { name: d.name, description: d.description ?? null, industry: d.industry ?? null };
    const content = await this.checked(trx, tenantId, section, d);
    if (!row) {
      if (section === "reports") await this.reports.create(trx, tenantId, { key: d.key, ...meta, ...content }, user);
      else await store.create(trx, tenantId, { key: d.key, ...meta }, content, user);
      out.written.push({ section, id: d.key, action: "created" });
    } else {
      const inForce = await store.inForce(trx, tenantId, d.key, today());
      const sameContent =
        inForce?.checksum === checksum(content) && String(inForce.effectiveFrom).slice(0, 10) === d.effectiveFrom;
      const sameMeta =
        row.name === meta.name &&
        (row.description ?? null) === meta.description &&
        (row.industry ?? null) === meta.industry;
      if (sameContent && sameMeta) return;
      if (sameContent) {
        await trx("documents").where({ tenant_id: tenantId, kind: store.opts.kind, key: d.key }).update(meta);
        out.written.push({ section, id: d.key, action: "renamed" });
        return;
      }
      // The draft becomes the bundle's content (fields it lacks are not kept from the old draft).
      await store.saveDraft(trx, tenantId, d.key, { ...meta, revision: row.revision }, content, user);
    }
    const opts = { effectiveFrom: d.effectiveFrom, note };
    if (section === "ruleSets") await this.ctx.rules.publish(trx, tenantId, d.key, opts, user);
    else if (section === "policyTables") await publishTable(trx, tenantId, d.key, opts, user);
    else if (section === "reminderTemplates") await this.templates.publishIn(trx, tenantId, d.key, opts, user);
    else await reportStore.publish(trx, tenantId, d.key, opts, user);
    out.written.push({ section, id: d.key, action: "published" });
  }

  private async customField(trx: Knex, tenantId: string, f: CustomFieldAsset, out: ImportResult) {
    const where = { tenant_id: tenantId, entity: f.entity, name: f.name };
    const row = await trx("custom_fields").where(where).first();
    const input = { name: f.name, label: f.label, schema: f.schema, filterable: f.filterable, sortable: f.sortable };
    if (!row) {
      await this.ctx.entities.addCustomField(trx, tenantId, f.entity, input);
      out.written.push({ section: "customFields", id: `${f.entity}.${f.name}`, action: "created" });
      return;
    }
    const before = {
      ...input,
      label: row.label,
      schema: row.schema,
      filterable: row.filterable,
      sortable: row.sortable,
    };
    if (canonicalJson(before) === canonicalJson(input)) return;
    validateBody(customFieldInputSchema, input);
    await trx("custom_fields")
      .where(where)
      .update({
        label: JSON.stringify(f.label),
        schema: JSON.stringify(f.schema),
        filterable: f.filterable,
        sortable: f.sortable,
      });
    out.written.push({ section: "customFields", id: `${f.entity}.${f.name}`, action: "updated" });
  }

  private async schedule(trx: Knex, tenantId: string, s: ScheduleAsset, out: ImportResult) {
    const repo = new EntityRepository(await this.ctx.entities.resolve(trx, tenantId, "schedules"));
    const q = trx("schedules").where({ tenant_id: tenantId, job_type: s.jobType });
    if (s.target == null) q.whereNull("target");
    else q.andWhere({ target: s.target });
    const rows = await q.orderBy("created_at").select("id", "cron", "timezone", "params", "enabled");
    const record = {
      jobType: s.jobType,
      cron: s.cron,
      timezone: s.timezone,
      target: s.target ?? null,
      params: s.params ?? {},
      enabled: s.enabled ?? true,
    };
    const id = assetId("schedules", s);
    if (!rows.length) {
      await repo.create(trx, { tenantId }, record);
      out.written.push({ section: "schedules", id, action: "created" });
      return;
    }
    const r = rows[0];
    const current = {
      jobType: s.jobType,
      cron: r.cron,
      timezone: r.timezone,
      target: s.target ?? null,
      params: r.params ?? {},
      enabled: r.enabled,
    };
    if (canonicalJson(current) === canonicalJson(record)) return;
    await repo.update(trx, { tenantId }, r.id, record);
    out.written.push({ section: "schedules", id, action: "updated" });
  }

  /** h5's pack adoption records (table pack_adoptions, migration 020) when this database has them. */
  private async packOrigins(
    trx: Knex.Transaction,
    tenantId: string,
    rows: Record<string, unknown>[],
    out: ImportResult,
  ) {
    if (!rows.length) return;
    const { rows: present } = await trx.raw("SELECT to_regclass('pack_adoptions') IS NOT NULL AS present");
    if (!present[0]?.present) {
      out.warnings.push(`packOrigins: ${rows.length} record(s) not imported (this server has no pack_adoptions table)`);
      return;
    }
    const have = new Set((await currentAssets(trx, tenantId)).packOrigins.map((r) => canonicalJson(r)));
    for (const r of rows) {
      if (have.has(canonicalJson(r))) continue;
      const clean = Object.fromEntries(Object.entries(r).filter(([k]) => !PACK_ORIGIN_IGNORED.includes(k)));
      try {
        await trx.transaction((sp) => sp("pack_adoptions").insert({ ...clean, tenant_id: tenantId }));
        out.written.push({ section: "packOrigins", id: assetId("packOrigins", r), action: "created" });
      } catch (err) {
        out.warnings.push(`packOrigins: ${assetId("packOrigins", r)} not imported: ${(err as Error).message}`);
      }
    }
  }
}
