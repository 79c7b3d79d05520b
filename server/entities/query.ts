/**
 * react-admin ra-data-simple-rest list queries: sort=["f","ASC"], range=[0,24], filter={…}.
 * Only declared fields are sorted or filtered on; anything else is a 400, never SQL.
 */
import type { Knex } from "knex";
import { badRequest } from "../errors";
import type { ResolvedEntity, ResolvedField } from "./fields";

export interface ListQuery {
  sort: [string, "ASC" | "DESC"];
  range: [number, number];
  filter: Record<string, unknown>;
}

export const MAX_PAGE = 1000;
const SUFFIXES = ["_gte", "_lte", "_gt", "_lt", "_neq"] as const;
const OPS: Record<string, string> = { _gte: ">=", _lte: "<=", _gt: ">", _lt: "<", _neq: "<>" };

function parseJson(raw: unknown, param: string): unknown {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string")
    throw badRequest("INVALID_QUERY", `Query parameter "${param}" must be JSON`, { parameter: param });
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest("INVALID_QUERY", `Query parameter "${param}" is not valid JSON`, { parameter: param });
  }
}

export function parseListQuery(query: Record<string, unknown>, entity: ResolvedEntity): ListQuery {
  const sortRaw = parseJson(query.sort, "sort") ?? entity.decl.defaultSort;
  if (
    !Array.isArray(sortRaw) ||
    sortRaw.length !== 2 ||
    typeof sortRaw[0] !== "string" ||
    !/^(ASC|DESC)$/i.test(String(sortRaw[1]))
  ) {
    throw badRequest("INVALID_QUERY", 'sort must be ["field","ASC"|"DESC"]', { parameter: "sort" });
  }
  const sortField = entity.fields.get(sortRaw[0]);
  if (!sortField || !(sortField.sortable || sortField.name === "id")) {
    throw badRequest("INVALID_SORT", `Cannot sort ${entity.decl.name} by "${sortRaw[0]}"`, {
      parameter: "sort",
      field: sortRaw[0],
    });
  }
  const rangeRaw = parseJson(query.range, "range") ?? [0, 24];
  if (
    !Array.isArray(rangeRaw) ||
    rangeRaw.length !== 2 ||
    !rangeRaw.every((n) => Number.isInteger(n) && n >= 0) ||
    rangeRaw[1] < rangeRaw[0]
  ) {
    throw badRequest("INVALID_QUERY", "range must be [start, end] with 0 <= start <= end", { parameter: "range" });
  }
  if (rangeRaw[1] - rangeRaw[0] + 1 > MAX_PAGE) {
    throw badRequest("INVALID_QUERY", `range may cover at most ${MAX_PAGE} records`, { parameter: "range" });
  }
  const filter = parseJson(query.filter, "filter") ?? {};
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw badRequest("INVALID_QUERY", "filter must be a JSON object", { parameter: "filter" });
  }
  return {
    sort: [sortField.name, String(sortRaw[1]).toUpperCase() as "ASC" | "DESC"],
    range: rangeRaw as [number, number],
    filter: filter as Record<string, unknown>,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d{1,15}(\.\d+)?$/;

/** Checks a filter value against the field's kind, so the database never sees a malformed literal. */
export function checkValue(field: ResolvedField, value: unknown, key: string): string | boolean | null {
  const bad = (what: string) =>
    badRequest(
      "INVALID_FILTER",
      `filter.${key} must be ${what}`,
      { parameter: "filter", field: key },
      { [field.name]: `must be ${what}` },
    );
  if (value === null) return null;
  switch (field.kind) {
    case "uuid":
      if (typeof value !== "string" || !UUID.test(value)) throw bad("an id");
      return value;
    case "date":
      if (typeof value !== "string" || !DATE.test(value) || Number.isNaN(Date.parse(value)))
        throw bad("a date YYYY-MM-DD");
      return value;
    case "datetime":
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw bad("a date-time");
      return value;
    case "number":
    case "integer":
    case "decimal":
      if (!(typeof value === "number" && Number.isFinite(value)) && !(typeof value === "string" && DECIMAL.test(value)))
        throw bad("a number");
      return String(value);
    case "boolean":
      if (typeof value !== "boolean") throw bad("true or false");
      return value;
    case "string":
      if (typeof value !== "string" && typeof value !== "number") throw bad("text");
      return String(value);
    default:
      throw bad("a filterable value");
  }
}

export function applyFilter(
  qb: Knex.QueryBuilder,
  entity: ResolvedEntity,
  filter: Record<string, unknown>,
  searchColumn: string | null,
) {
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === "q") {
      if (typeof value !== "string")
        throw badRequest("INVALID_FILTER", "filter.q must be text", { parameter: "filter", field: "q" });
      const term = value.trim().toLowerCase();
      if (!term) continue;
      if (!searchColumn)
        throw badRequest("INVALID_FILTER", `${entity.decl.name} has no text search`, {
          parameter: "filter",
          field: "q",
        });
      const escaped = term.replace(/[\\%_]/g, (c) => `\\${c}`);
      // Trigram indexes need three characters; shorter terms (a Chinese surname, say) match a name prefix.
      qb.whereRaw(`"${searchColumn}" LIKE ?`, [[...term].length < 3 ? `${escaped}%` : `%${escaped}%`]);
      continue;
    }
    const suffix = SUFFIXES.find((s) => key.endsWith(s) && entity.fields.has(key.slice(0, -s.length)));
    const name = suffix ? key.slice(0, -suffix.length) : key;
    const field = entity.fields.get(name);
    if (!field || !(field.filterable || name === "id")) {
      throw badRequest("INVALID_FILTER", `Cannot filter ${entity.decl.name} by "${key}"`, {
        parameter: "filter",
        field: key,
      });
    }
    if (suffix) {
      if (Array.isArray(value))
        throw badRequest("INVALID_FILTER", `filter.${key} takes one value`, { parameter: "filter", field: key });
      const v = checkValue(field, value, key);
      if (v === null) qb.whereRaw(`${field.sql} IS ${suffix === "_neq" ? "NOT " : ""}NULL`);
      else if (suffix === "_neq") qb.whereRaw(`(${field.sql} <> ? OR ${field.sql} IS NULL)`, [v]);
      else qb.whereRaw(`${field.sql} ${OPS[suffix]} ?`, [v]);
    } else if (Array.isArray(value)) {
      if (value.length === 0) {
        qb.whereRaw("false");
        continue;
      }
      const values = value.map((v, i) => checkValue(field, v, `${key}[${i}]`));
      qb.whereRaw(`${field.sql} IN (${values.map(() => "?").join(",")})`, values as Knex.Value[]);
    } else {
      const v = checkValue(field, value, key);
      if (v === null) qb.whereRaw(`${field.sql} IS NULL`);
      else if (field.custom)
        qb.whereRaw(`"custom" @> ?::jsonb`, [
          JSON.stringify({ [field.name]: typeof value === "string" || typeof value === "boolean" ? value : Number(v) }),
        ]);
      else qb.whereRaw(`${field.sql} = ?`, [v]);
    }
  }
}
