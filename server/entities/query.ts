/**
 * react-admin ra-data-simple-rest list queries: sort=["f","ASC"], range=[0,24], filter={…}.
 * Only declared fields are sorted or filtered on; anything else is a 400, never SQL.
 */
import type { Knex } from "knex";
import { fail } from "../errors";
import { isDate, isDateTime, isInt4, isUuid, MAX_YEAR, MIN_YEAR } from "../http/formats";
import { listQuery, MAX_PAGE } from "../http/list";
import type { ResolvedEntity, ResolvedField } from "./fields";

export interface ListQuery {
  sort: [string, "ASC" | "DESC"];
  range: [number, number];
  filter: Record<string, unknown>;
}

export { MAX_PAGE };
const SUFFIXES = ["_gte", "_lte", "_gt", "_lt", "_neq"] as const;
const OPS: Record<string, string> = { _gte: ">=", _lte: "<=", _gt: ">", _lt: "<", _neq: "<>" };
const MAX_SEARCH = 200;

/**
 * The entity list query from the validated simple-rest parameters (see http/list.ts): sorting only by a
 * declared sortable field, looked up in the field Map (so `constructor` or `__proto__` are just unknown).
 */
export function parseListQuery(query: Record<string, unknown>, entity: ResolvedEntity): ListQuery {
  const q = listQuery(query, entity.decl.defaultSort, [0, 24]);
  const sortField = entity.fields.get(q.sort[0]);
  if (!sortField || !(sortField.sortable || sortField.name === "id")) {
    throw fail(
      "INVALID_SORT",
      { resource: entity.decl.name, field: q.sort[0] },
      { details: { parameter: "sort", field: q.sort[0] } },
    );
  }
  return { ...q, sort: [sortField.name, q.sort[1]] };
}

/** A number to compare with: bounded digits, so the literal is always a valid numeric. */
const NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;

/** Checks a filter value against the field's kind, so the database never sees a malformed literal. */
export function checkValue(field: ResolvedField, value: unknown, key: string): string | boolean | null {
  const bad = (what: string) =>
    fail(
      "INVALID_FILTER",
      { field: key, problem: `must be ${what}` },
      { details: { parameter: "filter", field: key }, errors: { [field.name]: `must be ${what}` } },
    );
  if (value === null) return null;
  switch (field.kind) {
    case "uuid":
      if (!isUuid(value)) throw bad("an id (UUID)");
      return value;
    case "date":
      if (!isDate(value)) throw bad(`a calendar date YYYY-MM-DD between ${MIN_YEAR} and ${MAX_YEAR}`);
      return value;
    case "datetime":
      if (!isDateTime(value) && !isDate(value)) throw bad("a date-time such as 2024-03-01T08:00:00Z");
      return value;
    case "integer": {
      const n = typeof value === "string" && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
      if (!isInt4(n)) throw bad("a whole number within ±2147483647");
      return String(n);
    }
    case "number":
    case "decimal":
      if (typeof value === "number" && Number.isFinite(value) && Math.abs(value) < 1e15) return String(value);
      if (typeof value === "string" && NUMBER.test(value)) return value;
      throw bad("a number with at most 15 digits before the point");
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
      if (typeof value !== "string" || value.length > MAX_SEARCH)
        throw fail(
          "INVALID_FILTER",
          { field: "q", problem: `must be text of at most ${MAX_SEARCH} characters` },
          { details: { parameter: "filter", field: "q" } },
        );
      const term = value.trim().toLowerCase();
      if (!term) continue;
      if (!searchColumn)
        throw fail(
          "INVALID_FILTER",
          { field: "q", problem: `${entity.decl.name} has no text search` },
          { details: { parameter: "filter", field: "q" } },
        );
      const escaped = term.replace(/[\\%_]/g, (c) => `\\${c}`);
      // Trigram indexes need three characters; shorter terms (a Chinese surname, say) match a name prefix.
      qb.whereRaw(`"${searchColumn}" LIKE ?`, [[...term].length < 3 ? `${escaped}%` : `%${escaped}%`]);
      continue;
    }
    const suffix = SUFFIXES.find((s) => key.endsWith(s) && entity.fields.has(key.slice(0, -s.length)));
    const name = suffix ? key.slice(0, -suffix.length) : key;
    const field = entity.fields.get(name);
    if (!field || !(field.filterable || name === "id")) {
      throw fail(
        "INVALID_FILTER",
        { field: key, problem: `is not a filter of ${entity.decl.name}` },
        { message: `Cannot filter ${entity.decl.name} by "${key}"`, details: { parameter: "filter", field: key } },
      );
    }
    if (suffix) {
      if (Array.isArray(value))
        throw fail(
          "INVALID_FILTER",
          { field: key, problem: "takes one value" },
          { details: { parameter: "filter", field: key } },
        );
      const v = checkValue(field, value, key);
      if (v === null) qb.whereRaw(`${field.sql} IS ${suffix === "_neq" ? "NOT " : ""}NULL`);
      else if (suffix === "_neq") qb.whereRaw(`(${field.sql} <> ? OR ${field.sql} IS NULL)`, [v]);
      else qb.whereRaw(`${field.sql} ${OPS[suffix]} ?`, [v]);
    } else if (Array.isArray(value)) {
      if (value.length > MAX_PAGE)
        throw fail(
          "INVALID_FILTER",
          { field: key, problem: `takes at most ${MAX_PAGE} values` },
          { details: { parameter: "filter", field: key } },
        );
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
