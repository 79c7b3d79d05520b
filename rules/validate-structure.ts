// Runs the content schema and turns ajv's errors into one plain message per problem, at the
// pointer of the object the consultant has to fix.
import type { ErrorObject, ValidateFunction } from "ajv";
import { ajv } from "./ajv";
import { ruleSetContentSchema } from "./schema";
import { closest, describeValue, typeWord } from "./messages";
import { escapeToken } from "./pointer";
import type { Diagnostic } from "./types";

const STRUCTURAL = new Set(["all", "any", "not", "condition", "fact", "operator", "value"]);

const MISSING: Record<string, Record<string, string>> = {
  leaf: {
    fact: 'Condition is missing "fact": the name of the fact to test.',
    operator: 'Condition is missing "operator": how to compare, e.g. "equal" or "greaterThan".',
    value: 'Condition is missing "value": the value to compare the fact with.',
  },
  rule: {
    conditions: 'Rule is missing "conditions": when the rule applies.',
    event: 'Rule is missing "event": what happens when the rule applies.',
  },
  event: { type: 'Event is missing "type": the name of the action to run.' },
  testCase: {
    name: 'Test case is missing "name".',
    facts: 'Test case is missing "facts": the input to evaluate.',
    expectEvents: 'Test case is missing "expectEvents": the events it should produce (use [] for none).',
  },
  root: {
    facts: 'Rule set is missing "facts": the declared input facts (use {} for none).',
    rules: 'Rule set is missing "rules" (use [] for none).',
  },
};

let compiled: ValidateFunction | undefined;

function valueAt(root: unknown, pointer: string): unknown {
  let current: any = root;
  for (const token of pointer.split("/").slice(1)) {
    if (current === null || typeof current !== "object") return undefined;
    current = current[token.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return current;
}

// ajv reports schema paths relative to the referenced definition, so the place in the content
// (the instance path) tells which kind of object is being judged.
const TOP = /^\/(rules\/\d+\/conditions|sharedConditions\/[^/]+)$/;
const INSIDE_CONDITION = /^\/(rules\/\d+\/conditions|sharedConditions\/[^/]+)\//;

function context(error: ErrorObject): string {
  const at = error.instancePath;
  if (TOP.test(at)) return "top";
  if (INSIDE_CONDITION.test(at)) return "leaf";
  if (/^\/rules\/\d+\/event$/.test(at) || /^\/testCases\/\d+\/expectEvents\/\d+$/.test(at)) return "event";
  if (/^\/rules\/\d+$/.test(at)) return "rule";
  if (/^\/testCases\/\d+$/.test(at)) return "testCase";
  if (at === "") return "root";
  return "";
}

function translate(error: ErrorObject, content: unknown, missing: Map<string, string[]>): Diagnostic | undefined {
  const at = error.instancePath;
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case "if":
      return undefined; // the branch's own errors say what is wrong
    case "required": {
      const ctx = context(error);
      const prop = params.missingProperty as string;
      if (ctx === "top") {
        const leafLike = valueAt(content, at) as Record<string, unknown>;
        const hint = leafLike && "fact" in leafLike ? ' Wrap this comparison in "all": [ … ].' : "";
        const text = `A rule's conditions must start with "all", "any", "not" or "condition" (a shared condition).`;
        return { pointer: at, code: "REQUIRED", message: `${text}${hint}` };
      }
      const typo = missing.get(`${at}\u0000${prop}`);
      if (typo)
        return {
          pointer: at,
          code: "REQUIRED",
          message: `Found "${typo[0]}" where "${prop}" was expected. ${MISSING[ctx]?.[prop] ?? ""}`.trim(),
        };
      return { pointer: at, code: "REQUIRED", message: MISSING[ctx]?.[prop] ?? `Missing "${prop}".` };
    }
    case "additionalProperties": {
      const prop = params.additionalProperty as string;
      if (STRUCTURAL.has(prop) && (TOP.test(at) || INSIDE_CONDITION.test(at))) {
        return {
          pointer: at,
          code: "SHAPE",
          message:
            'A condition must be exactly one of: a group ("all", "any" or "not"), ' +
            'a reference to a shared condition ("condition"), or a comparison ("fact", "operator", "value").',
        };
      }
      // reported as a typo
      if ([...missing.values()].some((m) => m[1] === `${at}/${escapeToken(prop)}`)) return undefined;
      return {
        pointer: `${at}/${escapeToken(prop)}`,
        code: "UNKNOWN_PROPERTY",
        message: `Unknown property "${prop}" here.`,
      };
    }
    case "type": {
      const actual = valueAt(content, at);
      const last = at.split("/").pop();
      if (last === "all" || last === "any")
        return {
          pointer: at,
          code: "TYPE",
          message: `"${last}" must be a list of conditions, not ${describeValue(actual)}.`,
        };
      if (last === "priority")
        return { pointer: at, code: "TYPE", message: "Priority must be a whole number of 1 or more." };
      if (params.type === "object" && (TOP.test(at) || INSIDE_CONDITION.test(at))) {
        return {
          pointer: at,
          code: "TYPE",
          message:
            'Expected a condition (an object such as { "fact", "operator", "value" }), ' +
            `found ${describeValue(actual)}.`,
        };
      }
      return {
        pointer: at,
        code: "TYPE",
        message: `Expected ${typeWord(params.type)} here, found ${describeValue(actual)}.`,
      };
    }
    case "minimum":
      return { pointer: at, code: "RANGE", message: "Priority must be a whole number of 1 or more." };
    case "minLength":
      return { pointer: at, code: "REQUIRED", message: "This must not be empty." };
    case "pattern":
      if (at.endsWith("/at"))
        return { pointer: at, code: "FORMAT", message: "The date must be written as YYYY-MM-DD." };
      return {
        pointer: at,
        code: "FORMAT",
        message: `"${valueAt(content, at)}" is not allowed here (${error.message}).`,
      };
    case "propertyNames": {
      const name = String(params.propertyName);
      return {
        pointer: `${at}/${escapeToken(name)}`,
        code: "NAME",
        message: `"${name}" is not a valid name: use letters, digits, "_" or "-", starting with a letter.`,
      };
    }
    default:
      return { pointer: at, code: error.keyword.toUpperCase(), message: error.message ?? "Invalid value." };
  }
}

/** Structural errors of the content, one per problem. */
export function validateStructure(content: unknown): Diagnostic[] {
  compiled ??= ajv().compile(ruleSetContentSchema);
  if (compiled(content)) return [];
  const errors = compiled.errors ?? [];
  // Pair a missing property with an unknown one in the same object when they look like a typo.
  const missing = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword !== "required") continue;
    const unknown = errors
      .filter((o) => o.keyword === "additionalProperties" && o.instancePath === e.instancePath)
      .map((o) => (o.params as { additionalProperty: string }).additionalProperty);
    const prop = (e.params as { missingProperty: string }).missingProperty;
    const typo = closest(prop, unknown);
    if (typo) missing.set(`${e.instancePath}\u0000${prop}`, [typo, `${e.instancePath}/${escapeToken(typo)}`]);
  }
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === "pattern" && error.propertyName !== undefined) continue; // reported by propertyNames
    const d = translate(error, content, missing);
    if (!d) continue;
    const key = `${d.pointer}\u0000${d.code === "TYPE" ? "" : d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}
