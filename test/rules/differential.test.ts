// Ordo against json-rules-engine 7.3.1 on generated rule sets: same events in the same order,
// same failure events, same rule outcomes in the same finishing order, same traces.
import { describe, expect, it } from "vitest";
import { compileRuleSet, createRegistry, validateRuleSet } from "../../rules";
import coreOperators from "../../plugins/core-operators";
import { testFacts } from "./support/test-facts";
import { seeded } from "./support/random";
import { generateInput, generateRuleSet } from "./support/generate";
import { byGroup, type Normalised, normaliseOrdo, runReference } from "./support/reference";

const registry = createRegistry([coreOperators, testFacts]);
const AT = "2024-06-30";

interface Mode {
  /** Also draw replaceFactsInEventParams / allowUndefinedFacts: false. */
  options?: boolean;
  /** json-rules-engine's facts await almanac.factValue: outcomes are compared per priority group. */
  usual?: boolean;
}

async function compare(seed: number, async: boolean, mode: Mode = {}): Promise<{ runs: number; errors: number }> {
  const r = seeded(seed);
  const content = generateRuleSet(r, { async, options: mode.options });
  const validation = validateRuleSet(content, registry);
  expect(validation.errors, `seed ${seed}`).toEqual([]);
  const compiled = compileRuleSet(content, registry);
  const closures = compileRuleSet(content, registry, { codegen: false });
  let runs = 0;
  let errors = 0;
  for (let i = 0; i < 4; i++) {
    const input = generateInput(r);
    const expected = await runReference(content, input, mode.usual);
    let actual: Normalised | { error: string };
    try {
      actual = normaliseOrdo(content, await compiled.evaluate(input, { at: AT }));
    } catch (e) {
      actual = { error: (e as Error).message };
    }
    const label = `seed ${seed} input ${i}: ${JSON.stringify(input)}\n${JSON.stringify(content)}`;
    if ("error" in expected || "error" in actual) {
      expect("error" in actual, label).toBe(true);
      expect("error" in expected, label).toBe(true);
      errors++;
    } else if (async || mode.usual) {
      expect(byGroup(actual), label).toEqual(byGroup(expected));
    } else {
      expect(actual, label).toEqual(expected);
      if (!JSON.stringify(content).includes('"later"')) {
        // without asynchronous facts the synchronous path gives the same answer, generated or not
        expect(normaliseOrdo(content, compiled.evaluateSync(input, { at: AT }))).toEqual(expected);
        expect(normaliseOrdo(content, closures.evaluateSync(input, { at: AT }))).toEqual(expected);
      }
    }
    runs++;
  }
  return { runs, errors };
}

describe("differential: Ordo equals json-rules-engine 7.3.1", () => {
  it("1200 generated rule sets with synchronous and already-resolved " +
    "facts: identical order, outcomes and traces", async () => {
    let runs = 0;
    let errors = 0;
    for (let seed = 1; seed <= 1200; seed++) {
      const out = await compare(seed, false);
      runs += out.runs;
      errors += out.errors;
    }
    expect(runs).toBe(4800);
    expect(errors).toBeLessThan(runs / 10); // operator errors (e.g. "in" against a missing list) stay rare
  }, 240_000);

  it("600 generated rule sets with engine options (replaceFactsInEventParams, " +
    "allowUndefinedFacts: false), fact priority, Unicode names and JSONPath: identical", async () => {
    let runs = 0;
    let errors = 0;
    for (let seed = 20001; seed <= 20600; seed++) {
      const out = await compare(seed, false, { options: true });
      runs += out.runs;
      errors += out.errors;
    }
    expect(runs).toBe(2400);
    expect(errors).toBeGreaterThan(0); // allowUndefinedFacts: false does refuse missing facts
    expect(errors).toBeLessThan(runs / 5);
  }, 240_000);

  it("400 generated rule sets against json-rules-engine facts written the usual way (awaiting " +
    "almanac.factValue): identical outcomes and events per priority group", async () => {
    for (let seed = 30001; seed <= 30400; seed++) await compare(seed, false, { usual: true });
    for (let seed = 40001; seed <= 40100; seed++) await compare(seed, true, { usual: true, options: true });
  }, 240_000);

  it("300 generated rule sets with truly asynchronous facts: " +
    "identical outcomes and events per priority group", async () => {
    for (let seed = 5001; seed <= 5300; seed++) await compare(seed, true);
  }, 240_000);
});
