// Paths into object facts, with json-rules-engine's semantics: its almanac resolves `path` with
// jsonpath-plus (`JSONPath({ path, json, wrap: false })`), so Ordo uses the same library for
// wildcards, filters, slices and recursive descent. Plain paths ($.a.b, $.城市, $['k-1'], $.a[0])
// take a fast path that follows own properties exactly as jsonpath-plus does for plain steps.
// Filters run in jsonpath-plus's default "safe" evaluator, never in native eval.
import { JSONPath } from "jsonpath-plus";
import { RulesError } from "./errors";

const SLICE = /^(-?\d*):(-?\d*):?(\d*)$/u;
const SPECIAL = new Set(["*", "..", "^", "~", "$"]);
const SCRIPT = (step: string) => step.startsWith("?(") || step.startsWith("(");

/** Whether jsonpath-plus treats the step as a plain property name (no wildcard, filter, slice, union…). */
function isPlainStep(step: unknown): step is string {
  if (typeof step !== "string" || SPECIAL.has(step) || SLICE.test(step) || step.includes(",")) return false;
  const c = step[0];
  return c !== "?" && c !== "(" && c !== "@" && c !== "`";
}

function stepsOf(path: string): string[] {
  const steps = JSONPath.toPathArray(path);
  if (steps[0] === "$" && steps.length > 1) steps.shift();
  return steps;
}

/** The property steps of a plain path, or undefined when jsonpath-plus has to evaluate it. */
export function parsePath(path: string): string[] | undefined {
  if (typeof path !== "string" || path === "") return undefined;
  let steps: string[];
  try {
    steps = stepsOf(path);
  } catch {
    return undefined;
  }
  return steps.length > 0 && steps.every(isPlainStep) ? steps : undefined;
}

/** Why a path cannot be used, or undefined: jsonpath-plus cannot split it, or a filter does not parse. */
export function pathProblem(path: string): string | undefined {
  let steps: string[];
  try {
    steps = stepsOf(path);
  } catch (e) {
    return (e as Error).message;
  }
  for (const step of steps) {
    if (!SCRIPT(step)) continue;
    try {
      // A one-element probe makes jsonpath-plus compile the script; errors while running it on the
      // probe ("jsonPath: …") depend on the data and are left to evaluation, as in json-rules-engine.
      JSONPath({ path: `$[${step}]`, json: [0], wrap: false });
    } catch (e) {
      const message = (e as Error).message;
      if (!message.startsWith("jsonPath: ")) return `${message} in ${step}`;
    }
  }
  return undefined;
}

const has = Object.hasOwn;

/**
 * Applies the path like json-rules-engine's almanac: only to non-null objects (other values are
 * returned unchanged); no match gives undefined; several matches (wildcards, filters) a list.
 */
export function compilePath(path: string, fact = ""): (value: unknown) => unknown {
  const steps = parsePath(path);
  if (steps && steps.length === 1) {
    const [a] = steps;
    return (value) =>
      value === null || typeof value !== "object" ? value : has(value, a) ? (value as any)[a] : undefined;
  }
  if (steps) {
    return (value) => {
      if (value === null || typeof value !== "object") return value;
      let current: any = value;
      for (let i = 0; i < steps.length; i++) {
        if (current && has(current, steps[i])) current = current[steps[i]];
        else return undefined;
      }
      return current;
    };
  }
  return (value) => {
    if (value === null || typeof value !== "object") return value;
    try {
      return JSONPath({ path, json: value as object, wrap: false });
    } catch (e) {
      throw new RulesError(
        "PATH_FAILED",
        `Path "${path}"${fact ? ` of fact "${fact}"` : ""} failed: ${(e as Error).message}`,
      );
    }
  };
}
