import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { allPacks, packManifests, type PackManifest, type RulePack } from "../../rules/packs/index";
import { buildPack } from "../../server/packs/catalogue";
import { PackService } from "../../server/packs/service";

// The demo tenant (manufacturing) was seeded with the social-insurance and manufacturing packs at 1.0.0.
let t: TestApp;
let h: Record<string, string>;
let demoId: string;
type Row = Record<string, any>;
const SEASONAL = "manufacturing-seasonal";
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

const packs = async (headers = h): Promise<Row[]> => {
  const res = await t.request().get("/api/packs").set(headers);
  expect(res.status).toBe(200);
  return res.body;
};
const drift = async (key: string) => {
  const res = await t.request().get(`/api/packs/${key}/drift`).set(h);
  expect(res.status).toBe(200);
  return res.body as Row;
};
const versionsOf = async (key: string) =>
  Number((await t.db("document_versions").where({ tenant_id: demoId, kind: "rule-set", key }).count({ n: "*" }))[0]!.n);

/** A later release of the manufacturing pack whose seasonal rule set is changed by `edit`. */
function release(version: string, edit: (p: RulePack) => void) {
  const base = packManifests.find((m) => m.key === "manufacturing")!;
  const manifest: PackManifest = {
    ...clone(base),
    version,
    history: [...base.history, { version, date: "2026-12-02", notes: { "zh-CN": "测试", en: "test" } }],
  };
  const ruleSets = allPacks.map((p) => {
    if (p.key !== SEASONAL) return p;
    const copy = clone(p);
    edit(copy);
    return copy;
  });
  return buildPack(manifest, { ruleSets });
}
const deenrollRule = (p: { rules: any[] }) => p.rules.find((r) => r.name === "batch-deenroll-contract-end")!;

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  demoId = (await t.db("tenants").where({ slug: "demo" }).first("id")).id;
});
afterAll(() => t?.close());

describe("packs", () => {
  it("seeded tenants show the pack versions they were installed with, undrifted", async () => {
    const list = await packs();
    const by = Object.fromEntries(list.map((p) => [p.key, p]));
    expect(Object.keys(by).sort()).toEqual(["internet", "manufacturing", "retail", "social-insurance"]);
    expect(by["social-insurance"]).toMatchObject({ latestVersion: "1.0.0", adopted: { version: "1.0.0" } });
    expect(by.manufacturing).toMatchObject({ adopted: { version: "1.0.0" }, drifted: false, upgradable: false });
    expect(by.internet!.adopted).toBeNull();
    const si = await drift("social-insurance");
    expect(si.assets.length).toBe(11);
    expect(si.assets.filter((a: Row) => a.status !== "unchanged")).toEqual([]);
    // The HR admin reads packs but may not adopt.
    const hr = await t.hr();
    expect((await packs(hr)).length).toBe(4);
    expect((await t.request().post("/api/packs/internet/adopt").set(hr).send({})).status).toBe(403);
  });

  it("adopting records the version and copies the assets; adopting twice is refused", async () => {
    expect((await t.request().get("/api/packs/internet/drift").set(h)).body.code).toBe("PACK_NOT_ADOPTED");
    const res = await t.request().post("/api/packs/internet/adopt").set(h).send({});
    expect(res.status).toBe(201);
    const latest = packManifests.find((m) => m.key === "internet")!.version;
    expect(res.body).toMatchObject({ pack: "internet", version: latest, written: ["rule-set/internet-remote"] });
    const row = await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "internet" }).first();
    expect(row.version).toBe(latest);
    const assets = await t.db("pack_adoption_assets").where({ tenant_id: demoId, pack_key: "internet" });
    expect(assets.map((a: Row) => a.asset_key)).toEqual(["internet-remote"]);
    const rs = await t.request().get("/api/rule-sets/internet-remote").set(h);
    expect(rs.body.latestVersion).toBe(1);
    expect((await packs()).find((p) => p.key === "internet")).toMatchObject({ adopted: { version: latest } });
    const again = await t.request().post("/api/packs/internet/adopt").set(h).send({});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("PACK_ALREADY_ADOPTED");
    expect((await t.request().post("/api/packs/nope/adopt").set(h).send({})).status).toBe(404);
  });

  it("a pack asset the tenant deleted shows as missing, and the upgrade restores it", async () => {
    expect((await t.request().delete("/api/rule-sets/internet-remote").set(h)).status).toBe(200);
    const d = await drift("internet");
    expect(d.assets[0]).toMatchObject({ status: "missing", localChange: true, upstreamChange: false, diff: null });
    expect((await packs()).find((p) => p.key === "internet")).toMatchObject({ drifted: true, upgradable: true });
    const dry = await t.request().post("/api/packs/internet/upgrade").set(h).send({ dryRun: true });
    expect(dry.body.assets.map((a: Row) => a.id)).toEqual(["rule-set/internet-remote"]);
    expect((await t.request().get("/api/rule-sets/internet-remote").set(h)).status).toBe(404);
    const apply = await t.request().post("/api/packs/internet/upgrade").set(h).send({ dryRun: false });
    expect(apply.status).toBe(200);
    expect(apply.body.written).toEqual([{ id: "rule-set/internet-remote", version: 1 }]);
    expect((await drift("internet")).assets[0].status).toBe("unchanged");
  });

  it("a tenant that changed a pack rule set sees the drift against the pack's latest version", async () => {
    const rec = (await t.request().get(`/api/rule-sets/${SEASONAL}`).set(h)).body;
    const rules = clone(rec.rules);
    const cond = deenrollRule({ rules }).conditions.all;
    const i = cond.findIndex((c: Row) => c.operator === "lessThanInclusive");
    cond[i].value = 45;
    const put = await t.request().put(`/api/rule-sets/${SEASONAL}`).set(h).send({ revision: rec.revision, rules });
    expect(put.status).toBe(200);
    expect((await t.request().post(`/api/rule-sets/${SEASONAL}/publish`).set(h).send({})).status).toBe(201);

    const d = await drift("manufacturing");
    expect(d.drifted).toBe(true);
    const asset = d.assets.find((a: Row) => a.key === SEASONAL);
    expect(asset).toMatchObject({ status: "modified", localChange: true, upstreamChange: false, tenantVersion: 2 });
    expect(asset.diff.modified).toEqual([
      { rule: "batch-deenroll-contract-end", pointers: [`/conditions/all/${i}/value`] },
    ]);
    expect(asset.diff.added).toEqual([]);
    expect((await packs()).find((p) => p.key === "manufacturing")).toMatchObject({ drifted: true, upgradable: false });
  });

  it("an upgrade dry run shows the diff and test results and writes nothing; applied it writes", async () => {
    const before = await versionsOf(SEASONAL);
    // Nothing upstream changed and the local change is kept unless named.
    const none = await t.request().post("/api/packs/manufacturing/upgrade").set(h).send({ dryRun: true });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ assets: [], kept: [`rule-set/${SEASONAL}`] });
    const body = { dryRun: true, assets: [`rule-set/${SEASONAL}`] };
    const dry = await t.request().post("/api/packs/manufacturing/upgrade").set(h).send(body);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, passed: true, from: "1.0.0", to: "1.0.0" });
    const preview = dry.body.assets[0];
    expect(preview.diff.modified[0].rule).toBe("batch-deenroll-contract-end");
    expect(preview.tests.length).toBeGreaterThan(0);
    expect(preview.tests.every((x: Row) => x.passed)).toBe(true);
    expect(await versionsOf(SEASONAL)).toBe(before);

    const bad = await t
      .request()
      .post("/api/packs/manufacturing/upgrade")
      .set(h)
      .send({ dryRun: true, assets: ["rule-set/not-there"] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "PACK_UNKNOWN_ASSET", errors: { "/assets/0": expect.any(String) } });

    const apply = await t
      .request()
      .post("/api/packs/manufacturing/upgrade")
      .set(h)
      .send({ ...body, dryRun: false });
    expect(apply.status).toBe(200);
    expect(apply.body.written).toEqual([{ id: `rule-set/${SEASONAL}`, version: before + 1 }]);
    expect(await versionsOf(SEASONAL)).toBe(before + 1);
    const d = await drift("manufacturing");
    expect(d.assets.find((a: Row) => a.key === SEASONAL).status).toBe("unchanged");
    expect(d.drifted).toBe(false);
  });

  it("an upstream release is previewed, then applied, and the new pack version recorded", async () => {
    const v110 = release("1.1.0", (p) => {
      const c = deenrollRule(p).conditions.all.find((x: Row) => x.operator === "lessThanInclusive");
      c.value = 60;
    });
    const service = new PackService(t.ctx.rules, [v110]);
    const seasonal = (await service.driftReport(t.db, demoId, "manufacturing")).assets[0]!;
    expect(seasonal).toMatchObject({ status: "upstream", localChange: false, upstreamChange: true });
    expect((seasonal.upstreamDiff as Row).modified[0].rule).toBe("batch-deenroll-contract-end");
    const listed = (await service.list(t.db, demoId)).find((p) => p.key === "manufacturing");
    expect(listed).toMatchObject({ latestVersion: "1.1.0", upgradable: true, newerVersion: true });

    const before = await versionsOf(SEASONAL);
    const dry = await service.upgrade(t.db, demoId, "manufacturing", { dryRun: true }, null);
    expect(dry).toMatchObject({ from: "1.0.0", to: "1.1.0", passed: true });
    expect(dry.assets.map((a) => a.id)).toEqual([`rule-set/${SEASONAL}`]);
    expect(await versionsOf(SEASONAL)).toBe(before);
    expect((await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "manufacturing" }).first()).version).toBe(
      "1.0.0",
    );

    await service.upgrade(t.db, demoId, "manufacturing", { dryRun: false }, null);
    expect(await versionsOf(SEASONAL)).toBe(before + 1);
    const row = await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "manufacturing" }).first();
    expect(row.version).toBe("1.1.0");
    expect(row.upgraded_at).not.toBeNull();
    const after = await service.driftReport(t.db, demoId, "manufacturing");
    expect(after.assets[0]).toMatchObject({ status: "unchanged", upstreamChange: false, adoptedVersion: "1.1.0" });
  });

  it("a release whose test case fails is reported in the preview and cannot be applied", async () => {
    const v120 = release("1.2.0", (p) => {
      deenrollRule(p).conditions.all.find((x: Row) => x.operator === "lessThanInclusive").value = 5;
    });
    const service = new PackService(t.ctx.rules, [v120]);
    const dry = await service.upgrade(t.db, demoId, "manufacturing", { dryRun: true }, null);
    expect(dry.passed).toBe(false);
    expect(dry.assets[0]!.tests.find((x) => !x.passed)?.name).toBe("a contract ending in two weeks");
    const before = await versionsOf(SEASONAL);
    await expect(service.upgrade(t.db, demoId, "manufacturing", { dryRun: false }, null)).rejects.toMatchObject({
      code: "PACK_TESTS_FAILED",
    });
    expect(await versionsOf(SEASONAL)).toBe(before);
    expect((await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "manufacturing" }).first()).version).toBe(
      "1.1.0",
    );
  });
});
