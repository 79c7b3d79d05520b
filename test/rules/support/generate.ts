// Random rule sets and inputs covering json-rules-engine's semantics: nesting, not, shared
// condition references, fact-valued values, paths (present, missing, into non-objects), wrong
// types, missing facts, decorated operators, condition and rule priorities, dynamic facts.
import type { Random } from "./random";
import type { Condition, RuleSetContent, TopLevelCondition } from "../../../rules";

const NUMBERS = [-1, 0, 1, 2, 5, 10, 2.5];
const SCALARS = [0, 1, 2, 5, "x", "xy", "5", true, false, null];

interface Options {
  async: boolean;
  /**
   * Also draw engine options: replaceFactsInEventParams (with fact references in event params),
   * allowUndefinedFacts: false.
   */
  options?: boolean;
}

// Plain paths take Ordo's fast path; the others go through jsonpath-plus, as in json-rules-engine.
const OBJ_PATHS = ["$.a.b", "$.list[0].x", "$.missing.x", "$.a", "a.b", "$.list.length", "$.城市", "$['k-1']"];
const JSONPATHS = ["$.list[*].x", "$.list[?(@.x > 1)].x", "$..b", "$.a.*", "$.list[-1:]", "$.list[0,1]"];

function factSide(r: Random, o: Options): { fact: string; path?: string; params?: Record<string, unknown> } {
  const choice = r.int(0, o.async ? 11 : 10);
  switch (choice) {
    case 0:
    case 1:
      return { fact: "n1" };
    case 2:
      return { fact: "n2" };
    case 3:
      return { fact: "s1" };
    case 4:
      return { fact: "arr" };
    case 5:
      return { fact: "obj", path: r.chance(0.7) ? r.pick(OBJ_PATHS) : r.pick(JSONPATHS) };
    case 6:
      return { fact: r.pick(["flag", "missing", "年龄"]) };
    case 7:
      return { fact: "dbl", params: { k: r.pick([1, 2, 3]) } };
    case 8:
      return { fact: "prof", path: r.pick(["$.level", "$.tags[0]", "$.tags"]) };
    case 9:
      return { fact: "later" };
    case 10:
      return r.chance(0.5) ? { fact: "obj" } : { fact: "n2", path: "$.a" };
    default:
      return { fact: "slow" };
  }
}

function valueFor(r: Random, operator: string, o: Options): unknown {
  // a fact-valued list that turns out not to be a list makes both engines throw: keep it rare
  const needsList = /^(in|notIn|someValue:.*|everyValue:.*|not:in)$/.test(operator);
  if (r.chance(needsList ? 0.02 : 0.15)) {
    const side = factSide(r, o);
    return side.path
      ? { fact: side.fact, path: side.path, ...(side.params ? { params: side.params } : {}) }
      : side.params
        ? { fact: side.fact, params: side.params }
        : { fact: side.fact };
  }
  const base = operator.split(":").pop()!;
  if (operator.startsWith("someValue:") || operator.startsWith("everyValue:"))
    return [r.pick(SCALARS), r.pick(NUMBERS)];
  if (base === "in" || base === "notIn") return r.pick([[1, 2, "x"], [5], [], [null, "5", 10]]);
  if (base.startsWith("less") || base.startsWith("greater"))
    return r.chance(0.85) ? r.pick(NUMBERS) : r.pick(["5", null, "abc"]);
  return r.pick(SCALARS);
}

const OPERATORS = [
  "equal",
  "notEqual",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
  "in",
  "notIn",
  "contains",
  "doesNotContain",
];
const DECORATED = [
  "not:equal",
  "someFact:greaterThan",
  "everyFact:lessThan",
  "someValue:equal",
  "everyValue:notEqual",
  "swap:lessThan",
  "not:in",
  "everyFact:not:equal",
];

function leaf(r: Random, o: Options): Condition {
  const operator = r.chance(0.12) ? r.pick(DECORATED) : r.pick(OPERATORS);
  const side = factSide(r, o);
  const c: Record<string, unknown> = { ...side, operator, value: valueFor(r, operator, o) };
  if (r.chance(0.2)) c.priority = r.int(1, 3);
  return c as unknown as Condition;
}

function condition(r: Random, depth: number, shared: string[], o: Options): Condition {
  const roll = r.next();
  if (depth <= 0 || roll < 0.45) return leaf(r, o);
  if (roll < 0.55 && shared.length > 0) return withPriority(r, { condition: r.pick(shared) });
  if (roll < 0.65) return withPriority(r, { not: condition(r, depth - 1, shared, o) });
  return group(r, depth, shared, o);
}

function group(r: Random, depth: number, shared: string[], o: Options): TopLevelCondition {
  const children = Array.from({ length: r.int(0, 4) === 0 ? r.int(0, 1) : r.int(2, 4) }, () =>
    condition(r, depth - 1, shared, o),
  );
  return withPriority(r, r.chance(0.5) ? { all: children } : { any: children });
}

function withPriority<T extends object>(r: Random, c: T): T {
  return r.chance(0.25) ? { ...c, priority: r.int(1, 3) } : c;
}

function topLevel(r: Random, depth: number, shared: string[], o: Options): TopLevelCondition {
  const roll = r.next();
  if (roll < 0.1 && shared.length > 0) return { condition: r.pick(shared) };
  if (roll < 0.2) return { not: condition(r, depth - 1, shared, o) };
  return group(r, depth, shared, o);
}

export function generateRuleSet(r: Random, o: Options = { async: false }): RuleSetContent {
  const shared: Record<string, TopLevelCondition> = {};
  const names: string[] = [];
  for (let i = 0, n = r.int(0, 3); i < n; i++) {
    const name = i === 2 ? "共享-2" : `s${i}`;
    shared[name] = topLevel(r, 2, names, o);
    names.push(name);
  }
  const options: Record<string, boolean> = {};
  if (o.options && r.chance(0.4)) options.replaceFactsInEventParams = true;
  if (o.options && r.chance(0.06)) options.allowUndefinedFacts = false;
  const rules = Array.from({ length: r.int(1, 8) }, (_, i) => {
    const params: Record<string, unknown> = { rule: i, v: r.pick(SCALARS) };
    if (options.replaceFactsInEventParams && r.chance(0.7)) params.f = factSide(r, o);
    if (options.replaceFactsInEventParams && r.chance(0.3)) params.g = { fact: r.pick(["n1", "s1", "年龄"]) };
    const rule: Record<string, unknown> = {
      conditions: topLevel(r, r.int(1, 4), names, o),
      event:
        r.chance(0.3) || options.replaceFactsInEventParams
          ? { type: r.pick(["e1", "e2", "e3"]), params: r.chance(0.1) ? {} : params }
          : { type: r.pick(["e1", "e2", "e3", "e4"]) },
    };
    if (r.chance(0.85)) rule.name = r.chance(0.2) ? `规则${i}` : `r${i}`;
    if (r.chance(0.6)) rule.priority = r.int(1, 3);
    return rule;
  });
  return {
    facts: { n1: {}, n2: {}, s1: {}, arr: {}, obj: {}, flag: {}, missing: {}, 年龄: {} },
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(names.length > 0 ? { sharedConditions: shared } : {}),
    rules: rules as never,
  };
}

export function generateInput(r: Random): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const maybe = (name: string, values: unknown[]) => {
    if (r.chance(0.85)) input[name] = r.pick(values);
  };
  maybe("n1", [0, 1, 2, 5, 10, -1, 2.5, "5", "abc", null, true]);
  maybe("n2", [0, 1, 5, 10, "10", null, { a: 3 }]);
  maybe("s1", ["x", "xy", "", "5"]);
  maybe("arr", [[1, 2], [5, "x"], [], [10, 20, 30], "notarray", 5]);
  maybe("obj", [
    { a: { b: r.pick(NUMBERS) }, list: [{ x: r.pick(NUMBERS) }] },
    { a: { b: 1, c: { b: 2 } }, list: [{ x: 1 }, { x: 5 }, { y: 2 }], 城市: "上海", "k-1": r.pick(NUMBERS) },
    { a: 5, list: [] },
    { a: null },
    { a: { b: "x" } },
    7,
    "str",
  ]);
  maybe("flag", [true, false]);
  maybe("年龄", [17, 18, 30, "30", null]);
  if (r.chance(0.05)) input.dbl = 4; // an input replaces the dynamic fact
  return input;
}
