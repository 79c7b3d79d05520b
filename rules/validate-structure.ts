// Runs the content schema and turns ajv's errors into one plain message per problem, at the
// pointer of the object the consultant has to fix.
import type { ErrorObject, ValidateFunction } from "ajv";
import { ajv } from "./ajv";
import { ruleSetContentSchema } from "./schema";
import { closest } from "./messages";
import { diagnostic, foundOf } from "./i18n";
import { escapeToken } from "./pointer";
import type { Diagnostic } from "./types";

const STRUCTURAL = new Set(["all", "any", "not", "condition", "fact", "operator", "value"]);

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
        return diagnostic(at, "REQUIRED", "TOP_CONDITION", { wrap: Boolean(leafLike && "fact" in leafLike) });
      }
      const typo = missing.get(`${at}\u0000${prop}`);
      if (typo) return diagnostic(at, "REQUIRED", "MISSING_TYPO", { found: typo[0], prop, context: ctx });
      return diagnostic(at, "REQUIRED", "MISSING", { prop, context: ctx });
    }
    case "additionalProperties": {
      const prop = params.additionalProperty as string;
      if (STRUCTURAL.has(prop) && (TOP.test(at) || INSIDE_CONDITION.test(at))) {
        return diagnostic(at, "SHAPE", "CONDITION_SHAPE");
      }
      // reported as a typo
      if ([...missing.values()].some((m) => m[1] === `${at}/${escapeToken(prop)}`)) return undefined;
      return diagnostic(`${at}/${escapeToken(prop)}`, "UNKNOWN_PROPERTY", "UNKNOWN_PROPERTY", { prop });
    }
    case "type": {
      const actual = valueAt(content, at);
      const last = at.split("/").pop();
      const found = foundOf(actual);
      if (last === "all" || last === "any") return diagnostic(at, "TYPE", "GROUP_NOT_LIST", { group: last, found });
      if (last === "priority") return diagnostic(at, "TYPE", "PRIORITY");
      if (params.type === "object" && (TOP.test(at) || INSIDE_CONDITION.test(at)))
        return diagnostic(at, "TYPE", "EXPECTED_CONDITION", { found });
      return diagnostic(at, "TYPE", "EXPECTED_TYPE", { type: params.type, found });
    }
    case "minimum":
      return diagnostic(at, "RANGE", "PRIORITY");
    case "minLength":
      return diagnostic(at, "REQUIRED", "NOT_EMPTY");
    case "pattern":
      if (at.endsWith("/at")) return diagnostic(at, "FORMAT", "DATE_FORMAT");
      return diagnostic(at, "FORMAT", "NOT_ALLOWED", {
        value: String(valueAt(content, at)),
        ajvMessage: error.message,
        pattern: params.pattern,
      });
    case "propertyNames": {
      const name = String(params.propertyName);
      return diagnostic(`${at}/${escapeToken(name)}`, "NAME", "BAD_NAME", { name });
    }
    default:
      return diagnostic(at, error.keyword.toUpperCase(), "SCHEMA_KEYWORD", {
        keyword: error.keyword,
        params,
        ajvMessage: error.message,
      });
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
