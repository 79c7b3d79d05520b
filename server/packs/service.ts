/**
 * Packs a tenant adopts and upgrades. Adopting copies the pack's assets into the tenant as published
 * versions and records the copy of each; drift compares the tenant's current copy (its latest published
 * version) with the pack's latest, and with the adopted copy to tell a local change from an upstream one;
 * an upgrade previews the diff and the pack's test cases run against the upgraded content, and (applied)
 * publishes the new content in one transaction and records the pack version.
 */
import type { Knex } from "knex";
import { compareSemver } from "../../rules/packs/index";
import { AppError, fail } from "../errors";
import type { AuthUser } from "../auth/service";
import type { EntityRegistry } from "../entities/registry";
import type { RuleSetService } from "../rule-sets/service";
import { ReminderTemplateService } from "../reminders/templates";
import { ASSET_KINDS, assetId, defaultCatalogue, type Pack, type PackAsset } from "./catalogue";
import { checkAsset, invalidReport, type TestReport, VALIDATION } from "./checks";
import { currentCopy, writeCopy } from "./copies";
import { adoptionStore, type AdoptedAsset, type Adoption } from "./store";
import { assetDiff } from "./diff";

export type { TestReport } from "./checks";

export type DriftStatus = "unchanged" | "modified" | "upstream" | "missing";

export interface AssetDrift {
  id: string;
  kind: string;
  key: string;
  name: string;
  status: DriftStatus;
  /** The tenant's copy differs from the copy it adopted (or the asset was not part of the adoption). */
  localChange: boolean;
  /** The pack's latest differs from the adopted copy. */
  upstreamChange: boolean;
  tenantVersion: number | null;
  adoptedVersion: string | null;
  /** Tenant copy (from) against the pack's latest (to); null when they are the same or the copy is missing. */
  diff: unknown;
  /** Adopted copy (from) against the pack's latest (to), when upstream changed. */
  upstreamDiff: unknown;
}

/** Writes in the order of ASSET_KINDS (a report may read a custom field written before it). */
const inWriteOrder = <T extends { kind: string }>(xs: T[]) =>
  [...xs].sort((a, b) => ASSET_KINDS.indexOf(a.kind as never) - ASSET_KINDS.indexOf(b.kind as never));

export class PackService {
  readonly templates: ReminderTemplateService;
  constructor(
    readonly ctx: { rules: RuleSetService; entities: EntityRegistry },
    readonly catalogue: readonly Pack[] = defaultCatalogue(),
  ) {
    this.templates = new ReminderTemplateService(ctx.rules.registry);
  }

  pack(key: string): Pack {
    const p = this.catalogue.find((c) => c.manifest.key === key);
    if (!p) throw fail("NOT_FOUND", { resource: "packs", id: key }, { details: { key } });
    return p;
  }

  async drift(db: Knex, tenantId: string, pack: Pack, adoption?: Adoption): Promise<AssetDrift[]> {
    const out: AssetDrift[] = [];
    for (const a of pack.assets) {
      const adopted = adoption?.assets.find((x) => x.kind === a.kind && x.key === a.key);
      const cur = await currentCopy(db, tenantId, a);
      const upstreamChange = !adopted || adopted.checksum !== a.checksum;
      const localChange = !cur || !adopted || cur.checksum !== adopted.checksum;
      const status: DriftStatus = !cur
        ? "missing"
        : cur.checksum === a.checksum
          ? "unchanged"
          : localChange
            ? "modified"
            : "upstream";
      out.push({
        id: assetId(a),
        kind: a.kind,
        key: a.key,
        name: a.meta.name,
        status,
        localChange: status === "unchanged" ? false : localChange,
        upstreamChange,
        tenantVersion: cur?.version ?? null,
        adoptedVersion: adopted?.packVersion ?? null,
        diff: cur && status !== "unchanged" ? assetDiff(a.kind, cur.content, a.content) : null,
        upstreamDiff: adopted && upstreamChange ? assetDiff(a.kind, adopted.content, a.content) : null,
      });
    }
    return out;
  }

  private summary(pack: Pack, adoption: Adoption | undefined, drift: AssetDrift[] | undefined) {
    const m = pack.manifest;
    return {
      id: m.key,
      key: m.key,
      name: m.name,
      description: m.description ?? null,
      industry: m.industry,
      latestVersion: m.version,
      history: m.history,
      assetCount: pack.assets.length,
      adopted: adoption
        ? {
            version: adoption.version,
            adoptedAt: adoption.adoptedAt,
            adoptedBy: adoption.adoptedBy,
            upgradedAt: adoption.upgradedAt,
          }
        : null,
      drifted: drift ? drift.some((d) => d.status !== "unchanged") : false,
      // Something the pack would bring: a changed or missing asset, or an upstream change beside a local one.
      upgradable:
        !!adoption &&
        !!drift &&
        drift.some((d) => d.status === "upstream" || d.status === "missing" || (d.upstreamChange && d.localChange)),
      newerVersion: !!adoption && compareSemver(m.version, adoption.version) > 0,
    };
  }

  async list(db: Knex, tenantId: string) {
    const adoptions = await adoptionStore.list(db, tenantId);
    const out = [];
    for (const p of this.catalogue) {
      const adoption = adoptions.find((a) => a.packKey === p.manifest.key);
      out.push(this.summary(p, adoption, adoption ? await this.drift(db, tenantId, p, adoption) : undefined));
    }
    return out;
  }

  async get(db: Knex, tenantId: string, key: string) {
    const p = this.pack(key);
    const adoption = await adoptionStore.get(db, tenantId, key);
    const drift = adoption ? await this.drift(db, tenantId, p, adoption) : undefined;
    return {
      ...this.summary(p, adoption, drift),
      assets: p.assets.map((a) => ({
        id: assetId(a),
        kind: a.kind,
        key: a.key,
        name: a.meta.name,
        description: a.meta.description ?? null,
        checksum: a.checksum,
        testCases: (a.testCases ?? (Array.isArray(a.content.testCases) ? a.content.testCases : [])).length,
        status: drift?.find((d) => d.id === assetId(a))?.status ?? null,
        content: a.content,
      })),
    };
  }

  async driftReport(db: Knex, tenantId: string, key: string) {
    const p = this.pack(key);
    const adoption = await adoptionStore.get(db, tenantId, key);
    if (!adoption) throw fail("PACK_NOT_ADOPTED", { pack: key });
    const assets = await this.drift(db, tenantId, p, adoption);
    return { ...this.summary(p, adoption, assets), assets };
  }

  /** The asset's validation and checks (test cases) against its pack content, as the tenant would hold it. */
  testAsset(db: Knex, tenantId: string, pack: Pack, a: PackAsset): Promise<TestReport[]> {
    return checkAsset(db, tenantId, a, pack.assets, { ...this.ctx, templates: this.templates });
  }

  /**
   * Writes the pack's content as the tenant's copy (creating it if missing); what the kind's service still
   * refuses there (checked against what this transaction wrote before it) is the pack's asset error.
   */
  private async write(trx: Knex.Transaction, tenantId: string, pack: Pack, a: PackAsset, user: AuthUser | null) {
    const note = `Pack ${pack.manifest.key} ${pack.manifest.version}`;
    try {
      return await writeCopy(trx, tenantId, a, note, user, this.ctx.entities);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const report = invalidReport(err);
      throw this.invalid(pack, assetId(a), report, [{ id: assetId(a), tests: [report] }]);
    }
  }

  private invalid(pack: Pack, id: string, bad: TestReport, previews: { id: string; tests: TestReport[] }[]) {
    const { key, version } = pack.manifest;
    const pointer = bad.pointer ?? "/";
    const problem = bad.differences.join("; ");
    return fail(
      "PACK_ASSET_INVALID",
      { pack: key, version, asset: id, pointer, problem },
      {
        details: { asset: id, pointer, code: bad.code ?? null, assets: previews },
        errors: { [`${id}${pointer === "/" ? "" : pointer}`]: problem },
      },
    );
  }

  /** Refuses a pack whose asset the kind's API would refuse, or whose test cases fail; nothing is written. */
  private failIfTests(pack: Pack, previews: { id: string; tests: TestReport[] }[]) {
    const { key, version } = pack.manifest;
    for (const p of previews) {
      const bad = p.tests.find((t) => t.name === VALIDATION && !t.passed);
      if (bad) throw this.invalid(pack, p.id, bad, previews);
    }
    const failed = previews.flatMap((p) => p.tests.filter((t) => !t.passed).map((t) => `${p.id}: ${t.name}`));
    const total = previews.reduce((n, p) => n + p.tests.length, 0);
    if (failed.length)
      throw fail(
        "PACK_TESTS_FAILED",
        { pack: key, version, failed: failed.length, total, names: failed.join(", ") },
        { details: { assets: previews } },
      );
  }

  private adopted(pack: Pack, a: PackAsset): AdoptedAsset {
    return { kind: a.kind, key: a.key, packVersion: pack.manifest.version, checksum: a.checksum, content: a.content };
  }

  /** Adopts the pack's latest version: assets the tenant lacks or holds differently are published from it. */
  async adopt(db: Knex, tenantId: string, key: string, user: AuthUser | null) {
    const p = this.pack(key);
    const previews = [];
    for (const a of p.assets) previews.push({ id: assetId(a), tests: await this.testAsset(db, tenantId, p, a) });
    this.failIfTests(p, previews);
    return db.transaction(async (trx) => {
      const fresh = await adoptionStore.insert(trx, tenantId, {
        packKey: key,
        version: p.manifest.version,
        packChecksum: p.checksum,
        userId: user?.id ?? null,
      });
      if (!fresh) {
        const had = await adoptionStore.get(trx, tenantId, key);
        throw fail("PACK_ALREADY_ADOPTED", { pack: key, version: had?.version ?? "" });
      }
      const written: string[] = [];
      const adjustmentJobs: string[] = [];
      for (const a of inWriteOrder(p.assets)) {
        const cur = await currentCopy(trx, tenantId, a);
        if (cur?.checksum === a.checksum) continue;
        const w = await this.write(trx, tenantId, p, a, user);
        if (w.adjustmentJobId) adjustmentJobs.push(w.adjustmentJobId);
        written.push(assetId(a));
      }
      await adoptionStore.putAssets(
        trx,
        tenantId,
        key,
        p.assets.map((a) => this.adopted(p, a)),
      );
      return { pack: key, version: p.manifest.version, written, adjustmentJobs };
    });
  }

  /**
   * Upgrades to the pack's latest version. `assets` (ids "kind/key") selects what to take; by default every
   * asset the pack changed or the tenant lacks, but none the tenant changed itself (name those to overwrite).
   * Answers the diff and the test results per asset; with dryRun nothing is written.
   */
  async upgrade(
    db: Knex,
    tenantId: string,
    key: string,
    body: { dryRun: boolean; assets?: string[] },
    user: AuthUser | null,
  ) {
    const p = this.pack(key);
    for (const [i, id] of (body.assets ?? []).entries())
      if (!p.assets.some((a) => assetId(a) === id))
        throw fail(
          "PACK_UNKNOWN_ASSET",
          { pointer: `/assets/${i}`, pack: key, asset: id },
          { details: { pointer: `/assets/${i}` }, errors: { [`/assets/${i}`]: `no asset ${id}` } },
        );
    if (body.dryRun) return (await this.plan(db, tenantId, p, body.assets)).answer;
    // Applied: the plan is made again under the adoption's lock, so what is written is what was tested.
    return db.transaction(async (trx) => {
      const { answer, chosen, drift } = await this.plan(trx, tenantId, p, body.assets, true);
      this.failIfTests(p, answer.assets);
      const written: { id: string; version: number | null }[] = [];
      const adjustmentJobs: string[] = [];
      for (const d of inWriteOrder(chosen)) {
        const a = p.assets.find((x) => assetId(x) === d.id)!;
        const w = await this.write(trx, tenantId, p, a, user);
        if (w.adjustmentJobId) adjustmentJobs.push(w.adjustmentJobId);
        written.push({ id: d.id, version: w.version });
      }
      // Assets now equal to the pack's latest (written, or never different) are recorded at this version.
      const inSync = p.assets.filter((a) => {
        const d = drift.find((x) => x.id === assetId(a));
        return d?.status === "unchanged" || chosen.includes(d!);
      });
      await adoptionStore.putAssets(
        trx,
        tenantId,
        p.manifest.key,
        inSync.map((a) => this.adopted(p, a)),
      );
      await adoptionStore.markUpgraded(trx, tenantId, {
        packKey: p.manifest.key,
        version: p.manifest.version,
        packChecksum: p.checksum,
        userId: user?.id ?? null,
      });
      return { ...answer, dryRun: false, written, adjustmentJobs };
    });
  }

  /** What an upgrade would take (and keep), with each taken asset's diff and test results. */
  private async plan(db: Knex, tenantId: string, p: Pack, assets: string[] | undefined, lock = false) {
    const key = p.manifest.key;
    const adoption = await adoptionStore.get(db, tenantId, key, lock);
    if (!adoption) throw fail("PACK_NOT_ADOPTED", { pack: key });
    const drift = await this.drift(db, tenantId, p, adoption);
    const chosen = drift.filter((d) =>
      assets ? assets.includes(d.id) && d.status !== "unchanged" : d.status === "upstream" || d.status === "missing",
    );
    const previews = [];
    for (const d of chosen) {
      const a = p.assets.find((x) => assetId(x) === d.id)!;
      const tests = await this.testAsset(db, tenantId, p, a);
      previews.push({ ...d, tests, passed: tests.every((t) => t.passed) });
    }
    const kept = drift.filter((d) => d.status !== "unchanged" && !chosen.includes(d)).map((d) => d.id);
    const answer = {
      pack: key,
      from: adoption.version,
      to: p.manifest.version,
      dryRun: true,
      passed: previews.every((x) => x.passed),
      assets: previews,
      kept,
    };
    return { answer, chosen, drift };
  }
}
