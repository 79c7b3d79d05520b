// Input facts checked against the rule set's declared fact schemas, before evaluation.
//
// Compile once: ajv caches compiled schemas by object identity and keeps every schema it ever
// compiled (its schema cache and its code scope; ajv#1879), so a schema read again from storage is
// a new validator each time and the instance grows forever. Here validators are cached by the
// schema's canonical text in a bounded cache, and each ajv instance compiles a bounded number of
// schemas before a fresh one takes over: a retired instance is freed with the last validator it
// made, so memory is bounded by the cache, not by the number of requests.
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import { createAjv } from "./ajv";
import { canonicalJson } from "./canonical-json";
import { diagnostic, foundOf, type Subject } from "./i18n";
import { escapeToken, hasOwn, isPlainObject } from "./pointer";
import type { Diagnostic, JsonSchema, RuleSetContent } from "./types";

/** Distinct schemas kept compiled (fact schemas of recent rule-set versions, operator params). */
const CACHE_SIZE = 2000;
/** Schemas one ajv instance compiles before it is retired. */
const PER_INSTANCE = 200;

const cache = new Map<string, ValidateFunction>();
let instance: { ajv: Ajv; compiled: number } | undefined;
let compiledTotal = 0;

function compileFresh(schema: JsonSchema | boolean): ValidateFunction {
  if (!instance || instance.compiled >= PER_INSTANCE) instance = { ajv: createAjv(), compiled: 0 };
  instance.compiled++;
  compiledTotal++;
  // A schema carrying $id would clash with an earlier one of the same id in this instance.
  const fn = instance.ajv.compile(schema);
  if (typeof schema === "object") instance.ajv.removeSchema(schema);
  return fn;
}

/** Compiles a schema once per distinct content; throws when the schema itself is invalid. */
export function compileSchema(schema: JsonSchema | boolean): ValidateFunction {
  const key = canonicalJson(schema);
  let fn = cache.get(key);
  if (fn) {
    cache.delete(key);
    cache.set(key, fn);
    return fn;
  }
  fn = compileFresh(schema);
  cache.set(key, fn);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return fn;
}

/** How many schemas this module has compiled since start (for tests and benchmarks). */
export function compiledSchemaCount(): number {
  return compiledTotal;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let current: any = root;
  for (const token of instancePath.split("/").slice(1))
    current = current?.[token.replace(/~1/g, "/").replace(/~0/g, "~")];
  return current;
}

/** One plain sentence (a diagnostic at `pointer`) for a schema error about `subject` (e.g. fact "salary"). */
export function describeSchemaError(
  pointer: string,
  code: string,
  subject: Subject,
  error: ErrorObject,
  value: unknown,
): Diagnostic {
  const p = error.params as Record<string, any>;
  const base = { subject, at: error.instancePath, found: foundOf(valueAt(value, error.instancePath)) };
  switch (error.keyword) {
    case "type":
      return diagnostic(pointer, code, "SCHEMA_TYPE", { ...base, type: p.type });
    case "format":
      return diagnostic(pointer, code, "SCHEMA_FORMAT", { ...base, format: p.format });
    case "required":
      return diagnostic(pointer, code, "SCHEMA_REQUIRED", { ...base, prop: p.missingProperty });
    case "enum":
      return diagnostic(pointer, code, "SCHEMA_ENUM", { ...base, allowed: p.allowedValues });
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return diagnostic(pointer, code, "SCHEMA_COMPARE", { ...base, comparison: p.comparison, limit: p.limit });
    default:
      return diagnostic(pointer, code, "SCHEMA_OTHER", {
        ...base,
        keyword: error.keyword,
        params: p,
        ajvMessage: error.message,
      });
  }
}

/** Checks input facts against declared schemas; answers diagnostics at `/facts/<name>…` (or `base`). */
export type FactValidator = (facts: Record<string, unknown>, base?: string) => Diagnostic[];

/**
 * The declared fact schemas compiled once, for a host to keep with the compiled rule set (keyed by
 * its checksum) so a request validates without compiling. Invalid schemas are skipped: validateRuleSet
 * reports them as INVALID_SCHEMA.
 */
export function createFactValidator(content: Pick<RuleSetContent, "facts">): FactValidator {
  const validators: [string, ValidateFunction][] = [];
  if (isPlainObject(content.facts)) {
    for (const [name, schema] of Object.entries(content.facts)) {
      try {
        validators.push([name, compileSchema(schema)]);
      } catch {
        /* reported by validateRuleSet as INVALID_SCHEMA */
      }
    }
  }
  const whole = wholeValidator(content, validators);
  return (facts, base = "/facts") => {
    const out: Diagnostic[] = [];
    if (!isPlainObject(facts)) return out;
    if (whole?.(facts)) return out;
    for (const [name, validate] of validators) {
      if (!hasOwn(facts, name) || validate(facts[name])) continue;
      for (const error of validate.errors ?? []) {
        const pointer = `${base}/${escapeToken(name)}${error.instancePath}`;
        out.push(describeSchemaError(pointer, "FACT_INVALID", { kind: "fact", name }, error, facts[name]));
      }
    }
    return out;
  };
}

/**
 * All declared facts as one object schema, to say in one call that facts are valid (the usual case;
 * a batch checks thousands). It can only be stricter than the per-fact check (it also tests a name
 * inherited from Object.prototype), so a refusal falls back to that check, which names the errors.
 * Schemas that refer by `$ref`/`$id` are left to the per-fact check: nesting would change what they resolve to.
 */
function wholeValidator(
  content: Pick<RuleSetContent, "facts">,
  validators: [string, ValidateFunction][],
): ValidateFunction | undefined {
  if (validators.length < 2) return undefined;
  const properties: Record<string, unknown> = {};
  for (const [name] of validators) {
    const schema = (content.facts as Record<string, unknown>)[name];
    if (canonicalJson(schema).includes('"$')) return undefined;
    properties[name] = schema;
  }
  try {
    return compileSchema({ type: "object", properties } as JsonSchema);
  } catch {
    return undefined;
  }
}

/** Diagnostics for input facts that do not match their declared schemas (pointer `/facts/<name>…`). */
export function validateFacts(
  content: Pick<RuleSetContent, "facts">,
  facts: Record<string, unknown>,
  base = "/facts",
): Diagnostic[] {
  if (!isPlainObject(content.facts) || !isPlainObject(facts)) return [];
  return createFactValidator(content)(facts, base);
}
