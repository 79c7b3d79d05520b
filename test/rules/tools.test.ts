import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checksum, compileRuleSet, createRegistry, diffRuleSets, runTestCases, type RuleSetContent } from "../../rules";
import { builtinPlugins } from "../../plugins";
import { sha256Hex } from "../../rules/sha256";

const registry = createRegistry(builtinPlugins);

const v1: RuleSetContent = {
  facts: { salary: { type: "number" }, status: { type: "string" } },
  rules: [
    {
      name: "low",
      conditions: {
        all: [
          { fact: "salary", operator: "lessThan", value: 1000 },
          { fact: "status", operator: "equal", value: "active" },
        ],
      },
      event: { type: "exempt" },
    },
    {
      name: "high",
      conditions: { any: [{ fact: "salary", operator: "greaterThan", value: 5000 }] },
      event: { type: "cap", params: { rate: 0.1 } },
    },
    { conditions: { all: [] }, event: { type: "always" } },
  ],
};

describe("checksum", () => {
  it("is sha256 of canonical JSON, independent of key order", () => {
    const reordered = JSON.parse(
      JSON.stringify({
        rules: v1.rules.map((r) => ({ event: r.event, conditions: r.conditions, name: r.name })),
        facts: v1.facts,
      }),
    );
    expect(checksum(reordered)).toBe(checksum(v1));
    expect(checksum(v1)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({ ...v1, facts: {} })).not.toBe(checksum(v1));
    for (const text of ["", "abc", "é€😀".repeat(50), "x".repeat(1000)])
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
  });
});

describe("diffRuleSets", () => {
  it("matches rules by name (else index) and lists changed pointers", () => {
    const v2 = structuredClone(v1) as RuleSetContent;
    (v2.rules[0].conditions as { all: { value: unknown }[] }).all[1].value = "inactive";
    v2.rules.splice(1, 1); // remove "high"
    v2.rules.unshift({ name: "new", conditions: { all: [] }, event: { type: "x" } });
    v2.facts.bonus = { type: "number" };
    v2.facts.salary = { type: "integer" };
    const d = diffRuleSets(v1, v2);
    expect(d.added).toEqual([{ rule: "new", index: 0 }]);
    expect(d.removed).toEqual([{ rule: "high", index: 1 }]);
    expect(d.modified).toEqual([{ rule: "low", pointers: ["/conditions/all/1/value"] }]);
    expect(d.facts).toEqual({ added: ["bonus"], removed: [], modified: ["salary"] });
    expect(diffRuleSets(v1, structuredClone(v1)).modified).toEqual([]);
  });
});

describe("runTestCases", () => {
  it("compares events as a multiset and rule outcomes, with readable differences", async () => {
    const compiled = compileRuleSet(v1, registry);
    const results = await runTestCases(compiled, [
      {
        name: "low salary",
        facts: { salary: 500, status: "active" },
        expectEvents: [{ type: "always" }, { type: "exempt" }],
        expectResults: { low: true, high: false },
      },
      {
        name: "wrong",
        facts: { salary: 9000 },
        expectEvents: [{ type: "exempt" }, { type: "always" }],
        expectResults: { high: false },
      },
    ]);
    expect(results[0]).toMatchObject({ name: "low salary", passed: true, differences: [] });
    expect(results[1].passed).toBe(false);
    expect(results[1].differences).toEqual([
      'missing event "exempt"',
      'unexpected event "cap" {"rate":0.1}',
      "rule high expected false got true",
    ]);
  });
});
