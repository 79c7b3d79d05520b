// compileRuleSet: validate once, then turn every condition into closures. The result is frozen
// and holds no per-run state, so one compiled rule set serves any number of concurrent runs.
import type { Registry } from "./plugins";
import { InvalidRuleSetError } from "./errors";
import { validateRuleSet } from "./validate";
import { resolveOperator } from "./operators";
import { groupNode, notNode, refNode, type ConditionNode } from "./condition-node";
import { leafNode } from "./leaf-node";
import { deepFreeze } from "./canonical-json";
import { hasOwn } from "./pointer";
import { ruleLabel } from "./pointer";
import { checksum } from "./checksum";
import type { FactTable } from "./run-state";
import { createEvaluator, type CompiledRule, type EvaluateOptions, type Evaluation } from "./evaluate";
import type { Condition, Diagnostic, LeafCondition, RuleSetContent } from "./types";

export interface CompiledRuleSet {
  readonly content: RuleSetContent;
  readonly checksum: string;
  readonly warnings: readonly Diagnostic[];
  readonly rules: readonly { label: string; index: number; priority: number }[];
  evaluate(facts: Record<string, unknown>, options?: EvaluateOptions): Promise<Evaluation>;
  /** Same result without a Promise; throws AsyncFactError (code ASYNC_FACT) if a fact is asynchronous. */
  evaluateSync(facts: Record<string, unknown>, options?: EvaluateOptions): Evaluation;
}

export function compileRuleSet(input: RuleSetContent, registry: Registry): CompiledRuleSet {
  const { errors, warnings } = validateRuleSet(input, registry);
  if (errors.length > 0) throw new InvalidRuleSetError(errors);
  const content = deepFreeze(structuredClone(input));
  const shared = content.sharedConditions ?? {};

  const slots = new Map<string, number>();
  const slotOf = (key: string) => slots.get(key) ?? (slots.set(key, slots.size), slots.size - 1);
  let nextId = 0;

  // Shared conditions are expanded at every use: each use has its own trace, as in json-rules-engine.
  const build = (c: Condition): ConditionNode => {
    const id = nextId++;
    const priority = c.priority ?? 1;
    if ("all" in c && hasOwn(c, "all")) return groupNode(id, "all", priority, c.all.map(build));
    if ("any" in c && hasOwn(c, "any")) return groupNode(id, "any", priority, c.any.map(build));
    if ("not" in c && hasOwn(c, "not")) return notNode(id, priority, build(c.not));
    if ("condition" in c && hasOwn(c, "condition")) return refNode(id, priority, build(shared[c.condition]));
    const leaf = c as LeafCondition;
    return leafNode(id, leaf, resolveOperator(registry, leaf.operator)!, registry, slotOf);
  };

  const rules: CompiledRule[] = content.rules.map((rule, index) => ({
    index,
    label: ruleLabel(rule, index),
    name: rule.name,
    priority: rule.priority ?? 1,
    node: build(rule.conditions),
    event: rule.event,
    source: rule.conditions,
  }));
  const table: FactTable = { registry, slots, slotCount: slots.size };
  const evaluator = createEvaluator(rules, table, nextId, shared);

  return Object.freeze({
    content,
    checksum: checksum(content),
    warnings: Object.freeze(warnings),
    rules: Object.freeze(rules.map((r) => Object.freeze({ label: r.label, index: r.index, priority: r.priority }))),
    evaluate: evaluator.evaluate,
    evaluateSync: evaluator.evaluateSync,
  });
}
