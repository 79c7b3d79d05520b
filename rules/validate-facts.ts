// Input facts checked against the rule set's declared fact schemas, before evaluation.
import type { ErrorObject, ValidateFunction } from "ajv";
import { ajv } from "./ajv";
import { describeValue, typeWord } from "./messages";
import { escapeToken, hasOwn, isPlainObject } from "./pointer";
import type { Diagnostic, JsonSchema, RuleSetContent } from "./types";

const cache = new WeakMap<object, ValidateFunction>();

/** Compiles a schema once per schema object; throws when the schema itself is invalid. */
export function compileSchema(schema: JsonSchema | boolean): ValidateFunction {
  if (typeof schema === "boolean") return ajv().compile(schema);
  let fn = cache.get(schema);
  if (!fn) {
    fn = ajv().compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let current: any = root;
  for (const token of instancePath.split("/").slice(1))
    current = current?.[token.replace(/~1/g, "/").replace(/~0/g, "~")];
  return current;
}

/** One plain sentence for a schema error about `label` (e.g. 'Fact "salary"'). */
export function describeSchemaError(label: string, error: ErrorObject, value: unknown): string {
  const p = error.params as Record<string, any>;
  const found = valueAt(value, error.instancePath);
  const where = error.instancePath ? `${label} at ${error.instancePath}` : label;
  switch (error.keyword) {
    case "type":
      return `${where} must be ${typeWord(p.type)}, not ${describeValue(found)}.`;
    case "format":
      return `${where} must be ${p.format === "date" ? "a date written as YYYY-MM-DD" : `in "${p.format}" format`}, not ${describeValue(found)}.`;
    case "required":
      return `${where} is missing "${p.missingProperty}".`;
    case "enum":
      return `${where} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, not ${describeValue(found)}.`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `${where} must be ${p.comparison} ${p.limit}, not ${describeValue(found)}.`;
    default:
      return `${where} ${error.message ?? "is invalid"}.`;
  }
}

/** Diagnostics for input facts that do not match their declared schemas (pointer `/facts/<name>…`). */
export function validateFacts(
  content: Pick<RuleSetContent, "facts">,
  facts: Record<string, unknown>,
  base = "/facts",
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isPlainObject(content.facts) || !isPlainObject(facts)) return out;
  for (const [name, schema] of Object.entries(content.facts)) {
    if (!hasOwn(facts, name)) continue;
    let validate: ValidateFunction;
    try {
      validate = compileSchema(schema);
    } catch {
      continue; // reported by validateRuleSet as INVALID_SCHEMA
    }
    if (validate(facts[name])) continue;
    for (const error of validate.errors ?? []) {
      out.push({
        pointer: `${base}/${escapeToken(name)}${error.instancePath}`,
        code: "FACT_INVALID",
        message: describeSchemaError(`Fact "${name}"`, error, facts[name]),
      });
    }
  }
  return out;
}
