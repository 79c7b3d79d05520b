/**
 * Chinese throughout: the shipped plugins describe every fact, operator, action and param in zh-CN and en,
 * and every validation diagnostic renders in zh-CN without English prose (its English `message` unchanged).
 */
import { describe, expect, it } from "vitest";
import {
  createRegistry,
  diagnosticIn,
  validateFacts,
  validateRuleSet,
  DIAGNOSTIC_MESSAGES,
  type Diagnostic,
} from "../../rules";
import { availablePlugins } from "../../plugins";

const registry = createRegistry(availablePlugins);
const CJK = /[\u4e00-\u9fff]/;
/** English prose: three words in a row once quoted names, JSONPath examples and code identifiers are left out. */
const englishProse = (text: string) =>
  /[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}/.test(text.replace(/"[^"]*"|\$[^\s、，；）]*|`[^`]*`/g, "#"));

function schemaDescriptions(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) for (const s of schema) schemaDescriptions(s, out);
  else if (schema && typeof schema === "object")
    for (const [k, v] of Object.entries(schema)) {
      if (k === "description" && typeof v === "string") out.push(v);
      else schemaDescriptions(v, out);
    }
  return out;
}

describe("plugin catalogues in zh-CN", () => {
  const zh = registry.catalogue("zh-CN");
  const en = registry.catalogue("en");
  const entries = [
    ...zh.facts.map((f, i) => ({ what: `fact ${f.name}`, zh: f, en: en.facts[i]! })),
    ...zh.operators.map((o, i) => ({ what: `operator ${o.name}`, zh: o, en: en.operators[i]! })),
    ...zh.actions.map((a, i) => ({ what: `action ${a.type}`, zh: a, en: en.actions[i]! })),
  ];

  it("describes every shipped fact, operator and action in Chinese, and in English for en", () => {
    expect(entries.length).toBeGreaterThan(20);
    for (const e of entries) {
      expect(e.zh.description, e.what).toMatch(CJK);
      expect(englishProse(e.zh.description), `${e.what}: ${e.zh.description}`).toBe(false);
      expect(e.en.description, e.what).not.toBe(e.zh.description);
    }
    // The registry's own fields are the English catalogue.
    expect(registry.facts).toEqual(en.facts);
    expect(registry.operators.find((o) => o.name === "greaterThan")?.description).toBe("fact > value");
  });

  it("renders every param description in the locale, and the params schemas still compile in English", () => {
    for (const e of entries) {
      const zhTexts = schemaDescriptions(e.zh.params);
      const enTexts = schemaDescriptions(e.en.params);
      expect(zhTexts.length, e.what).toBe(enTexts.length);
      for (const text of zhTexts) {
        expect(text, `${e.what}: ${text}`).toMatch(CJK);
        expect(englishProse(text), `${e.what}: ${text}`).toBe(false);
      }
      enTexts.forEach((text, i) => {
        expect(text, e.what).not.toBe(zhTexts[i]);
      });
    }
    // A fact's params are validated with its (English) schema: a bilingual description does not break it.
    const out = validateRuleSet(
      {
        facts: { hireDate: { type: "string" } },
        rules: [
          {
            conditions: { all: [{ fact: "age", params: { birthDate: 5 }, operator: "greaterThan", value: 60 }] },
            event: { type: "record-decision" },
          },
        ],
      },
      registry,
    );
    expect(out.errors.map((d) => d.code)).toEqual(["PARAMS"]);
    expect(diagnosticIn(out.errors[0]!, "zh-CN").message).toBe(
      '事实 "age" 的参数在 /birthDate 处必须是文本，而不是数字 5。',
    );
  });
});

/** Rule sets that between them produce every kind of diagnostic the validators know. */
function diagnostics(): Diagnostic[] {
  const all: Diagnostic[] = [];
  const run = (content: unknown, limits = {}) => {
    const r = validateRuleSet(content, registry, limits);
    all.push(...r.errors, ...r.warnings);
  };
  const rule = (conditions: unknown, event: unknown = { type: "record-decision" }) => ({ conditions, event });
  run(5);
  run({ facts: {}, rules: [rule({ all: [] }), rule({ all: [] })] }, { maxRules: 1 });
  run(
    { facts: {}, rules: [rule({ all: [{ all: [{ all: [{ fact: "a", operator: "equal", value: 1 }] }] }] })] },
    {
      maxDepth: 2,
    },
  );
  run({ facts: {}, rules: [rule({ all: [{ fact: "a", operator: "equal", value: 1 }] })] }, { maxConditions: 1 });
  run({ facts: 5, rules: [], testCases: [{ name: "d", facts: {}, at: "1/1/2024", expectEvents: [] }] });
  run({ facts: {}, sharedConditions: { deep: { all: [{ all: [{ all: [] }] }] } }, rules: [] }, { maxDepth: 2 });
  run({
    facts: { salary: { type: "number" }, name: { type: "string" }, bad: { type: "nope" }, today: { type: "string" } },
    sharedConditions: {
      a: { all: [{ condition: "b" }] },
      b: { any: [{ condition: "a" }] },
      "bad name!": { all: [] },
    },
    options: { replaceFactsInEventParams: true },
    rules: [
      rule({ fact: "salary", operator: "equal", value: 1 }),
      rule({ all: [{ fact: "salary", operator: "greaterThen", value: 1 }] }),
      rule({ all: [{ fact: "salry", operator: "equal", value: 1, path: "$.a[?(" }] }),
      rule({ all: [{ fact: "salary", operator: "in", value: 3 }] }),
      rule({ all: [{ fact: "name", operator: "greaterThan", value: 3 }] }),
      rule({ all: [{ fact: "salary", operator: "equal", vaule: 1 }] }),
      rule({ all: [{ fact: "salary", operator: "equal" }] }),
      rule({ all: [{ fact: "salary", operator: "equal", value: { fact: 5 } }] }),
      rule({ all: [{ condition: "missing" }] }),
      rule({ any: "x" }),
      rule({ all: [5] }),
      rule({ all: [{ fact: "salary", operator: "equal", value: 1, all: [] }] }),
      rule({ all: [{ fact: "salary", operator: "withinDays", value: "2024-01-01", params: {} }] }),
      {
        ...rule(
          { all: [] },
          {
            type: "no-such-action",
            params: { x: { fact: 3 }, y: { fact: "a", path: "" }, z: { fact: "salary", params: 5 } },
          },
        ),
      },
      { ...rule({ all: [] }), name: "dup", priority: 0 },
      { ...rule({ all: [] }), name: "dup", priority: "high", extra: 1 },
      { conditions: { all: [] } },
      rule({ all: [] }, { type: "" }),
    ],
    testCases: [
      { name: "t", facts: { salary: "ten" }, expectEvents: [], expectResults: { nope: true } },
      { name: "t", facts: {}, expectEvents: [] },
      { facts: {} },
    ],
  });
  all.push(
    ...validateFacts(
      {
        facts: {
          d: { type: "string", format: "date" },
          e: { enum: ["a", "b"] },
          n: { type: "integer", minimum: 3 },
          o: { type: "object", required: ["x"] },
          s: { type: "string", minLength: 2 },
        },
      },
      { d: "1/2/2020", e: "c", n: 1, o: {}, s: "x" },
    ),
  );
  return all;
}

describe("validation diagnostics in zh-CN", () => {
  const found = diagnostics();

  it("cover most message keys", () => {
    const keys = new Set(found.map((d) => d.i18n?.key));
    const missing = Object.keys(DIAGNOSTIC_MESSAGES).filter((k) => !keys.has(k));
    // NOT_ALLOWED and SCHEMA_KEYWORD answer schema keywords the content schema hardly uses.
    expect(missing.length, missing.join(", ")).toBeLessThanOrEqual(2);
  });

  it("render in Chinese with the same pointer and code, and the English message as before", () => {
    expect(found.length).toBeGreaterThan(30);
    for (const d of found) {
      expect(d.i18n, d.message).toBeDefined();
      const zh = diagnosticIn(d, "zh-CN");
      expect({ pointer: zh.pointer, code: zh.code }).toEqual({ pointer: d.pointer, code: d.code });
      expect(zh.message, d.message).toMatch(CJK);
      // INVALID_SCHEMA and BAD_PATH quote a library's own (English) reason in brackets.
      const body = zh.message.replace(/（[^（）]*）/g, "");
      if (d.code !== "INVALID_SCHEMA") expect(englishProse(body), `${zh.message} <- ${d.message}`).toBe(false);
      expect(diagnosticIn(d, "en")).toEqual({ pointer: d.pointer, code: d.code, message: d.message });
    }
  });

  it("reads naturally: a few samples", () => {
    const zh = (key: string) => found.filter((d) => d.i18n?.key === key).map((d) => diagnosticIn(d, "zh-CN").message);
    expect(zh("UNKNOWN_OPERATOR")).toContain('未知的运算符 "greaterThen"。是否想写 "greaterThan"？');
    expect(zh("MISSING")).toContain('条件缺少 "value"：与事实比较的值。');
    expect(zh("SCHEMA_FORMAT")).toContain('事实 "d"必须是写成 YYYY-MM-DD 的日期，而不是文本 "1/2/2020"。');
    expect(zh("LIMIT_RULES")).toEqual(["规则集有 2 条规则，上限为 1。请拆分为多个规则集。"]);
  });
});
