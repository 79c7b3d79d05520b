/**
 * The one parser of react-admin's ra-data-simple-rest list parameters: sort=["f","ASC"], range=[0,24],
 * filter={…}. Routes declare `listParams()` so the middleware parses and validates them at the boundary;
 * `listQuery` adds the defaults and the checks that span parameters (end ≥ start, page size).
 */
import type { Response } from "express";
import { fail } from "../errors";
import { INT4_MAX } from "./formats";
import { jsonParam, queryValidator } from "./validate";

export interface SimpleListQuery {
  sort: [string, "ASC" | "DESC"];
  range: [number, number];
  filter: Record<string, unknown>;
}

export const MAX_PAGE = 1000;
/** Offsets beyond int4 make no sense for any Ordo list and overflow Postgres' bigint near 2^63. */
export const MAX_OFFSET = INT4_MAX;

/** The declarations of sort, range and filter; `sortFields` narrows sort to known names. */
export function listParams(opts: { sortFields?: readonly string[]; filter?: object } = {}) {
  return {
    sort: jsonParam({
      type: "array",
      minItems: 2,
      maxItems: 2,
      items: [
        opts.sortFields ? { type: "string", enum: [...opts.sortFields] } : { type: "string", maxLength: 100 },
        { type: "string", enum: ["ASC", "DESC", "asc", "desc"] },
      ],
      example: ["name", "ASC"],
    }),
    range: jsonParam({
      type: "array",
      minItems: 2,
      maxItems: 2,
      items: { type: "integer", minimum: 0, maximum: MAX_OFFSET },
      example: [0, 24],
    }),
    filter: jsonParam(opts.filter ?? { type: "object", maxProperties: 100, example: {} }),
  };
}

const parseRaw = queryValidator(listParams());

/**
 * Defaults and cross-parameter checks. `query` is either the validated route input or a raw
 * `req.query` (then parsed and validated here by the same schemas).
 */
export function listQuery(
  query: Record<string, unknown>,
  defaultSort: [string, "ASC" | "DESC"],
  defaultRange: [number, number] = [0, 99],
): SimpleListQuery {
  const q = [query.sort, query.range, query.filter].some((v) => typeof v === "string") ? parseRaw(query) : query;
  const sort = (q.sort as [string, string] | undefined) ?? defaultSort;
  const range = (q.range as [number, number] | undefined) ?? defaultRange;
  if (range[1] < range[0]) throw fail("INVALID_QUERY", { parameter: "range", problem: "end must not be before start" });
  if (range[1] - range[0] + 1 > MAX_PAGE)
    throw fail("INVALID_QUERY", { parameter: "range", problem: `may cover at most ${MAX_PAGE} records` });
  return {
    sort: [sort[0], sort[1].toUpperCase() as "ASC" | "DESC"],
    range,
    filter: (q.filter as Record<string, unknown> | undefined) ?? {},
  };
}

export function setContentRange(res: Response, resource: string, start: number, count: number, total: number) {
  res.setHeader("Content-Range", `${resource} ${start}-${start + Math.max(count, 1) - 1}/${total}`);
  res.setHeader("Access-Control-Expose-Headers", "Content-Range");
}
