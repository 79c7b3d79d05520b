import { describe, expect, it, vi } from "vitest";
import { compileRuleSet, createRegistry, definePlugin, runActions, type ActionContext } from "../../rules";
import { builtinPlugins } from "../../plugins";
import coreOperators from "../../plugins/core-operators";
import hrDates from "../../plugins/hr-dates";
import recordDecision from "../../plugins/record-decision";

describe("plugin registry", () => {
  it("refuses a clash with a message naming both plugins and the name", () => {
    const x = definePlugin({ name: "x", setup: (api) => api.addOperator("dateAfter", () => true) });
    expect(() => createRegistry([hrDates, x])).toThrow(
      'operator "dateAfter" is registered by both plugins "hr-dates" and "x"',
    );
    const f = definePlugin({
      name: "y",
      setup: (api) => api.addFact("age", () => 1, { type: "integer", description: "" }),
    });
    expect(() => createRegistry([hrDates, f])).toThrow('fact "age" is registered by both plugins "hr-dates" and "y"');
    const a = definePlugin({
      name: "z",
      setup: (api) => api.addAction("record-decision", () => 1, { description: "" }),
    });
    expect(() => createRegistry([recordDecision, a])).toThrow(
      'action "record-decision" is registered by both plugins "record-decision" and "z"',
    );
    expect(() => createRegistry([x, x])).toThrow('plugin "x" is listed twice');
  });

  it("exposes catalogues of operators, facts and actions", () => {
    const registry = createRegistry(builtinPlugins);
    expect(registry.facts.map((f) => f.name)).toEqual(["today", "age", "monthsBetween", "daysBetween"]);
    expect(registry.facts[1]).toMatchObject({ name: "age", type: "integer", plugin: "hr-dates" });
    expect(registry.operators.find((o) => o.name === "equal")).toMatchObject({ plugin: "core-operators" });
    expect(registry.actions).toEqual([
      { type: "record-decision", description: expect.any(String), plugin: "record-decision" },
    ]);
  });

  it("resolves a dynamic fact once per evaluation per distinct params", async () => {
    let calls = 0;
    const counting = definePlugin({
      name: "counting",
      setup: (api) =>
        api.addFact("score", (params) => (calls++, Number(params.k ?? 1) * 10), { type: "number", description: "" }),
    });
    const registry = createRegistry([coreOperators, counting]);
    const compiled = compileRuleSet(
      {
        facts: {},
        rules: [
          {
            conditions: {
              all: [
                { fact: "score", operator: "greaterThan", value: 5 },
                { fact: "score", operator: "lessThan", value: 50 },
              ],
            },
            event: { type: "a" },
          },
          {
            conditions: {
              any: [
                { fact: "score", operator: "equal", value: 10 },
                { fact: "score", params: { k: 2 }, operator: "equal", value: 20 },
              ],
            },
            event: { type: "b" },
          },
          {
            priority: 2,
            conditions: { not: { fact: "score", operator: "equal", value: { fact: "score", params: { k: 2 } } } },
            event: { type: "c" },
          },
        ],
      },
      registry,
    );
    await compiled.evaluate({});
    expect(calls).toBe(2); // {} and {k: 2}
    compiled.evaluateSync({});
    expect(calls).toBe(4);
  });

  it("evaluateSync refuses asynchronous facts; evaluate awaits them", async () => {
    const slow = definePlugin({
      name: "slow",
      setup: (api) => api.addFact("remote", async () => 7, { type: "number", description: "" }),
    });
    const compiled = compileRuleSet(
      {
        facts: {},
        rules: [{ conditions: { all: [{ fact: "remote", operator: "equal", value: 7 }] }, event: { type: "hit" } }],
      },
      createRegistry([coreOperators, slow]),
    );
    expect(() => compiled.evaluateSync({})).toThrow(expect.objectContaining({ code: "ASYNC_FACT" }));
    expect((await compiled.evaluate({})).events).toEqual([{ type: "hit" }]);
  });

  it("record-decision passes the decision to services.recordDecision", async () => {
    const registry = createRegistry(builtinPlugins);
    const recordDecisionService = vi.fn(async () => ({ written: true, id: "42" }));
    const ctx: ActionContext = {
      tenantId: "t1",
      ruleSet: "pension",
      version: 3,
      facts: { salary: 1 },
      trace: { x: 1 },
      services: { recordDecision: recordDecisionService },
    };
    const out = await runActions(
      [{ type: "record-decision", params: { scheme: "A" } }, { type: "other" }],
      registry,
      ctx,
    );
    expect(recordDecisionService).toHaveBeenCalledWith({
      tenantId: "t1",
      ruleSet: "pension",
      version: 3,
      type: "record-decision",
      params: { scheme: "A" },
      facts: { salary: 1 },
      trace: { x: 1 },
    });
    expect(out).toEqual([
      { type: "record-decision", handled: true, result: { recorded: true, result: { written: true, id: "42" } } },
      { type: "other", handled: false },
    ]);
    const dry = await runActions([{ type: "record-decision" }], registry, { ...ctx, services: {} });
    expect(dry[0].result).toEqual({ recorded: false, reason: "no recordDecision service" });
  });
});

describe("channels", () => {
  const send = async () => ({ ok: true });
  it("defineChannel registers a channel through addChannel; a clash names both plugins", async () => {
    const { defineChannel } = await import("../../rules");
    const a = definePlugin({
      name: "a",
      setup: (api) => api.addChannel(defineChannel({ name: "sms", description: "", settings: {}, send })),
    });
    const b = definePlugin({
      name: "b",
      setup: (api) => api.addChannel(defineChannel({ name: "sms", description: "", settings: {}, send })),
    });
    const registry = createRegistry([a]);
    expect(registry.getChannel("sms")).toMatchObject({ name: "sms", plugin: "a", secrets: [] });
    expect(registry.channels.map((c) => c.name)).toEqual(["sms"]);
    expect(() => createRegistry([a, b])).toThrow('channel "sms" is registered by both plugins "a" and "b"');
    expect(() => defineChannel({ name: "Bad Name", description: "", settings: {}, send })).toThrow(/invalid channel/);
  });
});
