/** Configuration bundles: export, diff, import (dry run with shadow evaluation, apply), all or nothing. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { TEST_ADMIN } from "../support/constants";
import { newWebhookSecret } from "../../plugins/channel-webhook";

let t: TestApp;
let demo: Record<string, string>;
let staging: Record<string, string>;
const KEY = "bundle-threshold";

const content = (threshold: number) => ({
  facts: { wage: { type: "number", minimum: 0 } },
  rules: [
    {
      name: "high",
      conditions: { all: [{ fact: "wage", operator: "greaterThanInclusive", value: threshold }] },
      event: { type: "high-wage", params: { band: "high" } },
    },
  ],
  testCases: [
    { name: "far above", facts: { wage: 60000 }, expectEvents: [{ type: "high-wage", params: { band: "high" } }] },
  ],
});

/** A new, empty tenant the test admin belongs to (as seedDemo makes demo and retail). */
async function newTenant(slug: string): Promise<Record<string, string>> {
  const [tenant] = await t
    .db("tenants")
    .insert({ slug, name: `Tenant ${slug}`, industry: "manufacturing" })
    .returning("id");
  const admin = await t.db("users").whereRaw("lower(email) = ?", [TEST_ADMIN.email.toLowerCase()]).first("id");
  await t.db("user_tenants").insert({ user_id: admin.id, tenant_id: tenant.id });
  return t.admin(slug);
}

const counts = async (tenant: string) => {
  const id = (await t.db("tenants").where({ slug: tenant }).first("id")).id;
  const out: Record<string, number> = {};
  for (const table of ["documents", "document_versions", "custom_fields", "schedules"])
    out[table] = Number((await t.db(table).where({ tenant_id: id }).count({ n: "*" }))[0]!.n);
  return out;
};

beforeAll(async () => {
  t = await startTestApp();
  demo = await t.admin("demo");
  // A secret in the channel settings, which no export may carry.
  const hook = await t
    .request()
    .put("/api/channels/webhook")
    .set(demo)
    .send({ settings: { preset: "standard" }, secrets: { url: "http://127.0.0.1:9/hook", secret: SECRET } });
  expect(hook.status, JSON.stringify(hook.body)).toBe(200);
  const field = await t
    .request()
    .post("/api/entities/employees/fields")
    .set(demo)
    .send({ name: "badgeNo", label: { en: "Badge", zh: "工牌" }, schema: { type: "string", maxLength: 20 } });
  expect(field.status, JSON.stringify(field.body)).toBeLessThan(300);
  // 50 recorded decisions through the apply route: wages 1,000 … 50,000 against a threshold of 5,000.
  const created = await t
    .request()
    .post("/api/rule-sets")
    .set(demo)
    .send({ key: KEY, name: "Threshold", ...content(5000) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(
    (await t.request().post(`/api/rule-sets/${KEY}/publish`).set(demo).send({ effectiveFrom: "2020-01-01" })).status,
  ).toBe(201);
  for (let i = 1; i <= 50; i++) {
    const res = await t
      .request()
      .post(`/api/rule-sets/${KEY}/apply`)
      .set(demo)
      .send({ facts: { wage: i * 1000 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  staging = await newTenant("staging");
}, 120_000);
afterAll(() => t.close());

const SECRET = newWebhookSecret();
const exportDemo = async () => {
  const res = await t.request().get("/api/config/bundle").set(demo);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  return res.body;
};
const importInto = (h: Record<string, string>, bundle: unknown, mode: string, extra: object = {}) =>
  t
    .request()
    .post("/api/config/bundle/import")
    .set(h)
    .send({ bundle, mode, ...extra });

describe("export", () => {
  it("exports every kind of asset with a hash, and no secret", async () => {
    const b = await exportDemo();
    expect(b.format).toBe("ordo-config-bundle");
    expect(b.hash).toMatch(/^[0-9a-f]{64}$/);
    for (const s of [
      "ruleSets",
      "policyTables",
      "reminderTemplates",
      "reports",
      "customFields",
      "schedules",
      "packOrigins",
    ])
      expect(Array.isArray(b.assets[s]), s).toBe(true);
    const rs = b.assets.ruleSets.find((r: { key: string }) => r.key === KEY);
    expect(rs).toMatchObject({ effectiveFrom: "2020-01-01", source: { version: 1, draftDiffers: false } });
    expect(b.assets.customFields).toContainEqual(expect.objectContaining({ entity: "employees", name: "badgeNo" }));
    expect(b.assets.schedules).toContainEqual(expect.objectContaining({ jobType: "monthly-run" }));
    expect(b.assets.policyTables.length).toBeGreaterThan(0);
    expect(b.assets.reports.length).toBeGreaterThan(0);
    const text = JSON.stringify(b);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("127.0.0.1:9/hook");
    expect(text).not.toContain("webhook");
  });

  it("marks a draft that differs from the version in force, without exporting the draft", async () => {
    const rec = (await t.request().get(`/api/rule-sets/${KEY}`).set(demo)).body;
    const saved = await t
      .request()
      .put(`/api/rule-sets/${KEY}`)
      .set(demo)
      .send({ revision: rec.revision, ...content(1) });
    expect(saved.status).toBe(200);
    const rs = (await exportDemo()).assets.ruleSets.find((r: { key: string }) => r.key === KEY);
    expect(rs.source.draftDiffers).toBe(true);
    expect(rs.content.rules[0].conditions.all[0].value).toBe(5000);
  });

  it("is for consultants only: HR and employees get 403", async () => {
    for (const h of [await t.hr(), await t.employee()]) {
      expect((await t.request().get("/api/config/bundle").set(h)).status).toBe(403);
      expect(
        (
          await t
            .request()
            .post("/api/config/bundle/diff")
            .set(h)
            .send({ bundle: { assets: {} } })
        ).status,
      ).toBe(403);
      expect((await importInto(h, { assets: {} }, "dry-run")).status).toBe(403);
    }
  });
});

describe("promotion to a new tenant", () => {
  it("dry-run, then apply, then the diff reports no difference", async () => {
    const b = await exportDemo();
    const before = await counts("staging");
    const dry = await importInto(staging, b, "dry-run");
    expect(dry.status, JSON.stringify(dry.body).slice(0, 800)).toBe(200);
    expect(dry.body.applied).toBe(false);
    expect(dry.body.diff.counts.added).toBeGreaterThan(5);
    expect(dry.body.shadow.replayed).toBe(0);
    expect(await counts("staging")).toEqual(before);

    const applied = await importInto(staging, b, "apply");
    expect(applied.status, JSON.stringify(applied.body).slice(0, 800)).toBe(200);
    expect(applied.body.applied).toBe(true);
    expect((await counts("staging")).documents).toBe(
      b.assets.ruleSets.length +
        b.assets.policyTables.length +
        b.assets.reminderTemplates.length +
        b.assets.reports.length,
    );

    const diff = await t.request().post("/api/config/bundle/diff").set(staging).send({ bundle: b });
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([]);
    expect(diff.body.identical).toBe(true);
    // The target's own export carries the same hash: same content, its own version numbers.
    expect((await t.request().get("/api/config/bundle").set(staging)).body.hash).toBe(b.hash);
    // Importing again writes nothing.
    const again = await importInto(staging, b, "apply");
    expect(again.body.written).toEqual([]);
  });
});

describe("shadow evaluation", () => {
  it("a threshold change that alters 3 of the 50 recorded decisions reports exactly those 3", async () => {
    const b = await exportDemo();
    const rs = b.assets.ruleSets.find((r: { key: string }) => r.key === KEY);
    rs.content.rules[0].conditions.all[0].value = 8000; // wages 5,000, 6,000 and 7,000 no longer match
    delete b.hash;
    const diff = await t.request().post("/api/config/bundle/diff").set(demo).send({ bundle: b });
    expect(diff.body.changes).toEqual([
      expect.objectContaining({
        section: "ruleSets",
        id: KEY,
        change: "modified",
        pointers: ["/content/rules/0/conditions/all/0/value"],
      }),
    ]);
    const versions = await counts("demo");
    const dry = await importInto(demo, b, "dry-run", { decisions: 1000 });
    expect(dry.status, JSON.stringify(dry.body).slice(0, 800)).toBe(200);
    expect(await counts("demo")).toEqual(versions);
    const entry = dry.body.shadow.byRuleSet[KEY];
    expect(entry.replayed).toBe(50);
    expect(entry.changed).toBe(3);
    expect(dry.body.shadow.changed).toBe(3);
    const wages = entry.examples.map((e: any) => e.before.events && e.decisionId);
    expect(wages).toHaveLength(3);
    const changed = await t.db("decisions").whereIn("id", wages).select("facts");
    expect(changed.map((d: any) => d.facts.wage).sort()).toEqual([5000, 6000, 7000]);
    for (const e of entry.examples) {
      expect(e.removed).toEqual([{ type: "high-wage", params: { band: "high" } }]);
      expect(e.added).toEqual([]);
      expect(e.after.events).toEqual([]);
    }
    // Different params (amounts) on the same event type are named by pointer.
    const c = structuredClone(b);
    c.assets.ruleSets.find((r: { key: string }) => r.key === KEY).content.rules[0].event.params.band = "top";
    c.assets.ruleSets.find((r: { key: string }) => r.key === KEY).content.testCases = [];
    const amounts = (await importInto(demo, c, "dry-run")).body.shadow.byRuleSet[KEY];
    expect(amounts.changed).toBe(46);
    expect(amounts.examples[0].changedParams).toEqual([{ type: "high-wage", pointers: ["/band"] }]);
    // The limit is a parameter: the latest 10 decisions are wages 41,000 … 50,000, none of which change.
    const few = await importInto(demo, b, "dry-run", { decisions: 10 });
    expect(few.body.shadow.replayed).toBe(10);
    expect(few.body.shadow.changed).toBe(0);
  });
});

describe("shadow evaluation with policy facts", () => {
  it("replays through the incoming policy table: a changed limit changes that city's decisions only", async () => {
    const limit = (city: string, n: string) => ({
      key: { city },
      values: { limit: n },
      effectiveFrom: "2020-01-01",
      effectiveTo: null,
      source: "test",
      confidence: "H",
    });
    const table = await t
      .request()
      .post("/api/policy-tables")
      .set(demo)
      .send({
        key: "bundle-limits",
        name: "Limits",
        keyColumns: { city: { type: "string" } },
        valueColumns: { limit: { type: "string", pattern: "^\\d+$" } },
        rows: [limit("110000", "5000"), limit("310000", "7000")],
      });
    expect(table.status, JSON.stringify(table.body)).toBe(201);
    expect((await t.request().post("/api/policy-tables/bundle-limits/publish").set(demo).send({})).status).toBe(201);
    const rs = await t
      .request()
      .post("/api/rule-sets")
      .set(demo)
      .send({
        key: "bundle-policy",
        name: "Policy limit",
        facts: { city: { type: "string" } },
        rules: [
          {
            name: "big",
            conditions: {
              all: [
                {
                  fact: "policy",
                  params: { table: "bundle-limits", key: { city: { fact: "city" } }, column: "limit" },
                  operator: "in",
                  value: ["7000", "9000"],
                },
              ],
            },
            event: { type: "big-limit" },
          },
        ],
      });
    expect(rs.status, JSON.stringify(rs.body)).toBe(201);
    expect(
      (await t.request().post("/api/rule-sets/bundle-policy/publish").set(demo).send({ effectiveFrom: "2020-01-01" }))
        .status,
    ).toBe(201);
    for (const city of ["110000", "110000", "310000", "310000", "310000"]) {
      const res = await t.request().post("/api/rule-sets/bundle-policy/apply").set(demo).send({ facts: { city } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const b = await exportDemo();
    delete b.hash;
    const rows = b.assets.policyTables.find((x: { key: string }) => x.key === "bundle-limits").content.rows;
    rows.find((r: any) => r.key.city === "110000").values.limit = "9000";
    const dry = await importInto(demo, b, "dry-run");
    expect(dry.status, JSON.stringify(dry.body).slice(0, 600)).toBe(200);
    const entry = dry.body.shadow.byRuleSet["bundle-policy"];
    expect(entry).toMatchObject({ replayed: 5, changed: 2 });
    for (const e of entry.examples) expect(e.added).toEqual([{ type: "big-limit", params: {} }]);
  });
});

describe("all or nothing", () => {
  it("an invalid asset rejects the whole import, naming the asset and pointer, with nothing written", async () => {
    const b = await exportDemo();
    delete b.hash;
    b.assets.ruleSets.find((r: { key: string }) => r.key === KEY).content.rules[0].conditions.all[0].operator = "nope";
    b.assets.customFields.push({
      entity: "employees",
      name: "shoeSize",
      label: { en: "Shoe", zh: "鞋码" },
      schema: { type: "integer" },
    });
    const before = await counts("demo");
    const res = await importInto(demo, b, "apply");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_BUNDLE_ASSET");
    const i = b.assets.ruleSets.findIndex((r: { key: string }) => r.key === KEY);
    expect(res.body.params.asset).toBe(`ruleSets/${KEY}`);
    expect(res.body.params.pointer).toMatch(new RegExp(`^/assets/ruleSets/${i}/content/rules/0/conditions/all/0`));
    expect(await counts("demo")).toEqual(before);
    const zh = await importInto({ ...demo, "accept-language": "zh-CN" }, b, "apply");
    expect(zh.body.message).toContain("未导入任何内容");
  });

  it("a bad schedule, written last, rolls back the assets written before it", async () => {
    const b = await exportDemo();
    delete b.hash;
    // Valid changes the import writes first (a custom field, a new rule-set version) ...
    b.assets.ruleSets.find((r: { key: string }) => r.key === KEY).content.rules[0].conditions.all[0].value = 4000;
    b.assets.customFields.push({
      entity: "employees",
      name: "lockerNo",
      label: { en: "Locker", zh: "柜号" },
      schema: { type: "string" },
    });
    // ... and a schedule that fails its entity check, written after them.
    b.assets.schedules.push({ jobType: "monthly-run", target: "x", cron: "not a cron" });
    const before = await counts("demo");
    const res = await importInto(demo, b, "apply");
    expect(res.status).toBe(400);
    expect(res.body.params.asset).toBe("schedules/monthly-run:x");
    expect(res.body.params.pointer).toMatch(/^\/assets\/schedules\/\d+/);
    expect(await counts("demo")).toEqual(before);
  });

  it("a bad policy table row, an unknown template placeholder: 400 naming the asset and pointer", async () => {
    const before = await counts("demo");
    const b = await exportDemo();
    delete b.hash;
    const table = b.assets.policyTables[0];
    table.content.rows[0] = { ...table.content.rows[0], effectiveFrom: "not a date" };
    const res = await importInto(demo, b, "apply");
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(400);
    expect(res.body.params.asset).toBe(`policyTables/${table.key}`);
    expect(res.body.params.pointer).toMatch(/^\/assets\/policyTables\/0\/content\/rows\/0/);

    const c = await exportDemo();
    delete c.hash;
    expect(c.assets.reminderTemplates.length).toBeGreaterThan(0);
    const tpl = c.assets.reminderTemplates[0];
    const subject = tpl.content.subject;
    tpl.content.subject =
      typeof subject === "string"
        ? `${subject} {{ nosuch.placeholder }}`
        : Object.fromEntries(Object.entries(subject).map(([k, v]) => [k, `${v} {{ nosuch.placeholder }}`]));
    const bad = await importInto(demo, c, "dry-run");
    expect(bad.status, JSON.stringify(bad.body).slice(0, 400)).toBe(400);
    expect(bad.body.params.asset).toBe(`reminderTemplates/${tpl.key}`);
    expect(bad.body.params.pointer).toMatch(/^\/assets\/reminderTemplates\/0\/content\/subject/);
    expect(await counts("demo")).toEqual(before);
  });

  it("a failing test case blocks apply", async () => {
    const b = await exportDemo();
    delete b.hash;
    const rs = b.assets.ruleSets.find((r: { key: string }) => r.key === KEY);
    rs.content.rules[0].conditions.all[0].value = 70000; // the "far above" case (60,000) no longer matches
    const before = await counts("demo");
    for (const mode of ["apply", "dry-run"]) {
      const res = await importInto(demo, b, mode);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("BUNDLE_TESTS_FAILED");
      expect(res.body.params.asset).toBe(`ruleSets/${KEY}`);
    }
    expect(await counts("demo")).toEqual(before);
  });

  it("a hash that does not match the assets is refused", async () => {
    const b = await exportDemo();
    b.assets.ruleSets.find((r: { key: string }) => r.key === KEY).name = "Renamed";
    const res = await importInto(demo, b, "dry-run");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "INVALID_BUNDLE", params: { pointer: "/bundle/hash" } });
  });

  it("apply publishes a changed rule set as a new version in force", async () => {
    const b = await exportDemo();
    delete b.hash;
    b.assets.ruleSets.find((r: { key: string }) => r.key === KEY).content.rules[0].conditions.all[0].value = 9000;
    const res = await importInto(demo, b, "apply");
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.written).toEqual([{ section: "ruleSets", id: KEY, action: "published" }]);
    const v = await t
      .request()
      .post(`/api/rule-sets/${KEY}/evaluate`)
      .set(demo)
      .send({ facts: { wage: 8500 } });
    expect(v.body.events).toEqual([]);
    const after = await t.request().post("/api/config/bundle/diff").set(demo).send({ bundle: b });
    expect(after.body.identical).toBe(true);
  });
});
