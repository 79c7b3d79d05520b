import { describe, expect, it } from "vitest";
import {
  createRegistry,
  validateRuleSet,
  validateFacts,
  compileRuleSet,
  InvalidRuleSetError,
  type RuleSetContent,
} from "../../rules";
import { builtinPlugins } from "../../plugins";

const registry = createRegistry(builtinPlugins);
const base = (rules: unknown[], extra: Record<string, unknown> = {}) =>
  ({
    facts: { salary: { type: "number" }, name: { type: "string" }, tags: { type: "array" } },
    rules,
    ...extra,
  }) as RuleSetContent;
const rule = (conditions: unknown, type = "record-decision") => ({ conditions, event: { type } });
const codes = (ds: { code: string; pointer: string }[]) => ds.map((d) => `${d.code} ${d.pointer}`);

describe("validateRuleSet", () => {
  it("accepts a valid rule set without findings", () => {
    const out = validateRuleSet(
      base([rule({ all: [{ fact: "salary", operator: "greaterThan", value: 1000 }] })]),
      registry,
    );
    expect(out).toEqual({ errors: [], warnings: [] });
  });

  it("reports a missing value at the condition's pointer in plain words", () => {
    const out = validateRuleSet(base([rule({ all: [{ fact: "salary", operator: "greaterThan" }] })]), registry);
    expect(out.errors).toMatchObject([
      {
        pointer: "/rules/0/conditions/all/0",
        code: "REQUIRED",
        message: 'Condition is missing "value": the value to compare the fact with.',
      },
    ]);
  });

  it("judges an object with a fact as a comparison, without anyOf noise", () => {
    const out = validateRuleSet(base([rule({ any: [{ all: [{ fact: "salary", value: 1 }] }] })]), registry);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({
      pointer: "/rules/0/conditions/any/0/all/0",
      message: expect.stringContaining('missing "operator"'),
    });
  });

  it("pairs a misspelt property with the missing one", () => {
    const out = validateRuleSet(base([rule({ all: [{ fact: "salary", operator: "equal", vaule: 1 }] })]), registry);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0].message).toContain('Found "vaule" where "value" was expected');
  });

  it("rejects unknown facts and operators with suggestions, at the exact pointer", () => {
    const out = validateRuleSet(
      base([
        rule({ all: [{ fact: "salary", operator: "equal", value: 1 }] }),
        rule({ all: [{ fact: "salary", operator: "greaterThen", value: 1 }] }),
        rule({ any: [{ fact: "salry", operator: "equal", value: { fact: "bonus" } }] }),
      ]),
      registry,
    );
    expect(codes(out.errors)).toEqual([
      "UNKNOWN_OPERATOR /rules/1/conditions/all/0/operator",
      "UNKNOWN_FACT /rules/2/conditions/any/0/fact",
      "UNKNOWN_FACT /rules/2/conditions/any/0/value/fact",
    ]);
    expect(out.errors[0].message).toBe('Unknown operator "greaterThen". Did you mean "greaterThan"?');
    expect(out.errors[1].message).toContain('Did you mean "salary"?');
  });

  it("knows dynamic facts, decorated operators and rejects unknown decorators", () => {
    const ok = validateRuleSet(
      base([
        rule({
          all: [
            { fact: "age", operator: "not:lessThan", value: 18 },
            { fact: "tags", operator: "someFact:equal", value: "x" },
          ],
        }),
      ]),
      registry,
    );
    expect(ok.errors).toEqual([]);
    const bad = validateRuleSet(base([rule({ all: [{ fact: "tags", operator: "maybe:equal", value: 1 }] })]), registry);
    expect(codes(bad.errors)).toEqual(["UNKNOWN_OPERATOR /rules/0/conditions/all/0/operator"]);
  });

  it("warns (does not fail) when no action handles an event type", () => {
    const out = validateRuleSet(base([rule({ all: [] }, "notify-hr")]), registry);
    expect(out.errors).toEqual([]);
    expect(codes(out.warnings)).toContain("NO_ACTION /rules/0/event/type");
  });

  it("checks shared condition references and cycles", () => {
    const out = validateRuleSet(
      base([rule({ all: [{ condition: "isSenior" }, { condition: "nope" }] })], {
        sharedConditions: { isSenior: { any: [{ condition: "loop" }] }, loop: { all: [{ condition: "isSenior" }] } },
      }),
      registry,
    );
    expect(codes(out.errors)).toEqual(
      expect.arrayContaining([
        "UNKNOWN_CONDITION /rules/0/conditions/all/1/condition",
        "CONDITION_CYCLE /sharedConditions/isSenior",
      ]),
    );
  });

  it("requires a group at the top of a rule's conditions", () => {
    const out = validateRuleSet(base([rule({ fact: "salary", operator: "equal", value: 1 })]), registry);
    expect(out.errors[0]).toMatchObject({
      pointer: "/rules/0/conditions",
      message: expect.stringContaining('Wrap this comparison in "all"'),
    });
  });

  it("enforces limits with clear messages", () => {
    let deep: unknown = { fact: "salary", operator: "equal", value: 1 };
    for (let i = 0; i < 12; i++) deep = { all: [deep] };
    const depth = validateRuleSet(base([rule(deep)]), registry);
    expect(depth.errors[0]).toMatchObject({ code: "LIMIT_DEPTH", pointer: "/rules/0/conditions" });
    expect(depth.errors[0].message).toContain("maximum is 10 levels");

    const many = validateRuleSet(base(Array.from({ length: 6 }, () => rule({ all: [] }))), registry, { maxRules: 5 });
    expect(many.errors).toMatchObject([
      {
        pointer: "/rules",
        code: "LIMIT_RULES",
        message: "The rule set has 6 rules; the maximum is 5. Split it into several rule sets.",
      },
    ]);

    const leaf = { fact: "salary", operator: "equal", value: 1 };
    const wide = validateRuleSet(
      base([rule({ all: [{ condition: "x" }, { condition: "x" }] })], {
        sharedConditions: { x: { all: [leaf, leaf, leaf] } },
      }),
      registry,
      {
        maxConditions: 8,
      },
    );
    expect(codes(wide.errors)).toEqual(["LIMIT_CONDITIONS /rules"]); // 1 + 2 × (1 ref + 1 group + 3 leaves) = 11
  });

  it("validates fact schemas, literal value types, paths, params and test cases", () => {
    const out = validateRuleSet(
      {
        facts: { salary: { type: "numbr" }, emp: { type: "object" } },
        rules: [
          rule({
            all: [
              { fact: "emp", path: "$.staff[?(@.age >)]", operator: "in", value: "x" },
              { fact: "monthsBetween", params: { to: "2024-01-01" }, operator: "greaterThan", value: 1 },
            ],
          }),
        ],
        testCases: [{ name: "t", facts: { emp: 5 }, at: "1/2/2024", expectEvents: [], expectResults: { r9: true } }],
      },
      registry,
    );
    expect(codes(out.errors)).toEqual(
      expect.arrayContaining([
        "INVALID_SCHEMA /facts/salary",
        "PATH /rules/0/conditions/all/0/path",
        "TYPE /rules/0/conditions/all/0/value",
        "PARAMS /rules/0/conditions/all/1/params",
        "FORMAT /testCases/0/at",
        "FACT_INVALID /testCases/0/facts/emp",
        "UNKNOWN_RULE /testCases/0/expectResults/r9",
      ]),
    );
  });

  it("compileRuleSet refuses invalid content with the diagnostics", () => {
    expect(() =>
      compileRuleSet(base([rule({ all: [{ fact: "nope", operator: "equal", value: 1 }] })]), registry),
    ).toThrow(InvalidRuleSetError);
  });
});

describe("validateFacts", () => {
  it("checks input facts against declared schemas with pointers /facts/<name>", () => {
    const content = { facts: { salary: { type: "number" }, birthDate: { type: "string", format: "date" } } };
    expect(validateFacts(content, { salary: 10, birthDate: "1980-02-29" })).toEqual([]);
    const out = validateFacts(content, { salary: "ten", birthDate: "29/02/1980" });
    expect(out).toMatchObject([
      {
        pointer: "/facts/salary",
        code: "FACT_INVALID",
        message: 'Fact "salary" must be a number, not the text "ten".',
      },
      {
        pointer: "/facts/birthDate",
        code: "FACT_INVALID",
        message: 'Fact "birthDate" must be a date written as YYYY-MM-DD, not the text "29/02/1980".',
      },
    ]);
  });
});
