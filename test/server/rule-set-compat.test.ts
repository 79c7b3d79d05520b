/** json-rules-engine's options, Unicode names and deployment limits through the rule-set API. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { ConfigError, loadConfig } from "../../server/config";

let t: TestApp;
let h: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
});
afterAll(() => t.close());

const draft = (key: string, body: object) =>
  t
    .request()
    .post("/api/rule-sets")
    .set(h)
    .send({ key, name: key, ...body });
const evaluate = (key: string, facts: object) =>
  t.request().post(`/api/rule-sets/${key}/evaluate`).set(h).send({ facts, at: "2024-06-30", version: "draft" });

describe("rule-set options and Unicode names through the API", () => {
  it("a fact 年龄 with a path $.城市 validates, is stored with its options and evaluates", async () => {
    const res = await draft("cn-names", {
      facts: { 年龄: { type: "integer" }, 地址: { type: "object" }, employeeName: { type: "string" } },
      options: { replaceFactsInEventParams: true },
      rules: [
        {
          name: "上海成年人",
          conditions: {
            all: [
              { fact: "年龄", operator: "greaterThanInclusive", value: 18 },
              { fact: "地址", path: "$.城市", operator: "equal", value: "上海" },
            ],
          },
          event: {
            type: "record-decision",
            params: { name: { fact: "employeeName" }, 城市: { fact: "地址", path: "$.城市" } },
          },
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const got = await t.request().get("/api/rule-sets/cn-names").set(h);
    expect(got.body.options).toEqual({ replaceFactsInEventParams: true });
    const out = await evaluate("cn-names", { 年龄: 30, 地址: { 城市: "上海" }, employeeName: "王芳" });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body.events).toEqual([{ type: "record-decision", params: { name: "王芳", 城市: "上海" } }]);
  });

  it("allowUndefinedFacts: false answers 400 UNDEFINED_FACT naming the fact", async () => {
    const res = await draft("strict-facts", {
      facts: { wage: { type: "number" } },
      options: { allowUndefinedFacts: false },
      rules: [{ conditions: { all: [{ fact: "wage", operator: "greaterThan", value: 1 }] }, event: { type: "x" } }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const out = await evaluate("strict-facts", {});
    expect(out.status).toBe(400);
    expect(out.body.code).toBe("UNDEFINED_FACT");
    expect(out.body.message).toContain("wage");
    expect((await evaluate("strict-facts", { wage: 2 })).body.events).toEqual([{ type: "x", params: {} }]);
  });

  it("refuses unknown options at their pointer", async () => {
    const res = await draft("bad-options", { facts: {}, options: { allowUndefinedFact: false }, rules: [] });
    expect(res.status).toBe(400);
    expect(res.body.details.errors.map((e: { pointer: string }) => e.pointer)).toEqual(["/options/allowUndefinedFact"]);
  });
});

describe("rule-set limits from configuration", () => {
  it("ORDO_RULES_MAX_* are read, defaulted and validated", () => {
    expect(loadConfig({}).rulesLimits).toEqual({ maxRules: 500, maxDepth: 10, maxConditions: 5000 });
    expect(loadConfig({ ORDO_RULES_MAX_RULES: "2000", ORDO_RULES_MAX_DEPTH: "20" }).rulesLimits).toMatchObject({
      maxRules: 2000,
      maxDepth: 20,
    });
    for (const [name, value] of [
      ["ORDO_RULES_MAX_RULES", "0"],
      ["ORDO_RULES_MAX_DEPTH", "101"],
      ["ORDO_RULES_MAX_DEPTH", "ten"],
      ["ORDO_RULES_MAX_CONDITIONS", "-1"],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    }
  });

  it("the service validates and compiles with the deployment's limits", async () => {
    const small = await startTestApp({ ORDO_RULES_MAX_RULES: "1", ORDO_RULES_MAX_DEPTH: "12" });
    try {
      const sh = await small.admin("demo");
      const rule = (c: object) => ({ conditions: c, event: { type: "x" } });
      const leaf = { fact: "x", operator: "equal", value: 1 };
      const two = { key: "two", name: "two", facts: { x: {} }, rules: [rule({ all: [leaf] }), rule({ all: [leaf] })] };
      const refused = await small.request().post("/api/rule-sets").set(sh).send(two);
      expect(refused.status).toBe(400);
      expect(refused.body.details.errors[0].code).toBe("LIMIT_RULES");
      expect((await t.request().post("/api/rule-sets").set(h).send(two)).status).toBe(201);

      let deep: object = leaf;
      for (let i = 0; i < 10; i++) deep = { all: [deep] }; // 11 levels: over the default of 10
      const body = { key: "deep", name: "deep", facts: { x: {} }, rules: [rule(deep)] };
      const ok = await small.request().post("/api/rule-sets").set(sh).send(body);
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const out = await small
        .request()
        .post("/api/rule-sets/deep/evaluate")
        .set(sh)
        .send({ facts: { x: 1 }, version: "draft" });
      expect(out.body.events).toEqual([{ type: "x", params: {} }]);
      expect((await t.request().post("/api/rule-sets").set(h).send(body)).body.details.errors[0].code).toBe(
        "LIMIT_DEPTH",
      );
    } finally {
      await small.close();
    }
  });
});

describe("evaluate-batch streams its answer", () => {
  it(
    "answers the same items as one evaluate per record, in " + "chunks, and 400 for a bad item before streaming",
    async () => {
      const created = await draft("batch-stream", {
        facts: { n: { type: "integer" }, who: { type: "string" } },
        options: { replaceFactsInEventParams: true },
        rules: [
          {
            name: "big",
            priority: 2,
            conditions: { all: [{ fact: "n", operator: "greaterThan", value: 5 }] },
            event: { type: "big", params: { who: { fact: "who" } } },
          },
          {
            name: "小",
            conditions: { all: [{ fact: "n", operator: "lessThan", value: 3 }] },
            event: { type: "small" },
          },
        ],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const items = Array.from({ length: 600 }, (_, i) => ({ facts: { n: i % 9, who: `w${i}` } }));
      const res = await t
        .request()
        .post("/api/rule-sets/batch-stream/evaluate-batch")
        .set(h)
        .send({ version: "draft", at: "2024-06-30", items });
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ ruleSet: "batch-stream", version: "draft" });
      expect(typeof res.body.durationMs).toBe("number");
      expect(res.body.items).toHaveLength(600);
      for (const i of [0, 1, 6, 250, 599]) {
        const one = (await evaluate("batch-stream", items[i].facts)).body;
        expect(res.body.items[i]).toEqual({
          events: one.events,
          results: one.results.map((o: { rule: string; priority: number; result: boolean }) => ({
            rule: o.rule,
            priority: o.priority,
            result: o.result,
          })),
        });
      }
      expect(res.body.items[6].events).toEqual([{ type: "big", params: { who: "w6" } }]);
      const bad = await t
        .request()
        .post("/api/rule-sets/batch-stream/evaluate-batch")
        .set(h)
        .send({ version: "draft", items: [{ facts: { n: 1 } }, { facts: { n: "x" } }] });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe("INVALID_FACTS");
      expect(bad.body.message).toContain("/items/1/facts/n");
    },
  );
});
