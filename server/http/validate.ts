/**
 * Validation at the boundary: bodies, query strings and path parameters are checked against JSON Schemas
 * compiled once, and handlers read the validated values. Text that Postgres cannot store (NUL, unpaired
 * surrogates) and JSON nested deeper than MAX_JSON_DEPTH are refused before any schema runs.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { coercingAjv, compileCached, describeError, errorMap } from "./ajv";
import { MAX_JSON_DEPTH, textProblem } from "./formats";
import { fail, validationError } from "../errors";

export function validateBody<T>(schema: object, body: unknown): T {
  const validate = compileCached(schema);
  if (!validate(body)) {
    const errors = errorMap(validate.errors, true);
    throw validationError(errors, "INVALID_BODY");
  }
  return body as T;
}

/** Refuses unstorable text or too-deep nesting anywhere in a body, query or path value. */
export function guardText(value: unknown, where: "body" | "query" | "path"): void {
  const found = textProblem(value);
  if (!found) return;
  if (found.problem === "depth")
    throw fail("JSON_TOO_DEEP", { in: where, pointer: found.pointer, limit: MAX_JSON_DEPTH });
  throw fail(
    "INVALID_TEXT",
    { in: where, field: found.pointer },
    { details: { in: where, pointer: found.pointer }, errors: { [found.pointer.slice(1) || "root"]: "invalid text" } },
  );
}

/** Marks a query parameter whose text is JSON (simple-rest `sort`, `range`, `filter`): parsed, then validated. */
export const jsonParam = <S extends object>(schema: S): S & { "x-json": true } => ({ ...schema, "x-json": true });
export const isJsonParam = (schema: object): boolean => (schema as { "x-json"?: boolean })["x-json"] === true;

const withoutMarker = (schema: object): object => {
  const { "x-json": _, ...rest } = schema as Record<string, unknown>;
  return rest;
};

function firstProblem(errors: ErrorObject[] | null | undefined): { name: string; problem: string } {
  const e = errors?.[0];
  if (!e) return { name: "root", problem: "is invalid" };
  const parts = e.instancePath.split("/").slice(1);
  if (e.keyword === "required") parts.push(String(e.params.missingProperty));
  const [name = "root", ...rest] = parts;
  return { name, problem: `${rest.length ? `/${rest.join("/")} ` : ""}${describeError(e)}` };
}

/** Query parameters: each declared one read (once), JSON ones parsed; unknown ones are ignored. */
export function queryValidator(decl: Record<string, object>): (raw: Record<string, unknown>) => Record<string, any> {
  const names = Object.keys(decl);
  const json = new Set(names.filter((n) => isJsonParam(decl[n]!)));
  const properties = Object.fromEntries(names.map((n) => [n, withoutMarker(decl[n]!)]));
  const validate: ValidateFunction = coercingAjv.compile({ type: "object", properties });
  return (raw) => {
    guardText(raw, "query");
    const input: Record<string, unknown> = {};
    for (const name of names) {
      if (!Object.hasOwn(raw, name)) continue;
      let value = raw[name];
      if (Array.isArray(value)) throw fail("INVALID_QUERY", { parameter: name, problem: "is given more than once" });
      if (json.has(name)) {
        try {
          value = JSON.parse(String(value));
        } catch {
          throw fail("INVALID_QUERY", { parameter: name, problem: "is not valid JSON" });
        }
        const found = textProblem(value);
        if (found) guardText({ [name]: value }, "query");
      }
      input[name] = value;
    }
    if (!validate(input)) {
      const { name, problem } = firstProblem(validate.errors);
      throw fail(
        "INVALID_QUERY",
        { parameter: name, problem },
        { details: { errors: errorMap(validate.errors, true) } },
      );
    }
    return input;
  };
}

/** Path parameters, already percent-decoded by Express: every one required, coerced ("7" is 7). */
export function paramsValidator(decl: Record<string, object>): (raw: Record<string, unknown>) => Record<string, any> {
  const validate = coercingAjv.compile({
    type: "object",
    properties: decl,
    required: Object.keys(decl),
  });
  return (raw) => {
    const input: Record<string, unknown> = {};
    for (const name of Object.keys(decl)) if (Object.hasOwn(raw, name)) input[name] = raw[name];
    guardText(input, "path");
    if (!validate(input)) {
      const { name, problem } = firstProblem(validate.errors);
      throw fail("INVALID_PATH", { parameter: name, problem });
    }
    return input;
  };
}
