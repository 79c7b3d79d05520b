/**
 * Packs a tenant adopts and upgrades. Adopting copies the pack's assets into the tenant as published
 * versions and records the copy of each; drift compares the tenant's current copy (its latest published
 * version) with the pack's latest, and with the adopted copy to tell a local change from an upstream one;
 * an upgrade previews the diff and the pack's test cases run against the upgraded content, and (applied)
 * publishes the new content in one transaction and records the pack version.
 */
import type { Knex } from "knex";
import { checksum, runTestCases, type RuleSetContent } from "../../rules/index";
import { compareSemver } from "../../rules/packs/index";
import { fail } from "../errors";
import type { AuthUser } from "../auth/service";
import type { RuleSetService } from "../rule-sets/service";
import { ReminderTemplateService } from "../reminders/templates";
import type { TemplateContent } from "../reminders/content";
import { PACK_EFFECTIVE_FROM } from "../lifecycle/packs";
import { assetId, defaultCatalogue, storeOf, type Pack, type PackAsset } from "./catalogue";
import { adoptionStore, type AdoptedAsset, type Adoption } from "./store";
import { assetDiff } from "./diff";

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

export interface TestReport {
  name: string;
  passed: boolean;
  differences: string[];
}

const today = () => new Date().toISOString().slice(0, 10);

export class PackService {
  constructor(
    readonly rules: RuleSetService,
    readonly catalogue: readonly Pack[] = defaultCatalogue,
    readonly templates = new ReminderTemplateService(),
  ) {}

  pack(key: string): Pack {
    const p = this.catalogue.find((c) => c.manifest.key === key);
    if (!p) throw fail("NOT_FOUND", { resource: "packs", id: key }, { details: { key } });
    return p;
  }

  /** The tenant's current copy of an asset: its latest published version (its draft if never published). */
  private async current(db: Knex, tenantId: string, a: { kind: PackAsset["kind"]; key: string }) {
    const store = storeOf(a.kind);
    const doc = await db("documents")
      .where({ tenant_id: tenantId, kind: store.opts.kind, key: a.key })
      .first("key", "latest_version");
    if (!doc) return undefined;
    if (doc.latest_version) {
      const v = await store.version(db, tenantId, a.key, doc.latest_version);
      return { version: v.version as number | null, content: v.content, checksum: v.checksum };
    }
    const content = store.draftOf(await store.get(db, tenantId, a.key));
    return { version: null, content, checksum: checksum(content) };
  }

  async drift(db: Knex, tenantId: string, pack: Pack, adoption?: Adoption): Promise<AssetDrift[]> {
    const out: AssetDrift[] = [];
    for (const a of pack.assets) {
      const adopted = adoption?.assets.find((x) => x.kind === a.kind && x.key === a.key);
      const cur = await this.current(db, tenantId, a);
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
        testCases: Array.isArray(a.content.testCases) ? a.content.testCases.length : 0,
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

  /** The asset's test cases run against its pack content, as the tenant would hold it. */
  async testAsset(tenantId: string, a: PackAsset): Promise<TestReport[]> {
    const brief = (r: { name: string; passed: boolean; differences: string[] }) => ({
      name: r.name,
      passed: r.passed,
      differences: r.differences,
    });
    try {
      if (a.kind === "reminder-template")
        return (await this.templates.runTestCases(a.content as unknown as TemplateContent)).map(brief);
      const content = a.content as unknown as RuleSetContent;
      const compiled = this.rules.compile(tenantId, { key: a.key, version: "draft", content, checksum: a.checksum });
      return (await runTestCases(compiled, content.testCases ?? [])).map(brief);
    } catch (err) {
      return [{ name: "(validation)", passed: false, differences: [(err as Error).message] }];
    }
  }

  /** Writes the pack's content as the tenant's new published version (creating the document if missing). */
  private async write(trx: Knex.Transaction, tenantId: string, pack: Pack, a: PackAsset, user: AuthUser | null) {
    const store = storeOf(a.kind);
    const note = `Pack ${pack.manifest.key} ${pack.manifest.version}`;
    const exists = await trx("documents")
      .where({ tenant_id: tenantId, kind: store.opts.kind, key: a.key })
      .first("key");
    if (!exists) {
      await store.create(trx, tenantId, a.meta, a.content, user);
      return store.publish(trx, tenantId, a.key, { effectiveFrom: PACK_EFFECTIVE_FROM, note }, user);
    }
    return store.publish(trx, tenantId, a.key, { content: a.content, effectiveFrom: today(), note }, user);
  }

  private failIfTests(pack: Pack, previews: { id: string; tests: TestReport[] }[]) {
    const failed = previews.flatMap((p) => p.tests.filter((t) => !t.passed).map((t) => `${p.id}: ${t.name}`));
    const total = previews.reduce((n, p) => n + p.tests.length, 0);
    if (failed.length)
      throw fail(
        "PACK_TESTS_FAILED",
        {
          pack: pack.manifest.key,
          version: pack.manifest.version,
          failed: failed.length,
          total,
          names: failed.join(", "),
        },
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
    for (const a of p.assets) previews.push({ id: assetId(a), tests: await this.testAsset(tenantId, a) });
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
      for (const a of p.assets) {
        const cur = await this.current(trx, tenantId, a);
        if (cur?.checksum === a.checksum) continue;
        await this.write(trx, tenantId, p, a, user);
        written.push(assetId(a));
      }
      await adoptionStore.putAssets(
        trx,
        tenantId,
        key,
        p.assets.map((a) => this.adopted(p, a)),
      );
      return { pack: key, version: p.manifest.version, written };
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
      const written: { id: string; version: number }[] = [];
      for (const d of chosen) {
        const a = p.assets.find((x) => assetId(x) === d.id)!;
        const v = await this.write(trx, tenantId, p, a, user);
        written.push({ id: d.id, version: v.version });
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
      return { ...answer, dryRun: false, written };
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
      const tests = await this.testAsset(tenantId, a);
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
