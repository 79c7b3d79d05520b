// One compiled rule set shared by 2,000 concurrent evaluations with an async fact and three
// priority levels gives exactly the sequential answers; a shared json-rules-engine Engine does not
// (upstream issue #303: the run status lives on the engine).
import { describe, expect, it } from "vitest";
import { Engine } from "json-rules-engine";
import { compileRuleSet, createRegistry, definePlugin, type RuleSetContent } from "../../rules";
import coreOperators from "../../plugins/core-operators";

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slowPlugin = definePlugin({
  name: "slow-facts",
  setup(api) {
    api.addFact(
      "band",
      async (_p, ctx) => {
        await delay(Number(ctx.input.id) % 3); // different runs resolve in a different order
        return Number(ctx.input.salary) > 3000 ? "high" : "low";
      },
      { type: "string", description: "salary band from a slow lookup" },
    );
  },
});
const registry = createRegistry([coreOperators, slowPlugin]);

const content: RuleSetContent = {
  facts: { id: { type: "integer" }, salary: { type: "number" }, children: { type: "integer" } },
  rules: [
    {
      name: "high",
      priority: 3,
      conditions: { all: [{ fact: "band", operator: "equal", value: "high" }] },
      event: { type: "high-band" },
    },
    {
      name: "kids",
      priority: 2,
      conditions: {
        any: [
          { fact: "children", operator: "greaterThan", value: 1 },
          { fact: "band", operator: "equal", value: "low" },
        ],
      },
      event: { type: "family" },
    },
    {
      name: "base",
      priority: 1,
      conditions: { all: [{ fact: "salary", operator: "greaterThan", value: 0 }] },
      event: { type: "insured", params: { scheme: "general" } },
    },
  ],
};

const inputs = Array.from({ length: 2000 }, (_, id) => ({ id, salary: (id * 37) % 6000, children: id % 4 }));
const summary = (events: { type: string }[]) => events.map((e) => e.type).join(",");

describe("concurrency", () => {
  it("2,000 concurrent evaluations equal the sequential ones", async () => {
    const compiled = compileRuleSet(content, registry);
    const sequential: string[] = [];
    for (const input of inputs) sequential.push(summary((await compiled.evaluate(input, { at: "2024-01-01" })).events));
    const concurrent = await Promise.all(
      inputs.map(async (input) => summary((await compiled.evaluate(input, { at: "2024-01-01" })).events)),
    );
    expect(concurrent).toEqual(sequential);
    expect(new Set(sequential).size).toBeGreaterThan(2);
  });

  it("a shared json-rules-engine Engine gets concurrent runs wrong (what Ordo avoids)", async () => {
    const engine = new Engine(structuredClone(content.rules) as never, { allowUndefinedFacts: true });
    engine.addFact("band", async (_p: unknown, almanac: any) => {
      const [id, salary] = await Promise.all([almanac.factValue("id"), almanac.factValue("salary")]);
      await delay(id % 3);
      return salary > 3000 ? "high" : "low";
    });
    const sequential: string[] = [];
    for (const input of inputs.slice(0, 200)) sequential.push(summary((await engine.run(input)).events));
    const concurrent = await Promise.all(
      inputs.slice(0, 200).map(async (input) => summary((await engine.run(input)).events)),
    );
    expect(concurrent).not.toEqual(sequential);
  });
});
