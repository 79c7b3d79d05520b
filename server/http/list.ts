/** simple-rest list helpers for resources that are not entities (rule sets, versions, policy tables). */
import type { Response } from "express";
import { badRequest } from "../errors";

export interface SimpleListQuery {
  sort: [string, "ASC" | "DESC"];
  range: [number, number];
  filter: Record<string, unknown>;
}

const parse = (raw: unknown, name: string) => {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch {
    throw badRequest("INVALID_QUERY", `Query parameter "${name}" is not valid JSON`, { parameter: name });
  }
};

export function listQuery(query: Record<string, unknown>, defaultSort: [string, "ASC" | "DESC"]): SimpleListQuery {
  const sort = parse(query.sort, "sort") ?? defaultSort;
  const range = parse(query.range, "range") ?? [0, 99];
  const filter = parse(query.filter, "filter") ?? {};
  if (!Array.isArray(sort) || typeof sort[0] !== "string" || !/^(ASC|DESC)$/i.test(String(sort[1]))) {
    throw badRequest("INVALID_QUERY", 'sort must be ["field","ASC"|"DESC"]', { parameter: "sort" });
  }
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every((n) => Number.isInteger(n) && n >= 0) ||
    range[1] < range[0] ||
    range[1] - range[0] >= 1000
  ) {
    throw badRequest("INVALID_QUERY", "range must be [start, end] covering at most 1000 records", {
      parameter: "range",
    });
  }
  if (typeof filter !== "object" || filter === null || Array.isArray(filter))
    throw badRequest("INVALID_QUERY", "filter must be a JSON object", { parameter: "filter" });
  return { sort: [sort[0], String(sort[1]).toUpperCase() as "ASC" | "DESC"], range: range as [number, number], filter };
}

export function setContentRange(res: Response, resource: string, start: number, count: number, total: number) {
  res.setHeader("Content-Range", `${resource} ${start}-${start + Math.max(count, 1) - 1}/${total}`);
  res.setHeader("Access-Control-Expose-Headers", "Content-Range");
}
