// Runs a rule set on json-rules-engine 7.3.1 with the rule set's options (allowUndefinedFacts
// defaults to true, as in Ordo) and normalises both engines' outputs to one comparable shape.
import { Engine } from "json-rules-engine";
import { addReferenceFacts } from "./test-facts";
import type { Evaluation, RuleSetContent, TraceNode } from "../../../rules";

export interface Normalised {
  events: unknown[];
  failureEvents: unknown[];
  results: { name: string | null; priority: number; result: boolean; trace: unknown }[];
}

let current: Record<string, unknown> = {};

export function referenceEngine(content: RuleSetContent, usual = false): Engine {
  const strict = content.options?.allowUndefinedFacts === false;
  const engine = new Engine([], {
    allowUndefinedFacts: !strict,
    replaceFactsInEventParams: content.options?.replaceFactsInEventParams === true,
  });
  for (const [name, c] of Object.entries(content.sharedConditions ?? {}))
    engine.setCondition(name, structuredClone(c) as never);
  for (const rule of content.rules) engine.addRule(structuredClone(rule) as never);
  addReferenceFacts(engine, () => current, strict, usual);
  return engine;
}

/**
 * Sequential use only: the twins read the input of the run in progress. A fresh Engine per run:
 * after a rejected run json-rules-engine keeps evaluating in the background and then sets the
 * shared engine's status to FINISHED, which makes the next run on that engine skip rules.
 */
export async function runReference(
  content: RuleSetContent,
  input: Record<string, unknown>,
  usual = false,
): Promise<Normalised | { error: string }> {
  const engine = referenceEngine(content, usual);
  current = input;
  try {
    const out = await engine.run({ ...input });
    const all = (out.almanac as unknown as { getResults(): any[] }).getResults();
    return {
      events: out.events.map((e) => ({ ...e })),
      failureEvents: out.failureEvents.map((e) => ({ ...e })),
      results: all.map((r) => ({
        name: r.name ?? null,
        priority: r.priority,
        result: r.result,
        trace: normJre(r.conditions, true),
      })),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function normJre(c: any, root = false): unknown {
  const r = root ? undefined : c.result;
  if (c.all) return { all: c.all.map((x: any) => normJre(x)), r };
  if (c.any) return { any: c.any.map((x: any) => normJre(x)), r };
  if (Object.hasOwn(c, "not") && c.operator === "not") return { not: normJre(c.not), r };
  if (Object.hasOwn(c, "condition")) return { ref: c.condition };
  return { r: c.result, f: c.factResult };
}

function normOrdo(t: TraceNode, root = false): unknown {
  const r = root ? undefined : t.result;
  if ("all" in t) return { all: t.all.map((x) => normOrdo(x)), r };
  if ("any" in t) return { any: t.any.map((x) => normOrdo(x)), r };
  if ("not" in t) return { not: normOrdo(t.not), r };
  if ("condition" in t) return t.result === undefined ? { ref: t.condition } : normOrdo(t.resolved, root);
  return { r: t.result, f: t.factValue };
}

export function normaliseOrdo(content: RuleSetContent, evaluation: Evaluation): Normalised {
  return {
    events: evaluation.events.map((e) => ({ ...e })),
    failureEvents: evaluation.failureEvents.map((e) => ({ ...e })),
    results: evaluation.results.map((o) => ({
      name: content.rules[o.index].name ?? null,
      priority: o.priority,
      result: o.result,
      trace: normOrdo(o.conditions, true),
    })),
  };
}

/** Order-insensitive within a priority group: what can be compared when facts are truly async. */
export function byGroup(n: Normalised) {
  const key = (x: unknown) => JSON.stringify(x);
  return {
    events: [...n.events].map(key).sort(),
    results: [...n.results].sort((a, b) => b.priority - a.priority || key(a).localeCompare(key(b))),
  };
}
