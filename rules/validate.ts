// validateRuleSet: limits first, then the schema, then what a schema cannot know: which facts,
// operators, shared conditions and actions exist. Errors block publishing; warnings do not.
import type { Registry } from "./plugins";
import { checkLimits, resolveLimits, type Limits } from "./limits";
import { validateStructure } from "./validate-structure";
import { checkConditions } from "./validate-conditions";
import { compileSchema, validateFacts } from "./validate-facts";
import { closest } from "./messages";
import { diagnostic } from "./i18n";
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
      errors: [diagnostic("", "TYPE", "NOT_AN_OBJECT")],
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
      errors.push(
        diagnostic(`/facts/${escapeToken(name)}`, "INVALID_SCHEMA", "INVALID_SCHEMA", {
          fact: name,
          problem: (e as Error).message,
        }),
      );
    }
    if (registry.getFact(name)) {
      warnings.push(
        diagnostic(`/facts/${escapeToken(name)}`, "SHADOWED_FACT", "SHADOWED_FACT", {
          fact: name,
          plugin: registry.getFact(name)!.plugin,
        }),
      );
    }
  }
  checkConditions(content, registry, errors, warnings);

  const rules = Array.isArray(content.rules) ? content.rules : [];
  const labels = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!isPlainObject(rule)) return;
    if (typeof rule.name === "string") {
      if (labels.has(rule.name)) {
        errors.push(
          diagnostic(`/rules/${i}/name`, "DUPLICATE_NAME", "DUPLICATE_RULE_NAME", {
            name: rule.name,
            other: labels.get(rule.name),
          }),
        );
      } else labels.set(rule.name, i);
    } else labels.set(ruleLabel(rule, i), i);
    const type = isPlainObject(rule.event) ? rule.event.type : undefined;
    if (typeof type === "string" && type && !registry.getAction(type)) {
      warnings.push(
        diagnostic(`/rules/${i}/event/type`, "NO_ACTION", "NO_ACTION", {
          type,
          hint: closest(
            type,
            registry.actions.map((a) => a.type),
          ),
        }),
      );
    }
  });

  const cases = Array.isArray(content.testCases) ? content.testCases : [];
  const caseNames = new Set<string>();
  cases.forEach((tc, i) => {
    if (!isPlainObject(tc)) return;
    if (typeof tc.name === "string") {
      if (caseNames.has(tc.name))
        errors.push(diagnostic(`/testCases/${i}/name`, "DUPLICATE_NAME", "DUPLICATE_TEST_NAME", { name: tc.name }));
      caseNames.add(tc.name);
    }
    if (isPlainObject(tc.facts))
      errors.push(...validateFacts({ facts: facts as never }, tc.facts, `/testCases/${i}/facts`));
    if (isPlainObject(tc.expectResults)) {
      for (const key of Object.keys(tc.expectResults)) {
        if (!labels.has(key)) {
          errors.push(
            diagnostic(`/testCases/${i}/expectResults/${escapeToken(key)}`, "UNKNOWN_RULE", "UNKNOWN_RULE", {
              rule: key,
              hint: closest(key, labels.keys()),
            }),
          );
        }
      }
    }
  });
  return { errors, warnings };
}
