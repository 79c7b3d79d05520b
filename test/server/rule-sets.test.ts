/** Rule sets through the API: author, validate, test, publish, diff, roll back, evaluate, apply. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "json-rules-engine";
import { startTestApp, type TestApp } from "../support/app";
import { publishRuleSet } from "../support/http";
import { loadPlugins } from "../../server/plugins";
import { definePlugin } from "../../rules/index";

let t: TestApp;
let h: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
});
afterAll(() => t.close());

const facts = {
  wage: { type: "number", minimum: 0 },
  city: { type: "string" },
  hireDate: { type: "string", format: "date" },
  employmentType: { type: "string", enum: ["full_time", "seasonal", "temporary", "remote"] },
};
const rules = [
  {
    name: "high-wage",
    priority: 10,
    conditions: {
      all: [
        { fact: "wage", operator: "greaterThanInclusive", value: 30000 },
        { fact: "city", operator: "in", value: ["110000", "310000"] },
      ],
    },
    event: { type: "record-decision", params: { reason: "wage above the local upper limit" } },
  },
  {
    name: "seasonal",
    conditions: {
      any: [
        { fact: "employmentType", operator: "equal", value: "seasonal" },
        { not: { fact: "wage", operator: "greaterThan", value: 3000 } },
      ],
    },
    event: { type: "record-decision", params: { reason: "batch handling" } },
  },
];
const testCases = [
  {
    name: "beijing high wage",
    facts: { wage: 40000, city: "110000", employmentType: "full_time" },
    expectEvents: [{ type: "record-decision", params: { reason: "wage above the local upper limit" } }],
  },
  {
    name: "seasonal worker",
    facts: { wage: 5000, city: "440100", employmentType: "seasonal" },
    expectEvents: [{ type: "record-decision", params: { reason: "batch handling" } }],
    expectResults: { "high-wage": false },
  },
];
const create = (body: object) => t.request().post("/api/rule-sets").set(h).send(body);

describe("validation on save", () => {
  it("a rule with a missing value is refused naming /rules/0/conditions/all/0", async () => {
    const res = await create({
      key: "broken",
      name: "Broken",
      facts,
      rules: [{ conditions: { all: [{ fact: "wage", operator: "greaterThan" }] }, event: { type: "x" } }],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_RULE_SET");
    const pointers = res.body.details.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toContain("/rules/0/conditions/all/0");
    expect(res.body.details.errors[0].message).toMatch(/value/);
    expect((await t.request().get("/api/rule-sets/broken").set(h)).status).toBe(404);
  });

  it("an unknown operator and an unknown fact are refused at their pointers", async () => {
    const res = await create({
      key: "unknowns",
      name: "U",
      facts,
      rules: [
        {
          conditions: {
            all: [
              { fact: "wage", operator: "biggerThan", value: 1 },
              { fact: "salary", operator: "equal", value: 1 },
            ],
          },
          event: { type: "record-decision" },
        },
      ],
    });
    expect(res.status).toBe(400);
    const errs = res.body.details.errors as { pointer: string; code: string }[];
    expect(errs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: "/rules/0/conditions/all/0/operator", code: "UNKNOWN_OPERATOR" }),
        expect.objectContaining({ pointer: "/rules/0/conditions/all/1/fact", code: "UNKNOWN_FACT" }),
      ]),
    );
  });

  it("an event type with no action is a warning beside a successful save", async () => {
    const res = await create({
      key: "warned",
      name: "W",
      facts,
      rules: [
        {
          conditions: { all: [{ fact: "today", operator: "equal", value: "2024-01-01" }] },
          event: { type: "no-such-action" },
        },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual([expect.objectContaining({ code: "NO_ACTION", pointer: "/rules/0/event/type" })]);
  });

  it("limits nesting depth with a clear message", async () => {
    let cond: object = { fact: "wage", operator: "equal", value: 1 };
    for (let i = 0; i < 15; i++) cond = { all: [cond] };
    const res = await create({
      key: "deep",
      name: "Deep",
      facts,
      rules: [{ conditions: cond, event: { type: "record-decision" } }],
    });
    expect(res.status).toBe(400);
    expect(res.body.details.errors[0].code).toMatch(/LIMIT/);
  });
});

describe("lifecycle of a rule set", () => {
  it("create, edit (stale refused), test, publish, diff, roll back", async () => {
    const created = await create({
      key: "enrollment-check",
      name: "Enrollment check",
      industry: "manufacturing",
      facts,
      rules: [rules[0]],
      testCases: [testCases[0]],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "enrollment-check", revision: 1, latestVersion: null });

    const list = await t.request().get('/api/rule-sets?sort=["name","ASC"]&range=[0,9]').set(h);
    expect(list.headers["content-range"]).toMatch(/^rule-sets 0-\d+\/\d+$/);
    expect(list.body.map((r: { id: string }) => r.id)).toContain("enrollment-check");

    const v1 = await publishRuleSet(t, h, "enrollment-check", { effectiveFrom: "2024-01-01", note: "first" });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({
      version: 1,
      effectiveFrom: "2024-01-01",
      note: "first",
      author: expect.stringContaining("admin@ordo.local"),
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // Publishing the same draft again is refused: it would only add an identical version.
    const again = await publishRuleSet(t, h, "enrollment-check", { effectiveFrom: "2024-02-01" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("DRAFT_UNCHANGED");
    const zh = await t
      .request()
      .post("/api/rule-sets/enrollment-check/publish")
      .set(h)
      .set("Accept-Language", "zh-CN")
      .send({});
    expect(zh.body.message).toContain("没有可发布的新内容");

    const edit = await t
      .request()
      .put("/api/rule-sets/enrollment-check")
      .set(h)
      .send({ revision: 1, rules, testCases });
    expect(edit.status).toBe(200);
    expect(edit.body.revision).toBe(2);
    const stale = await t
      .request()
      .put("/api/rule-sets/enrollment-check")
      .set(h)
      .send({ revision: 1, rules: [rules[1]] });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "STALE_REVISION", details: { currentRevision: 2, yourRevision: 1 } });
    expect((await t.request().get("/api/rule-sets/enrollment-check").set(h)).body.rules).toHaveLength(2);

    const tests = await t.request().post("/api/rule-sets/enrollment-check/test").set(h).send({});
    expect(tests.status).toBe(200);
    expect(tests.body.results.map((r: { passed: boolean }) => r.passed)).toEqual([true, true]);

    // A failing test case blocks publishing.
    const broken = [
      ...testCases,
      {
        name: "wrong expectation",
        facts: { wage: 100, city: "110000", employmentType: "full_time" },
        expectEvents: [],
      },
    ];
    await t.request().put("/api/rule-sets/enrollment-check").set(h).send({ revision: 2, testCases: broken });
    const refused = await publishRuleSet(t, h, "enrollment-check");
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("TESTS_FAILED");
    const failed = refused.body.details.results.find((r: { passed: boolean }) => !r.passed);
    expect(failed).toMatchObject({
      name: "wrong expectation",
      differences: [expect.stringContaining("unexpected event")],
    });
    await t.request().put("/api/rule-sets/enrollment-check").set(h).send({ revision: 3, testCases });

    const v2 = await publishRuleSet(t, h, "enrollment-check", { effectiveFrom: "2025-01-01" });
    expect(v2.body.version).toBe(2);
    expect(
      (await t.request().put("/api/rule-sets/enrollment-check/versions/1").set(h).send({ rules: [] })).status,
    ).toBe(409);
    expect((await t.request().delete("/api/rule-sets/enrollment-check/versions/1").set(h)).body.code).toBe(
      "VERSION_IMMUTABLE",
    );

    const diff = await t.request().get("/api/rule-sets/enrollment-check/versions/1/diff/2").set(h);
    expect(diff.status).toBe(200);
    expect(diff.body.added.map((r: { rule: string }) => r.rule)).toEqual(["seasonal"]);
    expect(diff.body.removed).toEqual([]);
    await t
      .request()
      .put("/api/rule-sets/enrollment-check")
      .set(h)
      .send({
        revision: 4,
        rules: [
          {
            ...rules[0],
            conditions: {
              all: [
                { fact: "wage", operator: "greaterThanInclusive", value: 35000 },
                (rules[0]!.conditions as { all: object[] }).all[1],
              ],
            },
          },
          rules[1],
        ],
      });
    const draftDiff = await t.request().get("/api/rule-sets/enrollment-check/versions/2/diff/draft").set(h);
    expect(draftDiff.body.modified).toEqual([
      expect.objectContaining({ rule: "high-wage", pointers: ["/conditions/all/0/value"] }),
    ]);

    const versions = await t.request().get("/api/rule-sets/enrollment-check/versions").set(h);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.headers["content-range"]).toBe("versions 0-1/2");

    const rb = await t
      .request()
      .post("/api/rule-sets/enrollment-check/rollback")
      .set(h)
      .send({ version: 1, effectiveFrom: "2025-06-01" });
    expect(rb.status).toBe(201);
    expect(rb.body).toMatchObject({ version: 3, rolledBackFrom: 1, checksum: v1.body.checksum });
    const current = await t.request().get("/api/rule-sets/enrollment-check").set(h);
    expect(current.body.rules).toHaveLength(1);
    expect(current.body.latestVersion).toBe(3);
  });

  it("the version in force on a date is the latest published one effective on or before it", async () => {
    const ev = (at: string) =>
      t
        .request()
        .post("/api/rule-sets/enrollment-check/evaluate")
        .set(h)
        .send({ at, facts: { wage: 2000, city: "440100", employmentType: "seasonal" } });
    expect((await ev("2024-06-01")).body.version).toBe(1);
    expect((await ev("2025-03-01")).body.version).toBe(2);
    expect((await ev("2025-03-01")).body.events).toEqual([
      { type: "record-decision", params: { reason: "batch handling" } },
    ]);
    expect((await ev("2025-07-01")).body.version).toBe(3);
    const none = await ev("2023-01-01");
    expect(none.status).toBe(404);
    expect(none.body.code).toBe("NO_VERSION_IN_FORCE");
  });
});

describe("evaluation", () => {
  it("answers events and a condition trace with each leaf's fact value, and writes nothing", async () => {
    const counts = async () =>
      Promise.all(
        ["documents", "document_versions", "decisions"].map(async (tb) =>
          Number((await t.db(tb).count({ n: "*" }))[0]!.n),
        ),
      );
    const before = await counts();
    const res = await t
      .request()
      .post("/api/rule-sets/enrollment-check/evaluate")
      .set(h)
      .send({ version: 2, facts: { wage: 40000, city: "110000", employmentType: "full_time" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ruleSet: "enrollment-check",
      version: 2,
      events: [{ type: "record-decision", params: { reason: "wage above the local upper limit" } }],
      durationMs: expect.any(Number),
    });
    const high = res.body.results.find((r: { rule: string }) => r.rule === "high-wage");
    expect(high).toMatchObject({ priority: 10, result: true });
    expect(high.conditions.all[0]).toMatchObject({
      fact: "wage",
      operator: "greaterThanInclusive",
      value: 30000,
      factValue: 40000,
      result: true,
    });
    const seasonal = res.body.results.find((r: { rule: string }) => r.rule === "seasonal");
    expect(seasonal.result).toBe(false);
    expect(seasonal.conditions.any[1].not).toMatchObject({ fact: "wage", factValue: 40000, result: true });
    expect(await counts()).toEqual(before);
  });

  it("validates facts against the declared inputs first, naming the fact", async () => {
    const res = await t
      .request()
      .post("/api/rule-sets/enrollment-check/evaluate")
      .set(h)
      .send({ version: "draft", facts: { wage: "lots", city: "110000" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_FACTS");
    expect(Object.keys(res.body.errors)).toContain("/facts/wage");
  });

  it("evaluate-batch equals json-rules-engine on a thousand generated cases", async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const items = Array.from({ length: 1000 }, () => ({
      facts: {
        wage: Math.round(rnd() * 50000),
        city: pick(["110000", "310000", "440100", "440300"]),
        employmentType: pick(["full_time", "seasonal", "temporary", "remote"]),
      },
    }));
    const res = await t
      .request()
      .post("/api/rule-sets/enrollment-check/evaluate-batch")
      .set(h)
      .send({ version: "draft", items });
    expect(res.status).toBe(200);
    const draft = (await t.request().get("/api/rule-sets/enrollment-check").set(h)).body;
    const engine = new Engine(draft.rules, { allowUndefinedFacts: true });
    for (let i = 0; i < items.length; i++) {
      const ref = await engine.run({ ...items[i]!.facts });
      expect(res.body.items[i].events).toEqual(ref.events.map((e) => ({ type: e.type, params: e.params ?? {} })));
    }
  });
});

describe("apply mode", () => {
  it("hands events to their actions and stores the decision with key, version, facts and trace", async () => {
    const emp = await t.db("employees").first();
    const res = await t
      .request()
      .post("/api/rule-sets/enrollment-check/apply")
      .set(h)
      .send({
        at: "2024-05-01",
        employeeId: emp.id,
        facts: { wage: 40000, city: "110000", employmentType: "full_time" },
      });
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual([expect.objectContaining({ type: "record-decision", handled: true })]);
    const stored = await t.request().get(`/api/decisions/${res.body.decisionId}`).set(h);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      ruleSet: "enrollment-check",
      version: 1,
      operation: "apply",
      employeeId: emp.id,
      facts: { wage: 40000 },
      events: [{ type: "record-decision" }],
    });
    expect(stored.body.trace[0].conditions.all[0]).toMatchObject({ fact: "wage", factValue: 40000 });
    expect((await t.request().post("/api/decisions").set(h).send({})).status).toBe(404);
  });
});

describe("plugins", () => {
  it("lists dynamic facts and operators for the editor", async () => {
    const f = await t.request().get("/api/facts").set(h);
    expect(f.body.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining(["today", "age", "monthsBetween"]),
    );
    expect(f.body.every((x: { type: string; description: string }) => x.type && x.description)).toBe(true);
    const ops = await t.request().get("/api/operators").set(h);
    expect(ops.body.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining(["equal", "in", "dateBefore", "withinDays"]),
    );
  });

  it("a clash of names is refused at start naming both plugins", () => {
    const rogue = definePlugin({ name: "rogue-dates", setup: (api) => api.addOperator("dateBefore", () => true) });
    expect(() => loadPlugins(["core-operators", "hr-dates", "rogue-dates"], [rogue])).toThrow(
      /"hr-dates".*"rogue-dates"|"rogue-dates".*"hr-dates"/,
    );
    expect(() => loadPlugins(["nope"])).toThrow(/Unknown plugin "nope"/);
  });

  it("only consultants author rule sets", async () => {
    const res = await t
      .request()
      .post("/api/rule-sets")
      .set(await t.hr())
      .send({ key: "x", name: "x", facts, rules });
    expect(res.status).toBe(403);
  });
});
