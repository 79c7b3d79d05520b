// Texts in two languages. Plugins describe facts, operators and actions as `Text`; validation gives
// each diagnostic a message key and params (`Diagnostic.i18n`), and `diagnosticIn` renders it in a
// locale from the table below. The English renderings are the diagnostics' `message`.
import type { Diagnostic } from "./types";

export type Locale = "zh-CN" | "en";
/** A text in both languages, or one string for both (e.g. a third-party plugin's English). */
export type Text = string | { "zh-CN": string; en: string };

const isText = (v: unknown): v is { "zh-CN": string; en: string } =>
  typeof v === "object" && v !== null && typeof (v as { en?: unknown }).en === "string" && "zh-CN" in v;

export function textIn(text: Text | undefined, locale: Locale): string {
  if (text === undefined) return "";
  return typeof text === "string" ? text : (text[locale] ?? text.en);
}

/** A JSON Schema with every bilingual `description` or `title` rendered in one language. */
export function schemaIn<T>(schema: T, locale: Locale): T {
  if (Array.isArray(schema)) return schema.map((s) => schemaIn(s, locale)) as T;
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = (k === "description" || k === "title") && isText(v) ? textIn(v, locale) : schemaIn(v, locale);
  }
  return out as T;
}

// ── words ────────────────────────────────────────────────────────────────────────────────────────
const TYPE_WORDS: Record<Locale, Record<string, string>> = {
  en: {
    object: "an object",
    array: "a list",
    string: "a text",
    number: "a number",
    integer: "a whole number",
    boolean: "true or false",
    null: "null",
  },
  "zh-CN": {
    object: "对象",
    array: "列表",
    string: "文本",
    number: "数字",
    integer: "整数",
    boolean: "true 或 false",
    null: "null",
  },
};

export function typeWordIn(type: unknown, locale: Locale): string {
  if (Array.isArray(type)) return type.map((t) => typeWordIn(t, locale)).join(locale === "en" ? " or " : " 或 ");
  return TYPE_WORDS[locale][String(type)] ?? String(type);
}

/** A value as diagnostics describe it, kept small: long texts cut, lists and objects by kind only. */
export type Found =
  | { kind: "nothing" | "null" | "list" | "object" }
  | { kind: "text"; text: string }
  | { kind: "number" | "other"; text: string };

export function foundOf(value: unknown): Found {
  if (value === undefined) return { kind: "nothing" };
  if (value === null) return { kind: "null" };
  if (Array.isArray(value)) return { kind: "list" };
  if (typeof value === "string") return { kind: "text", text: value.length > 40 ? `${value.slice(0, 40)}…` : value };
  if (typeof value === "object") return { kind: "object" };
  return { kind: typeof value === "number" ? "number" : "other", text: String(value) };
}

export function foundIn(found: Found, locale: Locale): string {
  const en = locale === "en";
  switch (found.kind) {
    case "nothing":
      return en ? "nothing" : "空（未填写）";
    case "null":
      return "null";
    case "list":
      return en ? "a list" : "一个列表";
    case "object":
      return en ? "an object" : "一个对象";
    case "text":
      return en ? `the text ${JSON.stringify(found.text)}` : `文本 ${JSON.stringify(found.text)}`;
    case "number":
      return en ? `the number ${found.text}` : `数字 ${found.text}`;
    default:
      return found.text;
  }
}

const hintIn = (hint: unknown, locale: Locale) =>
  typeof hint === "string" ? (locale === "en" ? ` Did you mean "${hint}"?` : `是否想写 "${hint}"？`) : "";

/** Whose params or value a schema error is about. */
export type Subject = { kind: "fact" | "factParams" | "operatorParams"; name: string };
const subjectIn = (s: Subject, locale: Locale) =>
  locale === "en"
    ? {
        fact: `Fact "${s.name}"`,
        factParams: `Params of fact "${s.name}"`,
        operatorParams: `Params of operator "${s.name}"`,
      }[s.kind]
    : { fact: `事实 "${s.name}"`, factParams: `事实 "${s.name}" 的参数`, operatorParams: `运算符 "${s.name}" 的参数` }[
        s.kind
      ];

/** JSON Schema keywords whose ajv message is English: a Chinese rendering from the keyword's params. */
function keywordZh(keyword: string, p: Record<string, any>): string {
  switch (keyword) {
    case "minLength":
      return `长度至少为 ${p.limit}`;
    case "maxLength":
      return `长度至多为 ${p.limit}`;
    case "pattern":
      return `须符合格式 ${p.pattern}`;
    case "minItems":
      return `至少 ${p.limit} 项`;
    case "maxItems":
      return `至多 ${p.limit} 项`;
    case "minProperties":
      return `至少 ${p.limit} 个属性`;
    case "maxProperties":
      return `至多 ${p.limit} 个属性`;
    case "const":
      return `须为 ${JSON.stringify(p.allowedValue)}`;
    case "multipleOf":
      return `须为 ${p.multipleOf} 的倍数`;
    case "additionalProperties":
      return `不能有属性 "${p.additionalProperty}"`;
    case "uniqueItems":
      return "各项不能重复";
    case "anyOf":
    case "oneOf":
      return "不符合任何一种允许的形式";
    default:
      return `不符合 JSON Schema 的 ${keyword} 要求`;
  }
}

// ── the table ────────────────────────────────────────────────────────────────────────────────────
type P = Record<string, any>;
type Render = (p: P) => string;
const t = (en: Render, zh: Render) => ({ en, "zh-CN": zh });

const MISSING_EN: Record<string, string> = {
  "leaf.fact": 'Condition is missing "fact": the name of the fact to test.',
  "leaf.operator": 'Condition is missing "operator": how to compare, e.g. "equal" or "greaterThan".',
  "leaf.value": 'Condition is missing "value": the value to compare the fact with.',
  "rule.conditions": 'Rule is missing "conditions": when the rule applies.',
  "rule.event": 'Rule is missing "event": what happens when the rule applies.',
  "event.type": 'Event is missing "type": the name of the action to run.',
  "testCase.name": 'Test case is missing "name".',
  "testCase.facts": 'Test case is missing "facts": the input to evaluate.',
  "testCase.expectEvents": 'Test case is missing "expectEvents": the events it should produce (use [] for none).',
  "root.facts": 'Rule set is missing "facts": the declared input facts (use {} for none).',
  "root.rules": 'Rule set is missing "rules" (use [] for none).',
};
const MISSING_ZH: Record<string, string> = {
  "leaf.fact": '条件缺少 "fact"：要检查的事实名称。',
  "leaf.operator": '条件缺少 "operator"：比较方式，例如 "equal" 或 "greaterThan"。',
  "leaf.value": '条件缺少 "value"：与事实比较的值。',
  "rule.conditions": '规则缺少 "conditions"：规则何时适用。',
  "rule.event": '规则缺少 "event"：规则适用时做什么。',
  "event.type": '事件缺少 "type"：要执行的动作名称。',
  "testCase.name": '测试用例缺少 "name"。',
  "testCase.facts": '测试用例缺少 "facts"：要评估的输入。',
  "testCase.expectEvents": '测试用例缺少 "expectEvents"：应产生的事件（没有则写 []）。',
  "root.facts": '规则集缺少 "facts"：声明的输入事实（没有则写 {}）。',
  "root.rules": '规则集缺少 "rules"（没有则写 []）。',
};
const missingIn = (p: P, locale: Locale) =>
  (locale === "en" ? MISSING_EN : MISSING_ZH)[`${p.context}.${p.prop}`] ??
  (locale === "en" ? `Missing "${p.prop}".` : `缺少 "${p.prop}"。`);

export const DIAGNOSTIC_MESSAGES = {
  NOT_AN_OBJECT: t(
    () => 'A rule set must be an object with "facts" and "rules".',
    () => '规则集必须是包含 "facts" 和 "rules" 的对象。',
  ),
  TOP_CONDITION: t(
    (p) =>
      `A rule's conditions must start with "all", "any", "not" or "condition" (a shared condition).` +
      (p.wrap ? ' Wrap this comparison in "all": [ … ].' : ""),
    (p) =>
      '规则的条件必须以 "all"、"any"、"not" 或 "condition"（共享条件）开头。' +
      (p.wrap ? '请把这个比较放进 "all": [ … ] 中。' : ""),
  ),
  MISSING: t(
    (p) => missingIn(p, "en"),
    (p) => missingIn(p, "zh-CN"),
  ),
  MISSING_TYPO: t(
    (p) => `Found "${p.found}" where "${p.prop}" was expected. ${MISSING_EN[`${p.context}.${p.prop}`] ?? ""}`.trim(),
    (p) => `此处应为 "${p.prop}"，却写了 "${p.found}"。${MISSING_ZH[`${p.context}.${p.prop}`] ?? ""}`,
  ),
  CONDITION_SHAPE: t(
    () =>
      'A condition must be exactly one of: a group ("all", "any" or "not"), ' +
      'a reference to a shared condition ("condition"), or a comparison ("fact", "operator", "value").',
    () =>
      '条件必须恰好是以下之一：分组（"all"、"any" 或 "not"）、共享条件引用（"condition"），' +
      '或比较（"fact"、"operator"、"value"）。',
  ),
  UNKNOWN_PROPERTY: t(
    (p) => `Unknown property "${p.prop}" here.`,
    (p) => `此处不认识属性 "${p.prop}"。`,
  ),
  GROUP_NOT_LIST: t(
    (p) => `"${p.group}" must be a list of conditions, not ${foundIn(p.found, "en")}.`,
    (p) => `"${p.group}" 必须是条件列表，而不是${foundIn(p.found, "zh-CN")}。`,
  ),
  PRIORITY: t(
    () => "Priority must be a whole number of 1 or more.",
    () => "优先级必须是不小于 1 的整数。",
  ),
  EXPECTED_CONDITION: t(
    (p) => `Expected a condition (an object such as { "fact", "operator", "value" }), found ${foundIn(p.found, "en")}.`,
    (p) => `此处应为条件（如 { "fact", "operator", "value" } 这样的对象），实际是${foundIn(p.found, "zh-CN")}。`,
  ),
  EXPECTED_TYPE: t(
    (p) => `Expected ${typeWordIn(p.type, "en")} here, found ${foundIn(p.found, "en")}.`,
    (p) => `此处应为${typeWordIn(p.type, "zh-CN")}，实际是${foundIn(p.found, "zh-CN")}。`,
  ),
  NOT_EMPTY: t(
    () => "This must not be empty.",
    () => "此处不能为空。",
  ),
  DATE_FORMAT: t(
    () => "The date must be written as YYYY-MM-DD.",
    () => "日期必须写成 YYYY-MM-DD。",
  ),
  NOT_ALLOWED: t(
    (p) => `"${p.value}" is not allowed here (${p.ajvMessage}).`,
    (p) => `此处不允许 "${p.value}"（须符合格式 ${p.pattern}）。`,
  ),
  BAD_NAME: t(
    (p) => `"${p.name}" is not a valid name: use letters, digits, "_" or "-", starting with a letter.`,
    (p) => `"${p.name}" 不是有效的名称：请用字母、数字、"_" 或 "-"，并以字母开头。`,
  ),
  SCHEMA_KEYWORD: t(
    (p) => p.ajvMessage ?? "Invalid value.",
    (p) => `取值无效：${keywordZh(p.keyword, p.params ?? {})}。`,
  ),
  UNKNOWN_FACT: t(
    (p) => `Unknown fact "${p.fact}": declare it under "facts" or use a built-in fact.${hintIn(p.hint, "en")}`,
    (p) => `未知的事实 "${p.fact}"：请在 "facts" 中声明，或使用内置事实。${hintIn(p.hint, "zh-CN")}`,
  ),
  BAD_PATH: t(
    (p) =>
      `Path "${p.path}" is not a valid JSONPath (${p.problem}); ` +
      "write e.g. $.address.city, $.children[0].birthDate or $.children[?(@.age < 3)].",
    (p) =>
      `路径 "${p.path}" 不是有效的 JSONPath（${p.problem}）；` +
      "可写作 $.address.city、$.children[0].birthDate 或 $.children[?(@.age < 3)]。",
  ),
  FACT_REF_NAME: t(
    () => 'A fact reference needs "fact": the name of the fact.',
    () => '事实引用需要 "fact"：事实的名称。',
  ),
  UNKNOWN_OPERATOR: t(
    (p) => `Unknown operator "${p.operator}".${hintIn(p.hint, "en")}`,
    (p) => `未知的运算符 "${p.operator}"。${hintIn(p.hint, "zh-CN")}`,
  ),
  OPERATOR_VALUE_TYPE: t(
    (p) =>
      `Operator "${p.operator}" needs ${typeWordIn(p.expected, "en")} as value, not ${typeWordIn(p.actual, "en")}.`,
    (p) =>
      `运算符 "${p.operator}" 的值须为${typeWordIn(p.expected, "zh-CN")}，而不是${typeWordIn(p.actual, "zh-CN")}。`,
  ),
  OPERATOR_FACT_TYPE: t(
    (p) =>
      `Operator "${p.operator}" expects ${typeWordIn(p.expected, "en")} but fact "${p.fact}" ` +
      `is declared as ${typeWordIn(p.declared, "en")}; the condition will be false.`,
    (p) =>
      `运算符 "${p.operator}" 需要${typeWordIn(p.expected, "zh-CN")}，但事实 "${p.fact}" ` +
      `声明为${typeWordIn(p.declared, "zh-CN")}；该条件将始终为假。`,
  ),
  EMPTY_GROUP: t(
    (p) => `An empty "${p.group}" is always true.`,
    (p) => `空的 "${p.group}" 始终为真。`,
  ),
  UNKNOWN_CONDITION: t(
    (p) => `There is no shared condition "${p.condition}".${hintIn(p.hint, "en")}`,
    (p) => `没有名为 "${p.condition}" 的共享条件。${hintIn(p.hint, "zh-CN")}`,
  ),
  PATH_TEXT: t(
    () => "A path must be a non-empty text.",
    () => "路径必须是非空文本。",
  ),
  FACT_PARAMS_OBJECT: t(
    () => "Fact params must be an object.",
    () => "事实参数必须是对象。",
  ),
  CONDITION_CYCLE: t(
    (p) => `Shared conditions refer to each other in a circle: ${(p.cycle as string[]).join(" → ")}.`,
    (p) => `共享条件之间循环引用：${(p.cycle as string[]).join(" → ")}。`,
  ),
  INVALID_SCHEMA: t(
    (p) => `The schema of fact "${p.fact}" is not a valid JSON Schema: ${p.problem}`,
    (p) => `事实 "${p.fact}" 的 schema 不是有效的 JSON Schema（${p.problem}）。`,
  ),
  SHADOWED_FACT: t(
    (p) =>
      `Fact "${p.fact}" is also computed by plugin "${p.plugin}"; a value given as input replaces the computed one.`,
    (p) => `事实 "${p.fact}" 也由插件 "${p.plugin}" 计算；输入中给出的值会取代计算出的值。`,
  ),
  DUPLICATE_RULE_NAME: t(
    (p) => `Rule name "${p.name}" is already used by rule ${p.other}; rule names must be unique.`,
    (p) => `规则名称 "${p.name}" 已被规则 ${p.other} 使用；规则名称不能重复。`,
  ),
  NO_ACTION: t(
    (p) =>
      `No action handles event "${p.type}": the rule can fire, but nothing will be done with it.` +
      hintIn(p.hint, "en"),
    (p) => `没有动作处理事件 "${p.type}"：规则可以触发，但不会产生任何操作。${hintIn(p.hint, "zh-CN")}`,
  ),
  DUPLICATE_TEST_NAME: t(
    (p) => `Test case name "${p.name}" is used twice.`,
    (p) => `测试用例名称 "${p.name}" 重复使用。`,
  ),
  UNKNOWN_RULE: t(
    (p) => `There is no rule "${p.rule}" (unnamed rules are written #0, #1, …).${hintIn(p.hint, "en")}`,
    (p) => `没有规则 "${p.rule}"（未命名的规则写作 #0、#1……）。${hintIn(p.hint, "zh-CN")}`,
  ),
  LIMIT_RULES: t(
    (p) => `The rule set has ${p.count} rules; the maximum is ${p.max}. Split it into several rule sets.`,
    (p) => `规则集有 ${p.count} 条规则，上限为 ${p.max}。请拆分为多个规则集。`,
  ),
  LIMIT_DEPTH: t(
    (p) =>
      `This rule's conditions are nested ${p.depth === null ? "too" : `${p.depth} levels`} deep; ` +
      `the maximum is ${p.max} levels (shared conditions count where they are used). Simplify the rule or split it.`,
    (p) =>
      `此规则的条件嵌套${p.depth === null ? "过深" : ` ${p.depth} 层`}；` +
      `上限为 ${p.max} 层（共享条件在使用处计入）。请简化或拆分该规则。`,
  ),
  LIMIT_SHARED_DEPTH: t(
    (p) => `Shared condition "${p.name}" is nested more than ${p.max} levels deep. Simplify it.`,
    (p) => `共享条件 "${p.name}" 嵌套超过 ${p.max} 层。请简化。`,
  ),
  LIMIT_CONDITIONS: t(
    (p) =>
      `The rules contain ${p.count} conditions in all (shared conditions count each time they are used); ` +
      `the maximum is ${p.max}. Split the rule set.`,
    (p) => `规则共含 ${p.count} 个条件（共享条件每次使用都计入），上限为 ${p.max}。请拆分规则集。`,
  ),
  SCHEMA_TYPE: t(
    (p) => `${where(p, "en")} must be ${typeWordIn(p.type, "en")}, not ${foundIn(p.found, "en")}.`,
    (p) => `${where(p, "zh-CN")}必须是${typeWordIn(p.type, "zh-CN")}，而不是${foundIn(p.found, "zh-CN")}。`,
  ),
  SCHEMA_FORMAT: t(
    (p) =>
      `${where(p, "en")} must be ` +
      `${p.format === "date" ? "a date written as YYYY-MM-DD" : `in "${p.format}" format`}, ` +
      `not ${foundIn(p.found, "en")}.`,
    (p) =>
      `${where(p, "zh-CN")}必须是${p.format === "date" ? "写成 YYYY-MM-DD 的日期" : ` "${p.format}" 格式`}，` +
      `而不是${foundIn(p.found, "zh-CN")}。`,
  ),
  SCHEMA_REQUIRED: t(
    (p) => `${where(p, "en")} is missing "${p.prop}".`,
    (p) => `${where(p, "zh-CN")}缺少 "${p.prop}"。`,
  ),
  SCHEMA_ENUM: t(
    (p) =>
      `${where(p, "en")} must be one of ${(p.allowed as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, ` +
      `not ${foundIn(p.found, "en")}.`,
    (p) =>
      `${where(p, "zh-CN")}必须是 ${(p.allowed as unknown[]).map((v) => JSON.stringify(v)).join("、")} 之一，` +
      `而不是${foundIn(p.found, "zh-CN")}。`,
  ),
  SCHEMA_COMPARE: t(
    (p) => `${where(p, "en")} must be ${p.comparison} ${p.limit}, not ${foundIn(p.found, "en")}.`,
    (p) => `${where(p, "zh-CN")}必须 ${p.comparison} ${p.limit}，而不是${foundIn(p.found, "zh-CN")}。`,
  ),
  SCHEMA_OTHER: t(
    (p) => `${where(p, "en")} ${p.ajvMessage ?? "is invalid"}.`,
    (p) => `${where(p, "zh-CN")}${keywordZh(p.keyword, p.params ?? {})}。`,
  ),
} satisfies Record<string, { en: Render; "zh-CN": Render }>;

function where(p: P, locale: Locale): string {
  const subject = subjectIn(p.subject as Subject, locale);
  if (!p.at) return subject;
  return locale === "en" ? `${subject} at ${p.at}` : `${subject}在 ${p.at} 处`;
}

export type MessageKey = keyof typeof DIAGNOSTIC_MESSAGES;

/** A diagnostic with its English message and the key and params to render it in another language. */
export function diagnostic(pointer: string, code: string, key: MessageKey, params: P = {}): Diagnostic {
  return { pointer, code, message: DIAGNOSTIC_MESSAGES[key].en(params), i18n: { key, params } };
}

/** The diagnostic as an answer in a locale: `{ pointer, code, message }`. */
export function diagnosticIn(d: Diagnostic, locale: Locale): Diagnostic {
  const entry = d.i18n ? DIAGNOSTIC_MESSAGES[d.i18n.key as MessageKey] : undefined;
  return { pointer: d.pointer, code: d.code, message: entry ? entry[locale](d.i18n!.params) : d.message };
}
