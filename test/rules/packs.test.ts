import { describe, expect, it } from "vitest";
import { compileRuleSet, createRegistry, runTestCases, validateRuleSet } from "../../rules/index";
import { allPacks, packParts } from "../../rules/packs/index";
import { availablePlugins } from "../../plugins/index";
import { referencePolicySet } from "../../policies/index";

const registry = createRegistry(availablePlugins);

describe("shipped rule packs", () => {
  it.each(allPacks.map((p) => [p.key, p] as const))("%s validates and its test cases pass", async (_key, pack) => {
    const { content } = packParts(pack);
    const { errors } = validateRuleSet(content, registry);
    expect(errors).toEqual([]);
    const results = await runTestCases(compileRuleSet(content, registry));
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });
});

describe("social-insurance facts", () => {
  const content = {
    facts: { city: { type: "string" } },
    rules: [
      {
        name: "window",
        conditions: {
          all: [
            {
              fact: "policy",
              params: { table: "si-city-settings", key: { city: { fact: "city" } }, column: "backPaymentWindowMonths" },
              operator: "greaterThan",
              value: 0,
            },
          ],
        },
        event: { type: "has-window" },
      },
    ],
  };
  const compiled = compileRuleSet(content, registry);

  it("policy reads the PolicySet passed as a service, per run", async () => {
    const policy = referencePolicySet();
    const [gz, bj, none] = await Promise.all([
      compiled.evaluate({ city: "440100" }, { at: "2025-06-01", services: { policy } }),
      compiled.evaluate({ city: "110000" }, { at: "2025-06-01", services: { policy } }),
      compiled.evaluate({ city: "440100" }, { at: "2025-06-01" }),
    ]);
    expect(gz.events).toEqual([{ type: "has-window" }]);
    expect(bj.events).toEqual([]);
    expect(none.events).toEqual([]);
  });

  it("contribution measures continuous and cumulative months apart", async () => {
    const c = compileRuleSet(
      {
        facts: { paidMonths: { type: "array" } },
        rules: [
          {
            name: "continuous",
            conditions: {
              all: [
                {
                  fact: "contribution",
                  params: { measure: "continuous", asOf: "2025-06" },
                  operator: "greaterThanInclusive",
                  value: 3,
                },
              ],
            },
            event: { type: "c" },
          },
          {
            name: "cumulative",
            conditions: {
              all: [
                { fact: "contribution", params: { measure: "cumulative" }, operator: "greaterThanInclusive", value: 5 },
              ],
            },
            event: { type: "k" },
          },
        ],
      },
      registry,
    );
    const paid = ["2025-01", "2025-02", "2025-04", "2025-05", "2025-06"].map((month) => ({ month }));
    const r = await c.evaluate({ paidMonths: paid });
    expect(r.events.map((e) => e.type)).toEqual(["c", "k"]);
    const r2 = await c.evaluate({ paidMonths: paid.filter((p) => p.month !== "2025-05") });
    expect(r2.events).toEqual([]);
  });
});
