import { describe, expect, it } from "vitest";
import { compileRuleSet, createRegistry, runActions } from "../../rules";
import { builtinPlugins } from "../../plugins";
import probation, { addMonths } from "../../plugins/example-probation";

const registry = createRegistry([...builtinPlugins, probation]);
const content = {
  facts: { hireDate: { type: "string", format: "date" }, tenureMonths: { type: "integer" } },
  rules: [
    {
      name: "probation ends within 30 days",
      conditions: {
        all: [
          {
            fact: "daysBetween",
            params: { from: "today", to: "probationEnd" },
            operator: "lessThanInclusive",
            value: 30,
          },
          {
            fact: "daysBetween",
            params: { from: "today", to: "probationEnd" },
            operator: "greaterThanInclusive",
            value: 0,
          },
        ],
      },
      event: { type: "probation-review", params: { message: "Probation ends soon" } },
    },
    {
      name: "anniversary",
      conditions: { all: [{ fact: "tenureMonths", operator: "multipleOf", value: 12 }] },
      event: { type: "anniversary" },
    },
  ],
};

describe("example-probation plugin", () => {
  it("adds months with the end-of-month rule", () => {
    expect(addMonths("2024-08-31", 6)).toBe("2025-02-28");
    expect(addMonths("2024-01-15", 6)).toBe("2024-07-15");
  });

  it("its operator, fact and action work inside a rule set", async () => {
    const compiled = compileRuleSet(content, registry);
    const soon = await compiled.evaluate({ hireDate: "2024-01-20", tenureMonths: 24 }, { at: "2024-07-01" });
    // Within one priority, events come in json-rules-engine's finishing order: the simpler rule first.
    expect(soon.events.map((e) => e.type)).toEqual(["anniversary", "probation-review"]);
    const later = await compiled.evaluate({ hireDate: "2024-05-20", tenureMonths: 5 }, { at: "2024-07-01" });
    expect(later.events).toEqual([]);
    const raised: unknown[] = [];
    const out = await runActions(soon.events, registry, {
      tenantId: "t",
      ruleSet: "probation",
      version: 1,
      facts: {},
      trace: [],
      services: { raiseAlert: async (a: unknown) => raised.push(a) },
    });
    expect(out[1]).toMatchObject({ type: "probation-review", handled: true });
    expect(raised).toEqual([expect.objectContaining({ type: "probation_review", message: "Probation ends soon" })]);
    expect(out[0]).toMatchObject({ type: "anniversary", handled: false });
  });

  it("clashes with nothing built in", () => {
    expect(registry.operators.find((o) => o.name === "multipleOf")?.plugin).toBe("example-probation");
  });
});

describe("enabling a plugin by configuration", () => {
  it("is loaded when ORDO_PLUGINS names it", async () => {
    const { loadConfig } = await import("../../server/config");
    const { loadPlugins } = await import("../../server/plugins");
    const config = loadConfig({ ORDO_PLUGINS: "core-operators,hr-dates,example-probation" });
    const { registry: r } = loadPlugins(config.plugins);
    expect(r.plugins).toEqual(["core-operators", "hr-dates", "example-probation"]);
    expect(r.getFact("probationEnd")).toBeDefined();
  });
});
