/**
 * Declares a route once: Express handler, validation of path parameters, query string and body, and the
 * OpenAPI entry, all from the same JSON Schemas (compiled once, at mount).
 */
import type { Request, Response, Router } from "express";
import type { Role } from "../auth/service";
import type { ApiDoc } from "./openapi";
import { requireRole } from "./context";
import { guardText, paramsValidator, queryValidator, validateBody } from "./validate";
import { auditRequest } from "../audit/request";

/** What a handler reads besides the body: the validated (and coerced) path parameters and query. */
export interface RouteInput<Q = Record<string, any>, P = Record<string, any>> {
  query: Q;
  params: P;
}

/** A path parameter nobody declared: bounded text (Express has already percent-decoded it). */
const DEFAULT_PARAM = { type: "string", minLength: 1, maxLength: 200 };

export interface RouteDef<B = unknown, Q = Record<string, any>, P = Record<string, any>> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Path under /api, Express syntax (`/rule-sets/:key`). */
  path: string;
  summary: string;
  tags?: string[];
  body?: object;
  /** Documents a non-JSON body (e.g. text/csv) that the handler parses itself. */
  rawBody?: { type: string; schema: object };
  /** Query parameters by name, each a JSON Schema (`jsonParam(…)` for JSON-valued ones); unknown ones are ignored. */
  query?: Record<string, object>;
  /** Path parameters by name; undeclared ones are bounded strings. */
  params?: Record<string, object>;
  responses?: Record<string, object>;
  /** Roles allowed; omitted: any authenticated user. */
  roles?: Role[];
  public?: boolean;
  /** false: a POST that writes nothing (a calculation, a dry run), so the audit safety net skips it. */
  audit?: false;
  handler: (req: Request, res: Response, body: B, input: RouteInput<Q, P>) => unknown | Promise<unknown>;
}

export function pathParams(path: string, declared: Record<string, object> = {}): Record<string, object> {
  return Object.fromEntries([...path.matchAll(/:([A-Za-z]+)/g)].map((m) => [m[1]!, declared[m[1]!] ?? DEFAULT_PARAM]));
}

export function mount<B, Q = Record<string, any>, P = Record<string, any>>(
  router: Router,
  doc: ApiDoc,
  def: RouteDef<B, Q, P>,
): void {
  const params = pathParams(def.path, def.params);
  doc.add(def.method, `/api${def.path}`, {
    summary: def.summary,
    tags: def.tags,
    requestBody: def.body ?? def.rawBody?.schema,
    requestType: def.rawBody?.type,
    params,
    query: def.query,
    responses: def.responses,
    public: def.public,
  });
  const checkParams = paramsValidator(params);
  const checkQuery = queryValidator(def.query ?? {});
  router[def.method](def.path, async (req: Request, res: Response) => {
    // A raw text body (a CSV file) is checked by its own parser, which names the line and column.
    if (req.body !== undefined && !(def.rawBody && typeof req.body === "string")) guardText(req.body, "body");
    if (def.roles) requireRole(req, ...def.roles);
    const input = {
      params: checkParams(req.params as Record<string, unknown>) as P,
      query: checkQuery(req.query as Record<string, unknown>) as Q,
    };
    const body = def.body ? validateBody<B>(def.body, req.body ?? {}) : (req.body as B);
    // Writes inside the handler are audited with the caller's identity; a write route that appended
    // no entry itself gets one from the safety net (see server/audit/request.ts).
    const out = await auditRequest(req, res, def, input.params as Record<string, unknown>, body, () =>
      def.handler(req, res, body, input),
    );
    if (out !== undefined && !res.headersSent) res.json(out);
  });
}
