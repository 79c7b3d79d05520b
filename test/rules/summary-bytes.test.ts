/** The encoded summaries evaluate-batch writes, and the one-call fact check, against the plain paths. */
import { describe, expect, it } from "vitest";
import {
  compileRuleSet,
  createFactValidator,
  createRegistry,
  createSummaryCache,
  summaryBytes,
  summaryJson,
} from "../../rules";
import { builtinPlugins } from "../../plugins";
import { benchEmployees, hrRuleSet } from "../../bench/rules";

const text = new TextDecoder();

describe("summaryBytes", () => {
  it("with a cache equals summaryJson and the evaluation's own objects, record by record", () => {
    // hrRuleSet has paths on facts, so its finishing order depends on the record: the cache keys both.
    const compiled = compileRuleSet(hrRuleSet, createRegistry(builtinPlugins));
    const cache = createSummaryCache();
    const people = benchEmployees(3000);
    const seen = new Set<string>();
    for (const facts of people) {
      const e = compiled.evaluateSync(facts, { at: "2024-06-30" });
      const plain = JSON.stringify({
        events: e.events.map((x) => ({ type: x.type, params: x.params ?? {} })),
        results: e.results.map((o) => ({ rule: o.rule, priority: o.priority, result: o.result })),
      });
      expect(summaryJson(e)).toBe(plain);
      expect(text.decode(summaryBytes(e, cache))).toBe(plain);
      seen.add(plain);
    }
    expect(seen.size).toBeGreaterThan(50);
    expect(cache.patterns.size).toBeLessThan(people.length / 2);
  });

  it("replaced event params are encoded per record, never shared", () => {
    const content = {
      facts: { n: { type: "integer" } },
      options: { replaceFactsInEventParams: true },
      rules: [
        {
          conditions: { all: [{ fact: "n", operator: "greaterThan", value: 0 }] },
          event: { type: "n", params: { n: { fact: "n" } } },
        },
      ],
    };
    const compiled = compileRuleSet(content, createRegistry(builtinPlugins));
    const cache = createSummaryCache();
    for (const n of [1, 2, 3])
      expect(JSON.parse(text.decode(summaryBytes(compiled.evaluateSync({ n }), cache))).events).toEqual([
        { type: "n", params: { n } },
      ]);
  });
});

describe("fact validator", () => {
  it("answers the same diagnostics with its one-call check in front", () => {
    const validate = createFactValidator({
      facts: {
        hireDate: { type: "string", format: "date" },
        n: { type: "integer", minimum: 0 },
        toString: { type: "string" },
      },
    });
    expect(validate({ hireDate: "2024-02-29", n: 3 })).toEqual([]);
    // `toString` is inherited by every object: the one-call check refuses, the per-fact check does not.
    expect(validate({ n: 0 })).toEqual([]);
    expect(validate({ hireDate: "2023-02-29", n: -1 }, "/items/4/facts").map((d) => d.pointer)).toEqual([
      "/items/4/facts/hireDate",
      "/items/4/facts/n",
    ]);
  });
});
