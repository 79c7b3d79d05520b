/**
 * A template's segment is a json-rules-engine condition evaluated by Ordo's engine: it is wrapped as a
 * one-rule rule set, compiled once per segment checksum and cached.
 */
import {
  checksum,
  compileRuleSet,
  createRegistry,
  type CompiledRuleSet,
  type Registry,
  type RuleSetContent,
  type TopLevelCondition,
} from "../../rules/index";
import { builtinPlugins } from "../../plugins/index";
import { LruCache } from "../util/lru";
import { REMINDER_FACTS } from "./catalogue";

/** The shipped operators; a server with more plugins passes its own registry. */
export const defaultSegmentRegistry: Registry = createRegistry(builtinPlugins);

// The catalogue's facts declared for the engine; any of them may be null (an employee without a birth date).
const DECLARED = Object.fromEntries(
  Object.entries(REMINDER_FACTS).map(([name, f]) => [name, { type: [f.type, "null"] }]),
);

export function segmentRuleSet(segment: TopLevelCondition): RuleSetContent {
  return { facts: DECLARED, rules: [{ name: "segment", conditions: segment, event: { type: "segment-matched" } }] };
}

const compiled = new LruCache<string, CompiledRuleSet>(500);

/** Whether the recipient's facts match the segment (no segment: everyone matches). */
export async function segmentMatches(
  segment: TopLevelCondition | null | undefined,
  facts: Record<string, unknown>,
  registry: Registry = defaultSegmentRegistry,
): Promise<boolean> {
  if (!segment) return true;
  const content = segmentRuleSet(segment);
  const key = checksum(content as unknown as Record<string, unknown>);
  let c = compiled.get(key);
  if (!c || registry !== defaultSegmentRegistry) {
    c = compileRuleSet(content, registry);
    if (registry === defaultSegmentRegistry) compiled.set(key, c);
  }
  const evaluation = await c.evaluate(facts, { at: String(facts.today ?? new Date().toISOString().slice(0, 10)) });
  return evaluation.events.length > 0;
}
