// The parts of json-rules-engine's format Ordo used to refuse or could not express, each run
// through both engines: Unicode names, JSONPath, fact params in events, strict facts, fact
// priority, truthy operator answers and deployment limits.
import { Engine } from "json-rules-engine";
import { describe, expect, it } from "vitest";
import {
  compileRuleSet,
  createRegistry,
  definePlugin,
  FACT_NAME_PATTERN,
  resolveLimits,
  ruleSetContentSchema,
  validateRuleSet,
  type RuleSetContent,
} from "../../rules";
import { ajv } from "../../rules/ajv";
import coreOperators from "../../plugins/core-operators";

const AT = "2024-06-30";

async function jre(content: RuleSetContent, facts: Record<string, unknown>, setup?: (e: Engine) => void) {
  const engine = new Engine([], {
    allowUndefinedFacts: content.options?.allowUndefinedFacts !== false,
    replaceFactsInEventParams: content.options?.replaceFactsInEventParams === true,
  });
  for (const [name, c] of Object.entries(content.sharedConditions ?? {})) engine.setCondition(name, c as never);
  for (const rule of content.rules) engine.addRule(structuredClone(rule) as never);
  setup?.(engine);
  const out = await engine.run({ ...facts });
  return { events: out.events, failureEvents: out.failureEvents };
}

const registry = createRegistry([coreOperators]);

describe("Unicode names and JSONPath", () => {
  const content: RuleSetContent = {
    facts: { 年龄: { type: "integer" }, 地址: { type: "object" }, 子女: { type: "array" } },
    sharedConditions: { 成年人: { all: [{ fact: "年龄", operator: "greaterThanInclusive", value: 18 }] } },
    rules: [
      {
        name: "上海成年人",
        conditions: {
          all: [{ condition: "成年人" }, { fact: "地址", path: "$.城市", operator: "equal", value: "上海" }],
        },
        event: { type: "参保", params: { 城市: "上海" } },
      },
      {
        name: "有幼儿",
        conditions: {
          any: [{ fact: "子女", path: "$[?(@.年龄 < 3)].姓名", operator: "contains", value: "小明" }],
        },
        event: { type: "育儿补贴" },
      },
      {
        name: "所有子女年龄",
        conditions: { all: [{ fact: "子女", path: "$[*].年龄", operator: "everyFact:lessThan", value: 18 }] },
        event: { type: "未成年子女" },
      },
      {
        name: "k-1",
        conditions: { all: [{ fact: "地址", path: "$.k-1", operator: "equal", value: 1 }] },
        event: { type: "连字符" },
      },
    ],
  };
  const inputs = [
    {
      年龄: 30,
      地址: { 城市: "上海", "k-1": 1 },
      子女: [
        { 姓名: "小明", 年龄: 2 },
        { 姓名: "小红", 年龄: 7 },
      ],
    },
    { 年龄: 17, 地址: { 城市: "上海" }, 子女: [{ 姓名: "小红", 年龄: 20 }] },
    { 年龄: 40, 地址: { 城市: "北京", "k-1": 2 }, 子女: [] },
  ];

  it("validates a fact 年龄 and a path $.城市 (and wildcards and filters)", () => {
    expect(validateRuleSet(content, registry).errors).toEqual([]);
    // the same schema the editor gets: ajv and Monaco both compile patterns with the u flag
    expect(ajv().validate(ruleSetContentSchema, content)).toBe(true);
    const name = new RegExp(FACT_NAME_PATTERN, "u");
    for (const ok of ["年龄", "_x", "k-1", "città", "नाम", "Größe2"]) expect(name.test(ok), ok).toBe(true);
    for (const bad of ["1年龄", "a b", "-x", "a.b", ""]) expect(name.test(bad), bad).toBe(false);
  });

  it("evaluates like json-rules-engine", async () => {
    const compiled = compileRuleSet(content, registry);
    for (const facts of inputs) {
      const ours = await compiled.evaluate(facts, { at: AT });
      const theirs = await jre(content, facts);
      expect(ours.events).toEqual(theirs.events);
      expect(ours.failureEvents).toEqual(theirs.failureEvents);
    }
    const first = await compiled.evaluate(inputs[0], { at: AT });
    // json-rules-engine's finishing order: the rule through a shared condition takes more microtasks
    expect(first.events.map((e) => e.type)).toEqual(["育儿补贴", "未成年子女", "连字符", "参保"]);
    expect(first.results[3].rule).toBe("上海成年人");
    expect(JSON.stringify(first.results[0].conditions)).toContain('"factValue":["小明"]');
  });

  it("refuses a path jsonpath-plus cannot compile, at its pointer", () => {
    const bad = structuredClone(content);
    (bad.rules[1].conditions as { any: { path: string }[] }).any[0].path = "$[?(@.年龄 <)]";
    const errors = validateRuleSet(bad, registry).errors;
    expect(errors.map((e) => `${e.code} ${e.pointer}`)).toEqual(["PATH /rules/1/conditions/any/0/path"]);
  });

  it("still refuses names that are not letters, digits, _ or -", () => {
    const errors = validateRuleSet({ facts: { "年 龄": {} }, rules: [] }, registry).errors;
    expect(errors.map((e) => e.code)).toEqual(["NAME"]);
  });
});

describe("replaceFactsInEventParams", () => {
  const employees = definePlugin({
    name: "employees",
    setup: (api) =>
      api.addFact("employeeName", (_p, ctx) => `${ctx.factValue("firstName")} ${ctx.factValue("lastName")}`, {
        type: "string",
        description: "full name",
      }),
  });
  const reg = createRegistry([coreOperators, employees]);
  const content = (replace?: boolean): RuleSetContent => ({
    facts: { firstName: {}, lastName: {}, address: {} },
    ...(replace === undefined ? {} : { options: { replaceFactsInEventParams: replace } }),
    rules: [
      {
        name: "welcome",
        conditions: { all: [{ fact: "firstName", operator: "notEqual", value: "" }] },
        event: {
          type: "welcome",
          params: { name: { fact: "employeeName" }, city: { fact: "address", path: "$.city" }, fixed: 1 },
        },
      },
      {
        name: "never",
        conditions: { all: [{ fact: "firstName", operator: "equal", value: "" }] },
        event: { type: "never", params: { who: { fact: "lastName" } } },
      },
    ],
  });
  const facts = { firstName: "Li", lastName: "Wei", address: { city: "上海" } };

  it("answers the employee's name for an event param { fact: employeeName }", async () => {
    const out = await compileRuleSet(content(true), reg).evaluate(facts, { at: AT });
    expect(out.events).toEqual([{ type: "welcome", params: { name: "Li Wei", city: "上海", fixed: 1 } }]);
    expect(out.failureEvents).toEqual([{ type: "never", params: { who: "Wei" } }]);
    const theirs = await jre(content(true), facts, (e) =>
      e.addFact(
        "employeeName",
        async (_p: unknown, a: any) => `${await a.factValue("firstName")} ${await a.factValue("lastName")}`,
      ),
    );
    expect(out.events).toEqual(theirs.events);
    expect(out.failureEvents).toEqual(theirs.failureEvents);
    expect(compileRuleSet(content(true), reg).evaluateSync(facts, { at: AT }).events[0].params?.name).toBe("Li Wei");
  });

  it("leaves params as written when the option is off (the default)", async () => {
    for (const c of [content(), content(false)]) {
      const out = await compileRuleSet(c, reg).evaluate(facts, { at: AT });
      expect(out.events[0].params?.name).toEqual({ fact: "employeeName" });
    }
  });

  it("validates fact references in event params only when the option is on", () => {
    const c = content(true);
    (c.rules[0].event.params as Record<string, unknown>).x = { fact: "nope", path: "$[?(@.a >)]" };
    expect(validateRuleSet(c, reg).errors.map((e) => `${e.code} ${e.pointer}`)).toEqual([
      "UNKNOWN_FACT /rules/0/event/params/x/fact",
      "PATH /rules/0/event/params/x/path",
    ]);
    c.options = {};
    expect(validateRuleSet(c, reg).errors).toEqual([]);
  });
});

describe("allowUndefinedFacts", () => {
  const content = (allow?: boolean): RuleSetContent => ({
    facts: { salary: {}, bonus: {} },
    ...(allow === undefined ? {} : { options: { allowUndefinedFacts: allow } }),
    rules: [
      {
        conditions: { all: [{ fact: "salary", operator: "greaterThan", value: { fact: "bonus" } }] },
        event: { type: "x" },
      },
    ],
  });

  it("false: an undefined fact is an evaluation error naming the fact, as json-rules-engine refuses it", async () => {
    const compiled = compileRuleSet(content(false), registry);
    await expect(compiled.evaluate({ salary: 1 }, { at: AT })).rejects.toMatchObject({
      code: "UNDEFINED_FACT",
      fact: "bonus",
      message: expect.stringContaining("Undefined fact: bonus"),
    });
    expect(() => compiled.evaluateSync({ bonus: 1 }, { at: AT })).toThrow("Undefined fact: salary");
    await expect(jre(content(false), { salary: 1 })).rejects.toThrow("Undefined fact: bonus");
    expect((await compiled.evaluate({ salary: 2, bonus: 1 }, { at: AT })).events).toEqual([{ type: "x" }]);
  });

  it("true (and the default): an undefined fact is undefined", async () => {
    for (const c of [content(), content(true)]) {
      const out = await compileRuleSet(c, registry).evaluate({ salary: 1 }, { at: AT });
      expect(out.failureEvents).toEqual([{ type: "x" }]);
      expect(out.failureEvents).toEqual((await jre(c, { salary: 1 })).failureEvents);
    }
  });
});

describe("fact priority and operator answers", () => {
  it("evaluates conditions on a higher-priority fact first and stops there, as json-rules-engine does", async () => {
    const calls = { ordo: 0, jre: 0 };
    const plugin = definePlugin({
      name: "p",
      setup: (api) => {
        api.addFact("costly", () => (calls.ordo++, 5), { type: "integer", description: "", priority: 1 });
        api.addFact("gate", (_p, ctx) => ctx.input.open, { type: "boolean", description: "", priority: 10 });
      },
    });
    const reg = createRegistry([coreOperators, plugin]);
    const content: RuleSetContent = {
      facts: { open: {} },
      rules: [
        {
          conditions: {
            all: [
              { fact: "costly", operator: "greaterThan", value: 1 },
              { fact: "gate", operator: "equal", value: true },
            ],
          },
          event: { type: "go" },
        },
      ],
    };
    const out = await compileRuleSet(content, reg).evaluate({ open: false }, { at: AT });
    expect(out.events).toEqual([]);
    expect(calls.ordo).toBe(0);
    const theirs = await jre(content, { open: false }, (e) => {
      e.addFact("costly", () => (calls.jre++, 5), { priority: 1 });
      e.addFact("gate", (_p: unknown, a: any) => a.factValue("open"), { priority: 10 });
    });
    expect(theirs.events).toEqual([]);
    expect(calls.jre).toBe(0);
    const trace = out.results[0].conditions as { all: { result?: boolean }[] };
    expect(trace.all.map((c) => c.result)).toEqual([undefined, false]);
  });

  it("counts an operator's non-boolean answer where json-rules-engine does", async () => {
    const truthy = definePlugin({
      name: "t",
      setup: (api) => api.addOperator("echo", ((fv: unknown) => fv) as never),
    });
    const reg = createRegistry([coreOperators, truthy]);
    const echo = (value: unknown) => ({ fact: "v", operator: "echo", value });
    const content: RuleSetContent = {
      facts: { v: {}, w: {} },
      rules: [
        { name: "single", conditions: { all: [echo(1)] }, event: { type: "single" } },
        { name: "anySingle", conditions: { any: [echo(1)] }, event: { type: "anySingle" } },
        { name: "not", conditions: { not: echo(1) }, event: { type: "not" } },
        { name: "nestedNot", conditions: { all: [{ not: echo(1) }] }, event: { type: "nestedNot" } },
        {
          name: "pair",
          conditions: { all: [echo(1), { fact: "w", operator: "equal", value: 1 }] },
          event: { type: "pair" },
        },
        { name: "nested", conditions: { all: [{ any: [echo(1)] }] }, event: { type: "nested" } },
      ],
    };
    const compiled = compileRuleSet(content, reg);
    for (const v of ["yes", 0, "", 7, true, null]) {
      const facts = { v, w: 1 };
      const ours = await compiled.evaluate(facts, { at: AT });
      const theirs = await jre(content, facts, (e) => e.addOperator("echo", ((fv: unknown) => fv) as never));
      expect(ours.events, String(v)).toEqual(theirs.events);
      expect(ours.failureEvents, String(v)).toEqual(theirs.failureEvents);
    }
    const yes = await compiled.evaluate({ v: "yes", w: 1 }, { at: AT });
    expect(yes.events.map((e) => e.type)).toEqual(["single", "anySingle"]);
    const zero = await compiled.evaluate({ v: 0, w: 1 }, { at: AT });
    expect(zero.events.map((e) => e.type)).toEqual(["not", "nestedNot"]);
  });
});

describe("limits", () => {
  const deep = (levels: number): RuleSetContent => {
    let c: Record<string, unknown> = { fact: "x", operator: "equal", value: 1 };
    for (let i = 0; i < levels - 1; i++) c = { all: [c] };
    return { facts: { x: {} }, rules: [{ conditions: c as never, event: { type: "e" } }] };
  };

  it("are the defaults unless a deployment raises or lowers them", () => {
    expect(validateRuleSet(deep(11), registry).errors.map((e) => e.code)).toEqual(["LIMIT_DEPTH"]);
    expect(validateRuleSet(deep(11), registry, { maxDepth: 12 }).errors).toEqual([]);
    expect(compileRuleSet(deep(11), registry, { limits: { maxDepth: 12 } }).rules).toHaveLength(1);
    expect(() => compileRuleSet(deep(11), registry)).toThrow(/nested 11 levels deep; the maximum is 10/);
    const two = { facts: {}, rules: [deep(1).rules[0], deep(1).rules[0]] } as unknown as RuleSetContent;
    two.facts = { x: {} };
    expect(validateRuleSet(two, registry, { maxRules: 1 }).errors.map((e) => e.code)).toEqual(["LIMIT_RULES"]);
  });

  it("are validated", () => {
    expect(resolveLimits()).toEqual({ maxDepth: 10, maxRules: 500, maxConditions: 5000 });
    expect(resolveLimits({ maxRules: 2000 }).maxRules).toBe(2000);
    for (const bad of [{ maxDepth: 0 }, { maxDepth: 1.5 }, { maxRules: 10_000_000 }, { maxDepth: 101 }])
      expect(() => resolveLimits(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: "INVALID_LIMITS" }),
      );
    expect(() => resolveLimits({ maxRule: 3 } as never)).toThrow('There is no limit "maxRule"');
  });
});

describe("generated code", () => {
  it("takes names, literals, params and paths as data: code-like content is compared, never run", () => {
    const evil = '"]); globalThis.__ordoPwned = 1; (["';
    const content: RuleSetContent = {
      facts: { x: {}, o: {} },
      rules: [
        {
          name: evil,
          conditions: {
            all: [
              { fact: "x", operator: "equal", value: evil },
              { fact: "o", path: "$.k", operator: "equal", value: 1 },
            ],
          },
          event: { type: evil, params: { evil } },
        },
      ],
    };
    const compiled = compileRuleSet(content, registry);
    const out = compiled.evaluateSync({ x: evil, o: { k: 1 } }, { at: AT });
    expect(out.events).toEqual([{ type: evil, params: { evil } }]);
    expect(compiled.evaluateSync({ x: "other", o: {} }, { at: AT }).events).toEqual([]);
    expect((globalThis as Record<string, unknown>).__ordoPwned).toBeUndefined();
  });
});
