import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import {
  allPacks,
  filesOf,
  packManifests,
  type PackFiles,
  type PackManifest,
  type RulePack,
} from "../../rules/packs/index";
import { buildPack, packProblems, type Pack } from "../../server/packs/catalogue";
import { PackService } from "../../server/packs/service";
import { templatePack } from "../../server/reminders/pack";

// The demo tenant (manufacturing) was seeded with the social-insurance (1.0.0) and manufacturing (1.1.0)
// packs, the retail tenant with social-insurance and retail (1.1.0).
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

const docVersions = async (kind: string, key: string) =>
  Number((await t.db("document_versions").where({ tenant_id: demoId, kind, key }).count({ n: "*" }))[0]!.n);
const later = (base: PackManifest, version: string): PackManifest => ({
  ...clone(base),
  version,
  history: [...base.history, { version, date: "2026-12-03", notes: { "zh-CN": "测试", en: "test" } }],
});

/** A later release of the manufacturing pack whose seasonal rule set is changed by `edit`. */
function release(version: string, edit: (p: RulePack) => void) {
  const manifest = later(packManifests.find((m) => m.key === "manufacturing")!, version);
  const ruleSets = allPacks.map((p) => {
    if (p.key !== SEASONAL) return p;
    const copy = clone(p);
    edit(copy);
    return copy;
  });
  return buildPack(manifest, { ruleSets });
}

/**
 * A test pack with an asset of every kind: a rule set and a reminder template (copies of shipped ones under
 * new keys), the manufacturing pack's policy table, a report on employees by a custom field the pack brings,
 * and that custom field. `edit` changes its files before it is built.
 */
const KINDS = {
  ruleSet: "kinds-remote",
  template: "kinds-template",
  table: "kinds-coverage",
  report: "kinds-shifts",
  field: "employees.kindsShift",
};
const kindsManifest: PackManifest = {
  key: "kinds",
  name: { "zh-CN": "测试包", en: "Test pack" },
  version: "1.0.0",
  industry: null,
  assets: {
    ruleSets: [KINDS.ruleSet],
    reminderTemplates: [KINDS.template],
    policyTables: [KINDS.table],
    reports: [KINDS.report],
    customFields: [KINDS.field],
  },
  history: [{ version: "1.0.0", date: "2026-12-03", notes: { "zh-CN": "测试", en: "test" } }],
};
function kindsFiles(): PackFiles {
  const table = { ...clone(filesOf("manufacturing").policyTables[0]!), key: KINDS.table };
  return {
    policyTables: [table],
    reports: [
      {
        key: KINDS.report,
        name: "各班次人数",
        spec: {
          dataset: "employees",
          filters: { all: [{ fact: "employeeStatus", operator: "equal", value: "active" }] },
          dimensions: [{ field: "custom.kindsShift", key: "shift" }],
          measures: [{ fn: "count", key: "headcount", label: { zh: "人数", en: "Headcount" } }],
        },
      },
    ],
    customFields: [
      { entity: "employees", name: "kindsShift", label: { zh: "班次", en: "Shift" }, schema: { type: "string" } },
    ],
  };
}
function kindsPack(version = "1.0.0", edit: (f: PackFiles) => void = () => {}): Pack {
  const remote = allPacks.find((p) => p.key === "internet-remote")!;
  const ruleSets = [{ ...clone(remote), key: KINDS.ruleSet, industry: undefined }];
  const templates = [{ ...clone(templatePack[0]!), key: KINDS.template }];
  const files = kindsFiles();
  edit(files);
  const manifest = version === "1.0.0" ? kindsManifest : later(kindsManifest, version);
  return buildPack(manifest, { ruleSets, templates, files });
}
/** The kinds pack's 1.1.0: a policy table's note and a report's sort order changed upstream. */
const upstream110 = (f: PackFiles) => {
  (f.policyTables[0]!.rows[0] as Row).note = "changed upstream";
  f.reports[0]!.spec.sort = [{ key: "headcount", order: "desc" }];
};
const fieldsOf = async (headers = h) => {
  const res = await t.request().get("/api/entities").set(headers);
  return res.body.find((e: Row) => e.name === "employees").customFields as Row[];
};
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
    expect(by.manufacturing).toMatchObject({ adopted: { version: "1.1.0" }, drifted: false, upgradable: false });
    expect(by.internet!.adopted).toBeNull();
    const si = await drift("social-insurance");
    expect(si.assets.length).toBe(11);
    expect(si.assets.filter((a: Row) => a.status !== "unchanged")).toEqual([]);
    // The manufacturing pack's policy table and custom field were installed beside its rule set.
    const m = await drift("manufacturing");
    expect(m.assets.map((a: Row) => [a.id, a.status])).toEqual([
      [`rule-set/${SEASONAL}`, "unchanged"],
      ["policy-table/manufacturing-temporary-coverage", "unchanged"],
      ["custom-field/employees.contractEndDate", "unchanged"],
    ]);
    const table = await t.request().get("/api/policy-tables/manufacturing-temporary-coverage").set(h);
    expect(table.body).toMatchObject({ latestVersion: 1, rows: expect.any(Array) });
    expect((await fieldsOf()).find((f) => f.name === "contractEndDate")).toMatchObject({
      label: { zh: "合同到期日", en: "Contract end date" },
      schema: { type: "string", format: "date" },
    });
    const lookup = await t
      .request()
      .get("/api/policy-lookup")
      .query({ table: "manufacturing-temporary-coverage", key: JSON.stringify({ city: "440300" }), date: "2025-06-01" })
      .set(h);
    expect(lookup.body.row.values).toEqual({ workInjuryOnly: true });
    // The retail tenant's pack ships the built-in regional cost report: one definition, held unchanged.
    const retail = await t
      .request()
      .get("/api/packs/retail/drift")
      .set(await t.admin("retail"));
    expect(retail.body).toMatchObject({ adopted: { version: "1.1.0" }, drifted: false });
    expect(retail.body.assets.find((a: Row) => a.kind === "report")).toMatchObject({
      id: "report/cost-by-region-store",
      status: "unchanged",
    });
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
    expect(dry.body).toMatchObject({ dryRun: true, passed: true, from: "1.1.0", to: "1.1.0" });
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

  it("a changed policy table and custom field show drift with diffs; an upgrade previews, restores them", async () => {
    const TABLE = "manufacturing-temporary-coverage";
    const rec = (await t.request().get(`/api/policy-tables/${TABLE}`).set(h)).body;
    const rows = clone(rec.rows);
    const beijing = rows.findIndex((r: Row) => r.key.city === "110000");
    rows[beijing].values.workInjuryOnly = true;
    const put = await t.request().put(`/api/policy-tables/${TABLE}`).set(h).send({ revision: rec.revision, rows });
    expect(put.status).toBe(200);
    expect((await t.request().post(`/api/policy-tables/${TABLE}/publish`).set(h).send({})).status).toBe(201);
    const field = "/api/entities/employees/fields";
    expect((await t.request().delete(`${field}/contractEndDate`).set(h)).status).toBe(200);
    const label = { zh: "合同截止日", en: "Contract end" };
    const body = { name: "contractEndDate", label, schema: { type: "string", format: "date" } };
    expect((await t.request().post(field).set(h).send(body)).status).toBe(201);

    const d = await drift("manufacturing");
    expect(d.drifted).toBe(true);
    const table = d.assets.find((a: Row) => a.id === `policy-table/${TABLE}`);
    expect(table).toMatchObject({ status: "modified", localChange: true, upstreamChange: false, tenantVersion: 2 });
    // Tenant copy (before) against the pack (after), row by row, as the policy-table diff answers.
    expect(table.diff).toMatchObject({ columns: { added: [], removed: [], changed: [] }, added: [], removed: [] });
    expect(table.diff.modified).toEqual([
      expect.objectContaining({ changes: [{ column: "values.workInjuryOnly", before: true, after: false }] }),
    ]);
    const cf = d.assets.find((a: Row) => a.id === "custom-field/employees.contractEndDate");
    expect(cf).toMatchObject({ status: "modified", localChange: true, tenantVersion: null });
    expect(cf.diff.modified).toEqual(
      expect.arrayContaining([{ pointer: "/label/zh", before: "合同截止日", after: "合同到期日" }]),
    );
    expect(cf.diff.added.map((x: Row) => x.pointer)).toEqual(["/schema/description"]);

    // Local changes are kept unless named; named, the preview shows each diff and its checks.
    const ids = [`policy-table/${TABLE}`, "custom-field/employees.contractEndDate"];
    const kept = await t.request().post("/api/packs/manufacturing/upgrade").set(h).send({ dryRun: true });
    expect(kept.body).toMatchObject({ assets: [], kept: ids });
    const dry = await t.request().post("/api/packs/manufacturing/upgrade").set(h).send({ dryRun: true, assets: ids });
    expect(dry.status).toBe(200);
    expect(dry.body.passed).toBe(true);
    const [pt, cfp] = dry.body.assets;
    expect(pt.diff.modified[0].changes[0].column).toBe("values.workInjuryOnly");
    expect(pt.tests.map((x: Row) => [x.name, x.passed])).toEqual([
      ["(validation)", true],
      ["Shenzhen allows work injury insurance alone", true],
      ["Beijing enrolls temporary workers in the five insurances", true],
      ["no Chengdu row before 2024-07", true],
    ]);
    expect(cfp.tests).toEqual([{ name: "(validation)", passed: true, differences: [] }]);
    expect(await docVersions("policy-table", TABLE)).toBe(2);

    const apply = await t
      .request()
      .post("/api/packs/manufacturing/upgrade")
      .set(h)
      .send({ dryRun: false, assets: ids });
    expect(apply.status).toBe(200);
    // Written custom fields first (a report may read one), then the table's new version.
    expect(apply.body.written).toEqual([
      { id: "custom-field/employees.contractEndDate", version: null },
      { id: `policy-table/${TABLE}`, version: 3 },
    ]);
    expect((await fieldsOf()).find((f) => f.name === "contractEndDate")!.label).toEqual({
      zh: "合同到期日",
      en: "Contract end date",
    });
    const after = (await t.request().get(`/api/policy-tables/${TABLE}`).set(h)).body;
    expect(after.rows[beijing].values.workInjuryOnly).toBe(false);
    expect((await drift("manufacturing")).drifted).toBe(false);
  });

  it("a tenant that changed a pack report sees its drift; the upgrade brings the pack's spec back", async () => {
    // The demo tenant holds the built-in report the retail pack ships: adopting writes only the rule set.
    const adopt = await t.request().post("/api/packs/retail/adopt").set(h).send({});
    expect(adopt.status).toBe(201);
    expect(adopt.body.written).toEqual(["rule-set/retail-stores"]);
    const REPORT = "cost-by-region-store";
    const rec = (await t.request().get(`/api/reports/${REPORT}`).set(h)).body;
    const put = await t
      .request()
      .put(`/api/reports/${REPORT}`)
      .set(h)
      .send({ revision: rec.revision, chart: { type: "table" }, sort: null });
    expect(put.status).toBe(200);
    expect((await t.request().post(`/api/reports/${REPORT}/publish`).set(h).send({})).status).toBe(201);
    const d = (await drift("retail")).assets.find((a: Row) => a.id === `report/${REPORT}`);
    expect(d).toMatchObject({ status: "modified", localChange: true, upstreamChange: false, tenantVersion: 2 });
    expect(d.diff.modified).toEqual([{ pointer: "/chart/type", before: "table", after: "stackedBar" }]);
    expect(d.diff.added.map((x: Row) => x.pointer)).toEqual(
      expect.arrayContaining(["/chart/x", "/chart/series", "/sort"]),
    );

    const ids = [`report/${REPORT}`];
    const dry = await t.request().post("/api/packs/retail/upgrade").set(h).send({ dryRun: true, assets: ids });
    expect(dry.body.passed).toBe(true);
    expect(dry.body.assets[0].tests[0]).toEqual({ name: "(validation)", passed: true, differences: [] });
    expect(dry.body.assets[0].tests[1].name).toMatch(/^\(preview run on this tenant: \d+ rows\)$/);
    const apply = await t.request().post("/api/packs/retail/upgrade").set(h).send({ dryRun: false, assets: ids });
    expect(apply.body.written).toEqual([{ id: `report/${REPORT}`, version: 3 }]);
    const now = (await t.request().get(`/api/reports/${REPORT}`).set(h)).body;
    expect(now).toMatchObject({
      chart: { type: "stackedBar" },
      sort: [{ key: "region", order: "asc" }, expect.anything()],
    });
    expect((await drift("retail")).drifted).toBe(false);
  });

  it("an upstream release is previewed, then applied, and the new pack version recorded", async () => {
    const v120 = release("1.2.0", (p) => {
      const c = deenrollRule(p).conditions.all.find((x: Row) => x.operator === "lessThanInclusive");
      c.value = 60;
    });
    const service = new PackService(t.ctx, [v120]);
    const seasonal = (await service.driftReport(t.db, demoId, "manufacturing")).assets[0]!;
    expect(seasonal).toMatchObject({ status: "upstream", localChange: false, upstreamChange: true });
    expect((seasonal.upstreamDiff as Row).modified[0].rule).toBe("batch-deenroll-contract-end");
    const listed = (await service.list(t.db, demoId)).find((p) => p.key === "manufacturing");
    expect(listed).toMatchObject({ latestVersion: "1.2.0", upgradable: true, newerVersion: true });

    const before = await versionsOf(SEASONAL);
    const dry = await service.upgrade(t.db, demoId, "manufacturing", { dryRun: true }, null);
    expect(dry).toMatchObject({ from: "1.1.0", to: "1.2.0", passed: true });
    expect(dry.assets.map((a) => a.id)).toEqual([`rule-set/${SEASONAL}`]);
    expect(await versionsOf(SEASONAL)).toBe(before);
    expect((await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "manufacturing" }).first()).version).toBe(
      "1.1.0",
    );

    await service.upgrade(t.db, demoId, "manufacturing", { dryRun: false }, null);
    expect(await versionsOf(SEASONAL)).toBe(before + 1);
    const row = await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "manufacturing" }).first();
    expect(row.version).toBe("1.2.0");
    expect(row.upgraded_at).not.toBeNull();
    const after = await service.driftReport(t.db, demoId, "manufacturing");
    expect(after.assets[0]).toMatchObject({ status: "unchanged", upstreamChange: false, adoptedVersion: "1.2.0" });
  });

  it("a release whose test case fails is reported in the preview and cannot be applied", async () => {
    const v130 = release("1.3.0", (p) => {
      deenrollRule(p).conditions.all.find((x: Row) => x.operator === "lessThanInclusive").value = 5;
    });
    const service = new PackService(t.ctx, [v130]);
    const dry = await service.upgrade(t.db, demoId, "manufacturing", { dryRun: true }, null);
    expect(dry.passed).toBe(false);
    expect(dry.assets[0]!.tests.find((x) => !x.passed)?.name).toBe("a contract ending in two weeks");
    const before = await versionsOf(SEASONAL);
    await expect(service.upgrade(t.db, demoId, "manufacturing", { dryRun: false }, null)).rejects.toMatchObject({
      code: "PACK_TESTS_FAILED",
    });
    expect(await versionsOf(SEASONAL)).toBe(before);
    expect((await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "manufacturing" }).first()).version).toBe(
      "1.2.0",
    );
  });

  it("a pack with every kind of asset is adopted: each one copied, in one transaction", async () => {
    const service = new PackService(t.ctx, [kindsPack()]);
    const out = await service.adopt(t.db, demoId, "kinds", null);
    expect(out.written).toEqual([
      `custom-field/${KINDS.field}`,
      `policy-table/${KINDS.table}`,
      `rule-set/${KINDS.ruleSet}`,
      `reminder-template/${KINDS.template}`,
      `report/${KINDS.report}`,
    ]);
    const kept = await t.db("pack_adoption_assets").where({ tenant_id: demoId, pack_key: "kinds" });
    expect(kept.map((a: Row) => a.kind).sort()).toEqual([
      "custom-field",
      "policy-table",
      "reminder-template",
      "report",
      "rule-set",
    ]);
    expect((await fieldsOf()).find((f) => f.name === "kindsShift")).toMatchObject({ label: { zh: "班次" } });
    for (const [path, key] of [
      ["policy-tables", KINDS.table],
      ["reports", KINDS.report],
      ["rule-sets", KINDS.ruleSet],
      ["reminder-templates", KINDS.template],
    ])
      expect((await t.request().get(`/api/${path}/${key}`).set(h)).body.latestVersion).toBe(1);
    // The report reads the custom field the same pack brought.
    const run = await t.request().post(`/api/reports/${KINDS.report}/run`).set(h).send({});
    expect(run.status).toBe(200);
    const d = await service.driftReport(t.db, demoId, "kinds");
    expect(d.assets.map((a) => a.status)).toEqual(Array(5).fill("unchanged"));
  });

  it("an upstream policy table and report change is previewed with diffs and checks, then applied", async () => {
    const v110 = kindsPack("1.1.0", upstream110);
    const service = new PackService(t.ctx, [v110]);
    const d = await service.driftReport(t.db, demoId, "kinds");
    expect(d.assets.filter((a) => a.status !== "unchanged").map((a) => [a.id, a.status])).toEqual([
      [`policy-table/${KINDS.table}`, "upstream"],
      [`report/${KINDS.report}`, "upstream"],
    ]);
    const dry = await service.upgrade(t.db, demoId, "kinds", { dryRun: true }, null);
    expect(dry).toMatchObject({ from: "1.0.0", to: "1.1.0", passed: true, kept: [] });
    const [table, report] = dry.assets as Row[];
    expect(table!.diff.modified[0].changes).toEqual([
      { column: "note", before: expect.any(String), after: "changed upstream" },
    ]);
    expect(table!.tests.length).toBe(4);
    expect(report!.diff).toEqual({
      added: [{ pointer: "/sort", after: [{ key: "headcount", order: "desc" }] }],
      removed: [],
      modified: [],
    });
    expect(report!.tests.map((x: Row) => x.passed)).toEqual([true, true]);
    expect(await docVersions("policy-table", KINDS.table)).toBe(1);
    expect(await docVersions("report", KINDS.report)).toBe(1);

    const applied = await service.upgrade(t.db, demoId, "kinds", { dryRun: false }, null);
    expect((applied as { written?: unknown }).written).toEqual([
      { id: `policy-table/${KINDS.table}`, version: 2 },
      { id: `report/${KINDS.report}`, version: 2 },
    ]);
    const row = await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "kinds" }).first();
    expect(row.version).toBe("1.1.0");
    const rep = (await t.request().get(`/api/reports/${KINDS.report}`).set(h)).body;
    expect(rep.sort).toEqual([{ key: "headcount", order: "desc" }]);
    expect((await service.driftReport(t.db, demoId, "kinds")).drifted).toBe(false);
  });

  it("a policy table whose lookup no longer holds fails its test case in the preview and is not applied", async () => {
    const v115 = kindsPack("1.1.5", (f) => {
      upstream110(f);
      (f.policyTables[0]!.rows[1] as Row).note = "changed again";
      f.policyTables[0]!.testCases![0]!.expect = { workInjuryOnly: false };
    });
    const service = new PackService(t.ctx, [v115]);
    const dry = await service.upgrade(t.db, demoId, "kinds", { dryRun: true }, null);
    expect(dry.passed).toBe(false);
    expect(dry.assets[0]!.tests.filter((x) => !x.passed)).toEqual([
      {
        name: "Shenzhen allows work injury insurance alone",
        passed: false,
        differences: ['2025-06-01 {"city":"440300"}: expected {"workInjuryOnly":false}, got {"workInjuryOnly":true}'],
      },
    ]);
    await expect(service.upgrade(t.db, demoId, "kinds", { dryRun: false }, null)).rejects.toMatchObject({
      code: "PACK_TESTS_FAILED",
    });
    expect(await docVersions("policy-table", KINDS.table)).toBe(2);
  });

  it("an asset its kind's API would refuse is refused with the problem at its pointer; nothing written", async () => {
    // Built packs are checked on load, so a bad asset is one that slipped past: patched in after the build.
    const v120 = kindsPack("1.2.0", (f) => {
      upstream110(f);
      f.reports[0]!.spec.limit = 50;
    });
    const report = v120.assets.find((a) => a.kind === "report")!;
    report.content = { ...report.content, dimensions: [{ field: "custom.nope", key: "shift" }] };
    const service = new PackService(t.ctx, [v120]);
    const dry = await service.upgrade(t.db, demoId, "kinds", { dryRun: true }, null);
    expect(dry.passed).toBe(false);
    expect(dry.assets[0]!.tests).toEqual([
      expect.objectContaining({
        name: "(validation)",
        passed: false,
        pointer: "/dimensions/0/field",
        code: "INVALID_REPORT",
      }),
    ]);
    await expect(service.upgrade(t.db, demoId, "kinds", { dryRun: false }, null)).rejects.toMatchObject({
      code: "PACK_ASSET_INVALID",
      status: 409,
      params: { asset: `report/${KINDS.report}`, pointer: "/dimensions/0/field" },
    });
    expect(await docVersions("report", KINDS.report)).toBe(2);

    // Adopting: a table row the policy-table API refuses stops the whole pack, the custom field included.
    const bad = { ...kindsManifest, key: "kinds-bad" };
    const p = buildPack(bad, {
      ruleSets: [{ ...clone(allPacks.find((x) => x.key === "internet-remote")!), key: KINDS.ruleSet }],
      templates: [{ ...clone(templatePack[0]!), key: KINDS.template }],
      files: kindsFiles(),
    });
    const field = p.assets.find((a) => a.kind === "custom-field")!;
    field.content = { ...field.content, name: "kindsBad" };
    field.key = "employees.kindsBad";
    const table = p.assets.find((a) => a.kind === "policy-table")!;
    const rows = clone(table.content.rows as Row[]);
    rows[0]!.values.workInjuryOnly = "yes";
    table.content = { ...table.content, rows };
    table.key = "kinds-bad-coverage";
    const refused = new PackService(t.ctx, [p]);
    await expect(refused.adopt(t.db, demoId, "kinds-bad", null)).rejects.toMatchObject({
      code: "PACK_ASSET_INVALID",
      params: { asset: "policy-table/kinds-bad-coverage", pointer: "/rows/0/values/workInjuryOnly" },
    });
    expect(await t.db("pack_adoptions").where({ tenant_id: demoId, pack_key: "kinds-bad" }).first()).toBeUndefined();
    expect((await fieldsOf()).some((f) => f.name === "kindsBad")).toBe(false);
    expect(await t.db("documents").where({ tenant_id: demoId, key: "kinds-bad-coverage" }).first()).toBeUndefined();
  });
});

describe("pack catalogue", () => {
  const problems = (edit: (f: PackFiles) => void, manifest = kindsManifest) => {
    const files = kindsFiles();
    edit(files);
    const remote = { ...clone(allPacks.find((x) => x.key === "internet-remote")!), key: KINDS.ruleSet };
    const templates = [{ ...clone(templatePack[0]!), key: KINDS.template }];
    return packProblems(manifest, { ruleSets: [remote], templates, files });
  };

  it("the shipped packs are sound, with every kind's content checked", () => {
    for (const m of packManifests) expect(packProblems(m)).toEqual([]);
    expect(problems(() => {})).toEqual([]);
  });

  it("names a missing file and a figure without its source", () => {
    expect(problems((f) => (f.reports = []))).toEqual([`kinds: no file reports/${KINDS.report}.json`]);
    expect(problems((f) => delete f.policyTables[0]!.rows[2]!.source)).toEqual([
      `kinds: policy-tables/${KINDS.table}.json: rows/2/source: is required`,
    ]);
    expect(problems((f) => ((f.customFields[0]!.label as Row).en = ""))).toEqual([
      `kinds: custom-fields/${KINDS.field}.json: label.en: is required`,
    ]);
  });

  it("refuses content its kind's API refuses, at the JSON pointer", () => {
    const table = problems((f) => ((f.policyTables[0]!.rows[0] as Row).values.workInjuryOnly = "yes"));
    expect(table).toEqual([
      expect.stringMatching(
        /^kinds: policy-tables\/kinds-coverage\.json: INVALID_POLICY_TABLE \/rows\/0\/values\/workInjuryOnly: /,
      ),
    ]);
    const report = problems((f) => (f.reports[0]!.spec.dimensions = [{ field: "custom.nope" }]));
    expect(report).toEqual([
      expect.stringMatching(/reports\/kinds-shifts\.json: INVALID_REPORT \/dimensions\/0\/field: /),
    ]);
    const field = problems((f) => (f.customFields[0]!.name = "hireDate"));
    expect(field[0]).toMatch(/no file custom-fields\/employees\.kindsShift\.json/);
    const builtIn = problems(
      (f) => {
        f.customFields[0]!.name = "hireDate";
        f.reports = [];
      },
      { ...kindsManifest, assets: { ...kindsManifest.assets, reports: [], customFields: ["employees.hireDate"] } },
    );
    expect(builtIn).toEqual([expect.stringContaining("custom-fields/employees.hireDate.json: FIELD_EXISTS")]);
    expect(() => buildPack(kindsManifest, { files: { ...kindsFiles(), reports: [] } })).toThrow(/is not sound/);
  });
});
