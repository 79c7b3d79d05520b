/**
 * A checked report spec becomes one parameterised SQL statement built with knex: the dataset's FROM clause,
 * `tenant_id = ?` first, the filters as bound comparisons, GROUP BY the dimensions (with GROUPING SETS for
 * the totals row, so totals come from the same statement), the measures as aggregates, ORDER BY and LIMIT.
 * Every expression comes from the dataset declarations; the spec contributes only keys and bound values.
 */
import type { Knex } from "knex";
import { cityName } from "../../domain/cities";
import { ENUMS } from "../../domain/enums";
import { INSURANCES } from "../../domain/index";
import { type FieldDef, type FieldType, fromClause } from "./datasets";
import type { Condition, ResolvedDimension, ResolvedMeasure, ResolvedSpec, Scalar } from "./spec";

export type Lang = "zh" | "en";
export interface Column {
  key: string;
  label: string;
  type: FieldType;
  /** Dimension or measure. */
  role: "dimension" | "measure";
  /** For enum columns: value → label in the reader's language. */
  labels?: Record<string, string>;
}
export interface CompiledReport {
  query: Knex.QueryBuilder;
  columns: Column[];
  /** The column flagging the totals row (GROUPING SETS), when there is one. */
  totalFlag?: string;
}

export const TOTAL_FLAG = "__ordo_total";

const BUCKET_LABEL: Record<string, Record<Lang, string>> = {
  month: { zh: "（月）", en: " (month)" },
  quarter: { zh: "（季度）", en: " (quarter)" },
  year: { zh: "（年）", en: " (year)" },
  baseYear: { zh: "（基数年度）", en: " (base year)" },
};
const FN_LABEL: Record<string, Record<Lang, string>> = {
  count: { zh: "记录数", en: "Count" },
  countDistinct: { zh: "去重计数", en: "Distinct count" },
  sum: { zh: "合计", en: "Sum of" },
  avg: { zh: "平均", en: "Average" },
  min: { zh: "最小", en: "Minimum" },
  max: { zh: "最大", en: "Maximum" },
};

/** The SQL of a dimension: the field, a time bucket of it, dates as text (no time-zone shift in drivers). */
export function dimensionSql(d: ResolvedDimension): string {
  const sql = d.field.sql;
  if (!d.bucket) return d.field.type === "date" ? `to_char(${sql}, 'YYYY-MM-DD')` : sql;
  const date = d.field.type === "month" ? `to_date(${sql} || '-01', 'YYYY-MM-DD')` : sql;
  switch (d.bucket) {
    case "month":
      return `to_char(${date}, 'YYYY-MM')`;
    case "quarter":
      return `to_char(${date}, 'YYYY"-Q"Q')`;
    case "year":
      return `to_char(${date}, 'YYYY')`;
    case "baseYear":
      // A base year runs July to June and is named by the year it starts in (2025 = 2025-07 … 2026-06).
      return `to_char(${date} - interval '6 months', 'YYYY')`;
  }
}

export function measureType(m: ResolvedMeasure): FieldType {
  if (m.fn === "count" || m.fn === "countDistinct") return "integer";
  if (m.fn === "avg" && m.field!.type === "integer") return "number";
  return m.field!.type;
}

export function measureSql(m: ResolvedMeasure): string {
  const f = m.field;
  switch (m.fn) {
    case "count":
      return f ? `count(${f.sql})::bigint` : "count(*)::bigint";
    case "countDistinct":
      return `count(DISTINCT ${f!.sql})::bigint`;
    case "sum":
      return `sum(${f!.sql})`;
    case "avg":
      return `round(avg(${f!.sql}), ${f!.type === "money" ? 2 : 4})`;
    default: {
      const agg = `${m.fn}(${f!.sql})`;
      return f!.type === "date" ? `to_char(${agg}, 'YYYY-MM-DD')` : agg;
    }
  }
}

const CAST: Partial<Record<FieldType, string>> = {
  number: "::numeric",
  integer: "::numeric",
  money: "::numeric",
  date: "::date",
  boolean: "::boolean",
};

/** The fields a condition names. */
export function factsOf(c: Condition): string[] {
  if ("all" in c) return c.all.flatMap(factsOf);
  if ("any" in c) return c.any.flatMap(factsOf);
  if ("not" in c) return factsOf(c.not);
  return [c.fact];
}

/** Compiles a condition to a SQL fragment with `?` bindings. */
export function conditionSql(
  c: Condition,
  fields: Map<string, FieldDef>,
  params: Record<string, Scalar>,
): { sql: string; bindings: Knex.Value[] } {
  const bindings: Knex.Value[] = [];
  const walk = (x: Condition): string => {
    if ("all" in x) return x.all.length ? `(${x.all.map(walk).join(" AND ")})` : "TRUE";
    if ("any" in x) return x.any.length ? `(${x.any.map(walk).join(" OR ")})` : "FALSE";
    if ("not" in x) return `(NOT ${walk(x.not)})`;
    const f = fields.get(x.fact)!;
    const cast = CAST[f.type] ?? "";
    const bind = (v: Scalar) => {
      bindings.push(typeof v === "number" ? String(v) : v);
      return `?${cast}`;
    };
    const raw = x.value;
    const value: Scalar | Scalar[] =
      raw !== null && typeof raw === "object" && !Array.isArray(raw) ? params[raw.param]! : raw;
    const e = f.sql;
    switch (x.operator) {
      case "equal":
        return value === null ? `(${e} IS NULL)` : `(${e} = ${bind(value as Scalar)})`;
      case "notEqual":
        return value === null ? `(${e} IS NOT NULL)` : `(${e} IS DISTINCT FROM ${bind(value as Scalar)})`;
      case "lessThan":
        return `(${e} < ${bind(value as Scalar)})`;
      case "lessThanInclusive":
        return `(${e} <= ${bind(value as Scalar)})`;
      case "greaterThan":
        return `(${e} > ${bind(value as Scalar)})`;
      case "greaterThanInclusive":
        return `(${e} >= ${bind(value as Scalar)})`;
      case "in": {
        const list = value as Scalar[];
        return list.length ? `(${e} IN (${list.map(bind).join(", ")}))` : "FALSE";
      }
      case "notIn": {
        const list = value as Scalar[];
        return list.length ? `(${e} IS NULL OR ${e} NOT IN (${list.map(bind).join(", ")}))` : "TRUE";
      }
      case "contains":
        bindings.push(String(value));
        return `(position(? in ${e}) > 0)`;
      case "doesNotContain":
        bindings.push(String(value));
        return `(${e} IS NULL OR position(? in ${e}) = 0)`;
    }
  };
  const sql = walk(c);
  return { sql, bindings };
}

export function enumLabels(f: FieldDef, lang: Lang): Record<string, string> | undefined {
  if (f.type !== "enum" || !f.enum) return undefined;
  const items = f.enum === "insurance" ? INSURANCES : ENUMS[f.enum];
  return Object.fromEntries(items.map((i) => [i.code, i[lang]]));
}

/** " (quarter)" after a bucketed field's label; a month field bucketed by month is just the month. */
const bucketSuffix = (d: ResolvedDimension, lang: Lang) =>
  d.bucket && !(d.bucket === "month" && d.field.type === "month") ? BUCKET_LABEL[d.bucket]![lang] : "";

export function columnsOf(r: ResolvedSpec, lang: Lang): Column[] {
  const dims: Column[] = r.dimensions.map((d) => ({
    key: d.key,
    label: d.label?.[lang] ?? `${d.field.label[lang]}${bucketSuffix(d, lang)}`,
    type: d.bucket === "month" ? "month" : d.bucket ? "text" : d.field.type,
    role: "dimension",
    ...(enumLabels(d.field, lang) && !d.bucket ? { labels: enumLabels(d.field, lang) } : {}),
  }));
  const measures: Column[] = r.measures.map((m) => ({
    key: m.key,
    label:
      m.label?.[lang] ??
      (m.field ? `${FN_LABEL[m.fn]![lang]}${lang === "en" ? " " : ""}${m.field.label[lang]}` : FN_LABEL.count![lang]),
    type: measureType(m),
    role: "measure",
  }));
  return [...dims, ...measures];
}

/** Whether a run of this spec has a totals row (measures grouped by at least one dimension). */
export const hasTotals = (r: ResolvedSpec) =>
  r.spec.totals !== false && r.dimensions.length > 0 && r.measures.length > 0;

/**
 * The statement for a checked spec. `limit` caps the data rows (the totals row, sorted first, comes on top
 * of it).
 */
export function compileReport(
  db: Knex,
  tenantId: string,
  r: ResolvedSpec,
  params: Record<string, Scalar>,
  lang: Lang,
  limit?: number,
): CompiledReport {
  const { dataset } = r;
  const used = [
    ...r.dimensions.map((d) => d.field),
    ...r.measures.flatMap((m) => (m.field ? [m.field] : [])),
    ...(r.spec.filters ? factsOf(r.spec.filters).map((k) => r.fields.get(k)!) : []),
  ];
  const q = db
    .queryBuilder()
    .from(db.raw(fromClause(dataset, used)))
    .whereRaw(`${dataset.alias}.tenant_id = ?`, [tenantId]);
  if (r.spec.filters) {
    const c = conditionSql(r.spec.filters, r.fields, params);
    q.andWhereRaw(c.sql, c.bindings);
  }
  const dimSql = r.dimensions.map(dimensionSql);
  const totals = hasTotals(r);
  q.select([
    ...r.dimensions.map((d, i) => db.raw(`${dimSql[i]} AS "${d.key}"`)),
    ...r.measures.map((m) => db.raw(`${measureSql(m)} AS "${m.key}"`)),
    ...(totals ? [db.raw(`GROUPING(${dimSql[0]}) AS "${TOTAL_FLAG}"`)] : []),
  ]);
  if (dimSql.length) {
    if (totals) q.groupByRaw(`GROUPING SETS ((${dimSql.join(", ")}), ())`);
    else if (r.measures.length || dimSql.length) q.groupByRaw(dimSql.join(", "));
  }
  if (totals) q.orderByRaw(`GROUPING(${dimSql[0]}) DESC`);
  const sort = r.spec.sort?.length
    ? r.spec.sort.map((s) => `"${s.key}" ${s.order === "desc" ? "DESC" : "ASC"} NULLS LAST`)
    : r.dimensions.map((d) => `"${d.key}" ASC NULLS LAST`);
  for (const s of sort) q.orderByRaw(s);
  const cap =
    r.spec.limit !== undefined && limit !== undefined ? Math.min(r.spec.limit, limit) : (r.spec.limit ?? limit);
  if (cap !== undefined) q.limit(cap + (totals ? 1 : 0));
  return { query: q, columns: columnsOf(r, lang), totalFlag: totals ? TOTAL_FLAG : undefined };
}

/** A cell as text for a spreadsheet or CSV in the reader's language (labels for codes, cities by name). */
export function displayCell(col: Column, value: unknown, lang: Lang): string {
  if (value === null || value === undefined) return "";
  if (col.labels) return col.labels[String(value)] ?? String(value);
  if (col.type === "city") return cityName(String(value), lang === "zh" ? "zh-CN" : "en");
  if (col.type === "boolean") return value ? (lang === "zh" ? "是" : "Yes") : lang === "zh" ? "否" : "No";
  return String(value);
}
