/**
 * Report specs: the JSON a consultant saves (dataset, filters in json-rules-engine's condition format,
 * dimensions with time buckets, measures, sort, limit, typed parameters, chart), its JSON Schema, and the
 * checks against the dataset's fields that the schema cannot make. Every problem names its JSON pointer,
 * in zh-CN and en.
 */
import { isCalendarDate, isMonth } from "../../domain/index";
import { CITY_PATTERN } from "../../domain/cities";
import { ENUMS } from "../../domain/enums";
import { INSURANCE_CODES } from "../../domain/index";
import { type DatasetDef, type FieldDef, type FieldType, NUMERIC, ORDERED, TEMPORAL, DATASET_KEYS } from "./datasets";

export const BUCKETS = ["month", "quarter", "year", "baseYear"] as const;
export type Bucket = (typeof BUCKETS)[number];
export const MEASURE_FNS = ["count", "countDistinct", "sum", "avg", "min", "max"] as const;
export type MeasureFn = (typeof MEASURE_FNS)[number];
export const CHARTS = ["table", "bar", "stackedBar", "line", "pie"] as const;
export const PARAM_TYPES = ["text", "city", "number", "integer", "money", "date", "month", "boolean"] as const;
export type ParamType = (typeof PARAM_TYPES)[number];
export const OPERATORS = [
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
] as const;
export type Operator = (typeof OPERATORS)[number];
/** Largest `limit` a spec may set; a run without one answers at most RUN_ROWS rows (exports stream all). */
export const MAX_LIMIT = 1_000_000;
export const RUN_ROWS = 10_000;

export interface LocalLabel {
  en?: string;
  zh?: string;
}
export type ParamRef = { param: string };
export type Scalar = string | number | boolean | null;
export interface Leaf {
  fact: string;
  operator: Operator;
  value: Scalar | Scalar[] | ParamRef;
}
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Leaf;
export interface DimensionSpec {
  field: string;
  bucket?: Bucket;
  key?: string;
  label?: LocalLabel;
}
export interface MeasureSpec {
  fn: MeasureFn;
  field?: string;
  key?: string;
  label?: LocalLabel;
}
export interface ParamSpec {
  type: ParamType;
  default?: Scalar;
  label?: LocalLabel;
}
export interface ReportSpec {
  dataset: string;
  filters?: Condition;
  dimensions?: DimensionSpec[];
  measures?: MeasureSpec[];
  sort?: { key: string; order?: "asc" | "desc" }[];
  limit?: number;
  params?: Record<string, ParamSpec>;
  chart?: { type: (typeof CHARTS)[number]; x?: string; y?: string[]; series?: string };
  totals?: boolean;
  pinned?: boolean;
}

const KEY_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,62}$";
const FIELD_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,62}(\\.[a-z][a-zA-Z0-9]{0,62})?$";
const LABEL = {
  type: "object",
  additionalProperties: false,
  properties: { en: { type: "string", maxLength: 200 }, zh: { type: "string", maxLength: 200 } },
};
const SCALAR = { type: ["string", "number", "boolean", "null"], maxLength: 500 };
const PARAM_REF = {
  type: "object",
  additionalProperties: false,
  required: ["param"],
  properties: { param: { type: "string", pattern: KEY_PATTERN } },
};

/** The JSON Schema of a spec (structure only; fields, types and parameters are checked by `checkSpec`). */
export const reportSpecSchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset"],
  definitions: {
    condition: {
      type: "object",
      maxProperties: 3,
      anyOf: [
        {
          required: ["all"],
          properties: { all: { type: "array", maxItems: 100, items: { $ref: "#/definitions/condition" } } },
        },
        {
          required: ["any"],
          properties: { any: { type: "array", maxItems: 100, items: { $ref: "#/definitions/condition" } } },
        },
        { required: ["not"], properties: { not: { $ref: "#/definitions/condition" } } },
        {
          required: ["fact", "operator", "value"],
          properties: {
            fact: { type: "string", pattern: FIELD_PATTERN },
            operator: { enum: [...OPERATORS] },
            value: { anyOf: [SCALAR, { type: "array", maxItems: 1000, items: SCALAR }, PARAM_REF] },
          },
        },
      ],
    },
  },
  properties: {
    dataset: { enum: DATASET_KEYS },
    filters: { $ref: "#/definitions/condition" },
    dimensions: {
      type: "array",
      maxItems: 10,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["field"],
        properties: {
          field: { type: "string", pattern: FIELD_PATTERN },
          bucket: { enum: [...BUCKETS] },
          key: { type: "string", pattern: KEY_PATTERN },
          label: LABEL,
        },
      },
    },
    measures: {
      type: "array",
      maxItems: 20,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["fn"],
        properties: {
          fn: { enum: [...MEASURE_FNS] },
          field: { type: "string", pattern: FIELD_PATTERN },
          key: { type: "string", pattern: KEY_PATTERN },
          label: LABEL,
        },
      },
    },
    sort: {
      type: "array",
      maxItems: 10,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["key"],
        properties: { key: { type: "string", pattern: KEY_PATTERN }, order: { enum: ["asc", "desc"] } },
      },
    },
    limit: { type: "integer", minimum: 1, maximum: MAX_LIMIT },
    params: {
      type: "object",
      maxProperties: 20,
      propertyNames: { pattern: KEY_PATTERN },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["type"],
        properties: { type: { enum: [...PARAM_TYPES] }, default: SCALAR, label: LABEL },
      },
    },
    chart: {
      type: "object",
      additionalProperties: false,
      required: ["type"],
      properties: {
        type: { enum: [...CHARTS] },
        x: { type: "string", pattern: KEY_PATTERN },
        y: { type: "array", maxItems: 20, items: { type: "string", pattern: KEY_PATTERN } },
        series: { type: "string", pattern: KEY_PATTERN },
      },
    },
    totals: { type: "boolean" },
    pinned: { type: "boolean", description: "shown on the dashboard as a widget" },
  },
} as const;

/** One problem with a spec or its parameters, in both languages. */
export interface SpecProblem {
  pointer: string;
  en: string;
  zh: string;
}

export class SpecError extends Error {
  constructor(readonly problems: SpecProblem[]) {
    super(`${problems[0]!.pointer} ${problems[0]!.en}`);
  }
}

type Kind = "text" | "numeric" | "date" | "month" | "boolean";
const KIND: Record<FieldType | ParamType, Kind> = {
  text: "text",
  enum: "text",
  city: "text",
  number: "numeric",
  integer: "numeric",
  money: "numeric",
  date: "date",
  month: "month",
  boolean: "boolean",
};
const KIND_LABEL: Record<Kind, [string, string]> = {
  text: ["text", "文本"],
  numeric: ["a number", "数字"],
  date: ["a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"],
  month: ["a month (YYYY-MM)", "月份（YYYY-MM）"],
  boolean: ["true or false", "是/否（true 或 false）"],
};
const NUMBER = /^-?\d{1,12}(\.\d{1,6})?$/;
const CITY = new RegExp(CITY_PATTERN);

/** Enum codes of a field (undefined: any text). */
export function enumCodes(field: FieldDef): readonly string[] | undefined {
  if (field.type === "city") return undefined;
  if (field.enum === undefined) return undefined;
  if (field.enum === "insurance") return INSURANCE_CODES;
  return ENUMS[field.enum].map((i) => i.code);
}

/** Checks one value against a type; answers the problem or undefined. Numbers come back as decimal text. */
export function valueProblem(type: FieldType | ParamType, value: unknown): [string, string] | undefined {
  const kind = KIND[type];
  const want = (): [string, string] => [`must be ${KIND_LABEL[kind][0]}`, `必须是${KIND_LABEL[kind][1]}`];
  switch (kind) {
    case "numeric":
      if (typeof value === "number") return Number.isFinite(value) && NUMBER.test(String(value)) ? undefined : want();
      if (typeof value === "string") return NUMBER.test(value) ? undefined : want();
      return want();
    case "date":
      return isCalendarDate(value) ? undefined : want();
    case "month":
      return isMonth(value) ? undefined : want();
    case "boolean":
      return typeof value === "boolean" ? undefined : want();
    default:
      if (typeof value !== "string") return want();
      if (type === "city" && !CITY.test(value)) return ["must be a 6-digit city code", "必须是 6 位城市代码"];
      return undefined;
  }
}

export interface ResolvedDimension {
  key: string;
  field: FieldDef;
  bucket?: Bucket;
  label?: LocalLabel;
}
export interface ResolvedMeasure {
  key: string;
  fn: MeasureFn;
  field?: FieldDef;
  label?: LocalLabel;
}
export interface ResolvedSpec {
  spec: ReportSpec;
  dataset: DatasetDef;
  fields: Map<string, FieldDef>;
  dimensions: ResolvedDimension[];
  measures: ResolvedMeasure[];
}

const customKey = (field: string) => field.replace(/\./g, "_");

/**
 * Checks a structurally valid spec against its dataset's fields (including the tenant's custom fields):
 * unknown fields, buckets on non-temporal fields, measures on non-numeric fields, values and parameters
 * of the wrong type, sort and chart keys that name nothing. Throws SpecError with every problem.
 */
export function checkSpec(spec: ReportSpec, dataset: DatasetDef, fields: Map<string, FieldDef>): ResolvedSpec {
  const problems: SpecProblem[] = [];
  const add = (pointer: string, [en, zh]: [string, string]) => problems.push({ pointer, en, zh });
  const field = (name: string, pointer: string): FieldDef | undefined => {
    const found = fields.get(name);
    if (!found) add(pointer, [`names no field of ${dataset.key}: "${name}"`, `数据集中没有字段“${name}”`]);
    return found;
  };
  const keys = new Set<string>();
  const claim = (key: string, pointer: string) => {
    if (keys.has(key)) add(pointer, [`"${key}" is used twice`, `“${key}”重复使用`]);
    keys.add(key);
  };

  const params = spec.params ?? {};
  for (const [name, p] of Object.entries(params)) {
    if (p.default !== undefined && p.default !== null) {
      const problem = valueProblem(p.type, p.default);
      if (problem) add(`/params/${name}/default`, problem);
    }
  }

  const dimensions: ResolvedDimension[] = [];
  (spec.dimensions ?? []).forEach((d, i) => {
    const f = field(d.field, `/dimensions/${i}/field`);
    if (!f) return;
    if (d.bucket && !TEMPORAL.has(f.type))
      add(`/dimensions/${i}/bucket`, [
        `a time bucket needs a date or month field; "${d.field}" is ${f.type}`,
        `时间分组只适用于日期或月份字段，“${d.field}”不是`,
      ]);
    const key = d.key ?? (d.bucket ? `${customKey(d.field)}_${d.bucket}` : customKey(d.field));
    claim(key, `/dimensions/${i}/key`);
    dimensions.push({ key, field: f, bucket: d.bucket, label: d.label });
  });

  const measures: ResolvedMeasure[] = [];
  (spec.measures ?? []).forEach((m, i) => {
    let f: FieldDef | undefined;
    if (m.field === undefined) {
      if (m.fn !== "count") add(`/measures/${i}/field`, [`${m.fn} needs a field`, `${m.fn} 需要指定字段`]);
    } else {
      f = field(m.field, `/measures/${i}/field`);
      if (f && (m.fn === "sum" || m.fn === "avg") && !NUMERIC.has(f.type))
        add(`/measures/${i}/field`, [
          `${m.fn} needs a numeric field; "${m.field}" is ${f.type}`,
          `${m.fn === "sum" ? "求和" : "平均"}只适用于数值字段，“${m.field}”不是数值`,
        ]);
      if (f && (m.fn === "min" || m.fn === "max") && !ORDERED.has(f.type))
        add(`/measures/${i}/field`, [
          `${m.fn} needs a number, date or month field; "${m.field}" is ${f.type}`,
          `${m.fn === "min" ? "最小值" : "最大值"}只适用于数值、日期或月份字段`,
        ]);
    }
    const key = m.key ?? `${m.fn}_${m.field ? customKey(m.field) : "rows"}`;
    claim(key, `/measures/${i}/key`);
    measures.push({ key, fn: m.fn, field: f, label: m.label });
  });
  if (!dimensions.length && !measures.length && !problems.length)
    add("/measures", ["a report needs at least one dimension or measure", "报表至少需要一个维度或指标"]);

  const checkCondition = (c: Condition, pointer: string): void => {
    if ("all" in c || "any" in c) {
      const [op, list] = "all" in c ? ["all", c.all] : ["any", c.any];
      for (const [i, x] of list.entries()) checkCondition(x, `${pointer}/${op}/${i}`);
      return;
    }
    if ("not" in c) {
      checkCondition(c.not, `${pointer}/not`);
      return;
    }
    const f = field(c.fact, `${pointer}/fact`);
    if (!f) return;
    const list = c.operator === "in" || c.operator === "notIn";
    if ((c.operator === "contains" || c.operator === "doesNotContain") && KIND[f.type] !== "text")
      add(`${pointer}/operator`, [`${c.operator} applies to text fields only`, "“包含”只适用于文本字段"]);
    const v = c.value;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const p = params[v.param];
      if (!p) add(`${pointer}/value/param`, [`names no parameter: "${v.param}"`, `没有参数“${v.param}”`]);
      else if (list) add(`${pointer}/value`, [`${c.operator} needs a list of values`, "该运算符需要一组值"]);
      else if (KIND[p.type] !== KIND[f.type])
        add(`${pointer}/value/param`, [
          `parameter "${v.param}" is ${p.type} but "${c.fact}" is ${f.type}`,
          `参数“${v.param}”的类型与字段“${c.fact}”不符`,
        ]);
      return;
    }
    if (list !== Array.isArray(v)) {
      add(
        `${pointer}/value`,
        list
          ? [`${c.operator} needs a list of values`, "该运算符需要一组值"]
          : ["must be a single value", "必须是单个值"],
      );
      return;
    }
    const values = Array.isArray(v) ? v : [v];
    values.forEach((x, j) => {
      const at = Array.isArray(v) ? `${pointer}/value/${j}` : `${pointer}/value`;
      if (x === null) {
        if (list || (c.operator !== "equal" && c.operator !== "notEqual"))
          add(at, ["null can only be compared with equal or notEqual", "空值只能用“等于/不等于”比较"]);
        return;
      }
      const problem = valueProblem(f.type, x);
      if (problem) {
        add(at, problem);
        return;
      }
      const codes = enumCodes(f);
      if (codes && !codes.includes(String(x)))
        add(at, [`"${x}" is not a value of ${c.fact} (${codes.join(", ")})`, `“${x}”不是字段“${c.fact}”的可选值`]);
    });
  };
  if (spec.filters) checkCondition(spec.filters, "/filters");

  (spec.sort ?? []).forEach((s, i) => {
    if (!keys.has(s.key))
      add(`/sort/${i}/key`, [`names no dimension or measure: "${s.key}"`, `没有名为“${s.key}”的维度或指标`]);
  });
  const dimKeys = new Set(dimensions.map((d) => d.key));
  const measureKeys = new Set(measures.map((m) => m.key));
  const chart = spec.chart;
  if (chart && chart.type !== "table") {
    if (chart.x !== undefined && !dimKeys.has(chart.x))
      add("/chart/x", [`names no dimension: "${chart.x}"`, `没有名为“${chart.x}”的维度`]);
    if (chart.series !== undefined && !dimKeys.has(chart.series))
      add("/chart/series", [`names no dimension: "${chart.series}"`, `没有名为“${chart.series}”的维度`]);
    (chart.y ?? []).forEach((y, i) => {
      if (!measureKeys.has(y)) add(`/chart/y/${i}`, [`names no measure: "${y}"`, `没有名为“${y}”的指标`]);
    });
    if (!measures.length) add("/chart/type", ["a chart needs at least one measure", "图表至少需要一个指标"]);
  }
  if (problems.length) throw new SpecError(problems);
  return { spec, dataset, fields, dimensions, measures };
}

/**
 * The parameter values of a run: declared ones only, each of its type, defaults filled in. Numbers come
 * back as decimal text (bound as numeric).
 */
export function resolveParams(spec: ReportSpec, given: Record<string, unknown>): Record<string, Scalar> {
  const problems: SpecProblem[] = [];
  const declared = spec.params ?? {};
  const out: Record<string, Scalar> = {};
  for (const name of Object.keys(given))
    if (!declared[name])
      problems.push({ pointer: `/params/${name}`, en: "is not a parameter of this report", zh: "不是本报表的参数" });
  for (const [name, p] of Object.entries(declared)) {
    const value = given[name] ?? p.default;
    if (value === undefined || value === null) {
      problems.push({ pointer: `/params/${name}`, en: "is required", zh: "必须填写" });
      continue;
    }
    const problem = valueProblem(p.type, value);
    if (problem) problems.push({ pointer: `/params/${name}`, en: problem[0], zh: problem[1] });
    else out[name] = typeof value === "number" ? String(value) : (value as Scalar);
  }
  if (problems.length) throw new SpecError(problems);
  return out;
}
