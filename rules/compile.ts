// compileRuleSet: validate once, then turn every condition into closures. The result is frozen
// and holds no per-run state, so one compiled rule set serves any number of concurrent runs.
import type { Registry } from "./plugins";
import { InvalidRuleSetError } from "./errors";
import { validateRuleSet } from "./validate";
import { resolveOperator } from "./operators";
import { groupNode, notNode, refNode, type ConditionNode } from "./condition-node";
import { factRead, leafNode, type FactRead } from "./leaf-node";
import { deepFreeze } from "./canonical-json";
import { hasOwn, isPlainObject } from "./pointer";
import { ruleLabel } from "./pointer";
import { checksum } from "./checksum";
import type { Limits } from "./limits";
import type { FactTable } from "./run-state";
import { createEvaluator, type CompiledRule, type EvaluateOptions, type Evaluation } from "./evaluate";
import type { Condition, Diagnostic, LeafCondition, RuleEvent, RuleSetContent } from "./types";

export interface CompiledRuleSet {
  readonly content: RuleSetContent;
  readonly checksum: string;
  readonly warnings: readonly Diagnostic[];
  readonly rules: readonly { label: string; index: number; priority: number }[];
  evaluate(facts: Record<string, unknown>, options?: EvaluateOptions): Promise<Evaluation>;
  /** Same result without a Promise; throws AsyncFactError (code ASYNC_FACT) if a fact is asynchronous. */
  evaluateSync(facts: Record<string, unknown>, options?: EvaluateOptions): Evaluation;
  /** The result, or a Promise of it only when a fact is asynchronous (bulk callers skip a Promise per item). */
  evaluateNow(facts: Record<string, unknown>, options?: EvaluateOptions): Evaluation | Promise<Evaluation>;
}

export interface CompileOptions {
  /** The deployment's limits (see resolveLimits); the defaults otherwise. */
  limits?: Partial<Limits>;
  /** Generate specialised code for synchronous evaluation (default true); false keeps only the closures. */
  codegen?: boolean;
}

/** Event params to resolve per run (replaceFactsInEventParams): literal values, or fact reads. */
export type EventParam = { key: string; value: unknown; fact?: FactRead };

function eventParams(event: RuleEvent, read: (ref: Record<string, unknown>) => FactRead): EventParam[] | undefined {
  const params = event.params;
  if (params === null || typeof params !== "object") return undefined;
  const keys = Object.keys(params);
  if (keys.length === 0) return undefined;
  return keys.map((key) => {
    const value = params[key];
    return isPlainObject(value) && hasOwn(value, "fact") ? { key, value, fact: read(value) } : { key, value };
  });
}

export function compileRuleSet(
  input: RuleSetContent,
  registry: Registry,
  options: CompileOptions = {},
): CompiledRuleSet {
  const { errors, warnings } = validateRuleSet(input, registry, options.limits);
  if (errors.length > 0) throw new InvalidRuleSetError(errors);
  const content = deepFreeze(structuredClone(input));
  const shared = content.sharedConditions ?? {};
  const strict = content.options?.allowUndefinedFacts === false;
  const replace = content.options?.replaceFactsInEventParams === true;

  const slots = new Map<string, number>();
  const slotOf = (key: string) => slots.get(key) ?? (slots.set(key, slots.size), slots.size - 1);
  let nextId = 0;

  // Shared conditions are expanded at every use: each use has its own trace, as in json-rules-engine.
  // `loose`: the operator's answer counts by truthiness here (see leafNode).
  const build = (c: Condition, loose = false): ConditionNode => {
    const id = nextId++;
    const priority = c.priority ?? 1;
    if ("all" in c && hasOwn(c, "all"))
      return groupNode(
        id,
        "all",
        priority,
        c.all.map((x) => build(x)),
      );
    if ("any" in c && hasOwn(c, "any"))
      return groupNode(
        id,
        "any",
        priority,
        c.any.map((x) => build(x)),
      );
    if ("not" in c && hasOwn(c, "not")) return notNode(id, priority, build(c.not, true));
    if ("condition" in c && hasOwn(c, "condition")) return refNode(id, priority, build(shared[c.condition]));
    const leaf = c as LeafCondition;
    return leafNode(id, leaf, resolveOperator(registry, leaf.operator)!, registry, slotOf, loose);
  };
  // A rule's top-level all/any with one condition hands that condition's answer to the rule as is.
  const buildTop = (c: Condition): ConditionNode => {
    const only = "all" in c && hasOwn(c, "all") ? c.all : "any" in c && hasOwn(c, "any") ? c.any : undefined;
    if (only?.length !== 1) return build(c);
    const id = nextId++;
    return groupNode(id, "all" in c ? "all" : "any", c.priority ?? 1, [build(only[0], true)]);
  };
  const readRef = (ref: Record<string, unknown>) =>
    factRead(registry, slotOf, String(ref.fact), ref.params as never, ref.path as string | undefined);

  const rules: CompiledRule[] = content.rules.map((rule, index) => ({
    index,
    label: ruleLabel(rule, index),
    name: rule.name,
    priority: rule.priority ?? 1,
    node: buildTop(rule.conditions),
    event: rule.event,
    eventParams: replace ? eventParams(rule.event, readRef) : undefined,
    source: rule.conditions,
  }));
  const table: FactTable = { registry, slots, slotCount: slots.size, strict };
  const evaluator = createEvaluator(rules, table, nextId, shared, options.codegen !== false);

  return Object.freeze({
    content,
    checksum: checksum(content),
    warnings: Object.freeze(warnings),
    rules: Object.freeze(rules.map((r) => Object.freeze({ label: r.label, index: r.index, priority: r.priority }))),
    evaluate: evaluator.evaluate,
    evaluateSync: evaluator.evaluateSync,
    evaluateNow: evaluator.evaluateNow,
  });
}
