// validateRuleSet: limits first, then the schema, then what a schema cannot know: which facts,
// operators, shared conditions and actions exist. Errors block publishing; warnings do not.
import type { Registry } from "./plugins";
import { checkLimits, resolveLimits, type Limits } from "./limits";
import { validateStructure } from "./validate-structure";
import { checkConditions } from "./validate-conditions";
import { compileSchema, validateFacts } from "./validate-facts";
import { didYouMean } from "./messages";
import { escapeToken, isPlainObject, ruleLabel } from "./pointer";
import type { Diagnostic } from "./types";

export interface ValidationResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export function validateRuleSet(content: unknown, registry: Registry, limits: Partial<Limits> = {}): ValidationResult {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  if (!isPlainObject(content)) {
    return {
      errors: [{ pointer: "", code: "TYPE", message: 'A rule set must be an object with "facts" and "rules".' }],
      warnings,
    };
  }
  const limitErrors = checkLimits(content, resolveLimits(limits));
  if (limitErrors.length > 0) return { errors: limitErrors, warnings };

  errors.push(...validateStructure(content));
  const facts = isPlainObject(content.facts) ? content.facts : {};
  for (const [name, schema] of Object.entries(facts)) {
    try {
      compileSchema(schema as Record<string, unknown>);
    } catch (e) {
      errors.push({
        pointer: `/facts/${escapeToken(name)}`,
        code: "INVALID_SCHEMA",
        message: `The schema of fact "${name}" is not a valid JSON Schema: ${(e as Error).message}`,
      });
    }
    if (registry.getFact(name)) {
      warnings.push({
        pointer: `/facts/${escapeToken(name)}`,
        code: "SHADOWED_FACT",
        message:
          `Fact "${name}" is also computed by plugin "${registry.getFact(name)!.plugin}"; ` +
          "a value given as input replaces the computed one.",
      });
    }
  }
  checkConditions(content, registry, errors, warnings);

  const rules = Array.isArray(content.rules) ? content.rules : [];
  const labels = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!isPlainObject(rule)) return;
    if (typeof rule.name === "string") {
      if (labels.has(rule.name)) {
        errors.push({
          pointer: `/rules/${i}/name`,
          code: "DUPLICATE_NAME",
          message:
            `Rule name "${rule.name}" is already used by rule ${labels.get(rule.name)}; ` +
            "rule names must be unique.",
        });
      } else labels.set(rule.name, i);
    } else labels.set(ruleLabel(rule, i), i);
    const type = isPlainObject(rule.event) ? rule.event.type : undefined;
    if (typeof type === "string" && type && !registry.getAction(type)) {
      warnings.push({
        pointer: `/rules/${i}/event/type`,
        code: "NO_ACTION",
        message: `No action handles event "${type}": the rule can fire, but nothing will be done with it.${didYouMean(
          type,
          registry.actions.map((a) => a.type),
        )}`,
      });
    }
  });

  const cases = Array.isArray(content.testCases) ? content.testCases : [];
  const caseNames = new Set<string>();
  cases.forEach((tc, i) => {
    if (!isPlainObject(tc)) return;
    if (typeof tc.name === "string") {
      if (caseNames.has(tc.name))
        errors.push({
          pointer: `/testCases/${i}/name`,
          code: "DUPLICATE_NAME",
          message: `Test case name "${tc.name}" is used twice.`,
        });
      caseNames.add(tc.name);
    }
    if (isPlainObject(tc.facts))
      errors.push(...validateFacts({ facts: facts as never }, tc.facts, `/testCases/${i}/facts`));
    if (isPlainObject(tc.expectResults)) {
      for (const key of Object.keys(tc.expectResults)) {
        if (!labels.has(key)) {
          const hint = didYouMean(key, labels.keys());
          errors.push({
            pointer: `/testCases/${i}/expectResults/${escapeToken(key)}`,
            code: "UNKNOWN_RULE",
            message: `There is no rule "${key}" (unnamed rules are written #0, #1, …).${hint}`,
          });
        }
      }
    }
  });
  return { errors, warnings };
}
