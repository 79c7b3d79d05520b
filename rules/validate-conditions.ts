// Checks of the condition trees that need the registry: facts, operators, paths, params,
// shared-condition references and cycles.
import type { Registry } from "./plugins";
import { decorators, parseOperator } from "./operators";
import { pathProblem } from "./json-path";
import { compileSchema, describeSchemaError } from "./validate-facts";
import { closest, jsonType, typeMatches } from "./messages";
import { diagnostic, type Subject } from "./i18n";
import { escapeToken, hasOwn, isPlainObject } from "./pointer";
import type { Diagnostic } from "./types";

type Out = Diagnostic[];

export function checkConditions(
  content: Record<string, unknown>,
  registry: Registry,
  errors: Out,
  warnings: Out,
): void {
  const declared = isPlainObject(content.facts) ? content.facts : {};
  const shared = isPlainObject(content.sharedConditions) ? content.sharedConditions : {};
  const factNames = () => [...Object.keys(declared), ...registry.facts.map((f) => f.name)];
  const operatorNames = () => [...registry.operators.map((o) => o.name)];
  const declaredType = (fact: string): string | undefined => {
    const schema = declared[fact];
    return isPlainObject(schema) && typeof schema.type === "string" ? schema.type : undefined;
  };

  const checkFact = (fact: unknown, at: string) => {
    if (typeof fact !== "string" || !fact) return;
    if (!hasOwn(declared, fact) && !registry.getFact(fact)) {
      errors.push(diagnostic(at, "UNKNOWN_FACT", "UNKNOWN_FACT", { fact, hint: closest(fact, factNames()) }));
    }
  };
  const checkPath = (path: unknown, at: string) => {
    const problem = typeof path === "string" && path ? pathProblem(path) : undefined;
    if (problem) {
      errors.push(diagnostic(at, "PATH", "BAD_PATH", { path, problem }));
    }
  };
  const checkParams = (schema: object | undefined, params: unknown, at: string, subject: Subject) => {
    if (!schema) return;
    const validate = compileSchema(schema as Record<string, unknown>);
    if (validate(params ?? {})) return;
    for (const e of validate.errors ?? [])
      errors.push(describeSchemaError(at + e.instancePath, "PARAMS", subject, e, params ?? {}));
  };

  const leaf = (node: Record<string, unknown>, at: string) => {
    checkFact(node.fact, `${at}/fact`);
    checkPath(node.path, `${at}/path`);
    const fact = typeof node.fact === "string" ? registry.getFact(node.fact) : undefined;
    if (fact && !hasOwn(declared, fact.name))
      checkParams(fact.params, node.params, `${at}/params`, { kind: "factParams", name: fact.name });
    const value = node.value;
    if (isPlainObject(value) && hasOwn(value, "fact")) {
      if (typeof value.fact !== "string") errors.push(diagnostic(`${at}/value/fact`, "TYPE", "FACT_REF_NAME"));
      checkFact(value.fact, `${at}/value/fact`);
      checkPath(value.path, `${at}/value/path`);
    }
    if (typeof node.operator !== "string" || !node.operator) return;
    const parsed = parseOperator(registry, node.operator);
    if (!parsed) {
      const known = [
        ...operatorNames(),
        ...Object.keys(decorators).flatMap((d) => operatorNames().map((o) => `${d}:${o}`)),
      ];
      errors.push(
        diagnostic(`${at}/operator`, "UNKNOWN_OPERATOR", "UNKNOWN_OPERATOR", {
          operator: node.operator,
          hint: closest(node.operator, known),
        }),
      );
      return;
    }
    const op = registry.getOperator(parsed.base)!;
    checkParams(op.params, node.params, `${at}/params`, { kind: "operatorParams", name: op.name });
    const literal = !(isPlainObject(value) && hasOwn(value, "fact"));
    const listValue = parsed.decorators.some((d) => d === "someValue" || d === "everyValue");
    const expected = listValue ? "array" : parsed.decorators.length === 0 ? op.valueType : undefined;
    if (literal && expected && value !== undefined && !typeMatches(expected, jsonType(value))) {
      errors.push(
        diagnostic(`${at}/value`, "TYPE", "OPERATOR_VALUE_TYPE", {
          operator: node.operator,
          expected,
          actual: jsonType(value),
        }),
      );
    }
    const factType = typeof node.fact === "string" ? declaredType(node.fact) : undefined;
    if (
      op.factType &&
      factType &&
      !node.path &&
      parsed.decorators.length === 0 &&
      !typeMatches(op.factType, factType)
    ) {
      warnings.push(
        diagnostic(`${at}/operator`, "TYPE", "OPERATOR_FACT_TYPE", {
          operator: op.name,
          expected: op.factType,
          fact: node.fact,
          declared: factType,
        }),
      );
    }
  };

  const walk = (node: unknown, at: string): void => {
    if (!isPlainObject(node)) return;
    for (const key of ["all", "any"] as const) {
      if (Array.isArray(node[key])) {
        if ((node[key] as unknown[]).length === 0) {
          warnings.push(diagnostic(`${at}/${key}`, "EMPTY_GROUP", "EMPTY_GROUP", { group: key }));
        }
        for (const [i, child] of (node[key] as unknown[]).entries()) walk(child, `${at}/${key}/${i}`);
        return;
      }
    }
    if (hasOwn(node, "not")) {
      walk(node.not, `${at}/not`);
      return;
    }
    if (hasOwn(node, "condition")) {
      if (typeof node.condition === "string" && !hasOwn(shared, node.condition)) {
        errors.push(
          diagnostic(`${at}/condition`, "UNKNOWN_CONDITION", "UNKNOWN_CONDITION", {
            condition: node.condition,
            hint: closest(node.condition, Object.keys(shared)),
          }),
        );
      }
      return;
    }
    if (hasOwn(node, "fact")) leaf(node, at);
  };

  for (const [name, node] of Object.entries(shared)) walk(node, `/sharedConditions/${escapeToken(name)}`);
  const rules = Array.isArray(content.rules) ? content.rules : [];
  for (const [i, rule] of rules.entries()) if (isPlainObject(rule)) walk(rule.conditions, `/rules/${i}/conditions`);
  // With replaceFactsInEventParams, `{ "fact": … }` in event params is a fact reference like a condition's value.
  const options = isPlainObject(content.options) ? content.options : {};
  if (options.replaceFactsInEventParams === true) {
    for (const [i, rule] of rules.entries()) {
      const params = isPlainObject(rule) && isPlainObject(rule.event) ? rule.event.params : undefined;
      if (!isPlainObject(params)) continue;
      for (const [key, value] of Object.entries(params)) {
        if (!isPlainObject(value) || !hasOwn(value, "fact")) continue;
        const at = `/rules/${i}/event/params/${escapeToken(key)}`;
        if (typeof value.fact !== "string" || !value.fact)
          errors.push(diagnostic(`${at}/fact`, "TYPE", "FACT_REF_NAME"));
        else checkFact(value.fact, `${at}/fact`);
        if (value.path !== undefined && (typeof value.path !== "string" || !value.path))
          errors.push(diagnostic(`${at}/path`, "TYPE", "PATH_TEXT"));
        else checkPath(value.path, `${at}/path`);
        if (value.params !== undefined && !isPlainObject(value.params))
          errors.push(diagnostic(`${at}/params`, "TYPE", "FACT_PARAMS_OBJECT"));
      }
    }
  }
  checkCycles(shared, errors);
}

function references(node: unknown, out: string[]): string[] {
  if (!isPlainObject(node)) return out;
  if (Array.isArray(node.all)) for (const c of node.all) references(c, out);
  else if (Array.isArray(node.any)) for (const c of node.any) references(c, out);
  else if (hasOwn(node, "not")) references(node.not, out);
  else if (typeof node.condition === "string") out.push(node.condition);
  return out;
}

function checkCycles(shared: Record<string, unknown>, errors: Out): void {
  const state = new Map<string, "active" | "done">();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === "done" || !hasOwn(shared, name)) return;
    if (state.get(name) === "active") {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      errors.push(
        diagnostic(`/sharedConditions/${escapeToken(name)}`, "CONDITION_CYCLE", "CONDITION_CYCLE", { cycle }),
      );
      return;
    }
    state.set(name, "active");
    for (const ref of references(shared[name], [])) visit(ref, [...trail, name]);
    state.set(name, "done");
  };
  for (const name of Object.keys(shared)) visit(name, []);
}
