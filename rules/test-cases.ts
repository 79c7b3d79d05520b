// Runs a rule set's test cases: expected events are compared as a multiset (order-insensitive),
// expected rule outcomes by rule label; every difference is one readable sentence.
import type { CompiledRuleSet } from "./compile";
import { canonicalJson } from "./canonical-json";
import type { RuleEvent, TestCase } from "./types";

export interface TestCaseResult {
  name: string;
  passed: boolean;
  differences: string[];
  events: RuleEvent[];
}

const show = (e: RuleEvent) => (e.params === undefined ? `"${e.type}"` : `"${e.type}" ${canonicalJson(e.params)}`);
const eventKey = (e: RuleEvent) => canonicalJson({ type: e.type, params: e.params ?? {} });

export async function runTestCase(compiled: CompiledRuleSet, tc: TestCase): Promise<TestCaseResult> {
  let evaluation: Awaited<ReturnType<CompiledRuleSet["evaluate"]>>;
  try {
    evaluation = await compiled.evaluate(tc.facts, tc.at ? { at: tc.at } : {});
  } catch (e) {
    return { name: tc.name, passed: false, differences: [`evaluation failed: ${(e as Error).message}`], events: [] };
  }
  const differences: string[] = [];
  const actual = new Map<string, RuleEvent[]>();
  for (const e of evaluation.events) actual.set(eventKey(e), [...(actual.get(eventKey(e)) ?? []), e]);
  for (const expected of tc.expectEvents) {
    const bucket = actual.get(eventKey(expected));
    if (bucket && bucket.length > 0) bucket.pop();
    else differences.push(`missing event ${show(expected)}`);
  }
  for (const bucket of actual.values()) for (const e of bucket) differences.push(`unexpected event ${show(e)}`);
  for (const [rule, expected] of Object.entries(tc.expectResults ?? {})) {
    const outcome = evaluation.results.find((r) => r.rule === rule);
    if (!outcome) differences.push(`rule ${rule} was not evaluated`);
    else if (outcome.result !== expected) differences.push(`rule ${rule} expected ${expected} got ${outcome.result}`);
  }
  return { name: tc.name, passed: differences.length === 0, differences, events: evaluation.events };
}

export function runTestCases(
  compiled: CompiledRuleSet,
  cases: readonly TestCase[] = compiled.content.testCases ?? [],
): Promise<TestCaseResult[]> {
  return Promise.all(cases.map((tc) => runTestCase(compiled, tc)));
}
