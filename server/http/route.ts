/** Declares a route once: Express handler, body validation and OpenAPI entry from the same schema. */
import type { Request, Response, Router } from "express";
import type { Role } from "../auth/service";
import type { ApiDoc } from "./openapi";
import { requireRole } from "./context";
import { validateBody } from "./validate";

export interface RouteDef<B = unknown> {
  method: "get" | "post" | "put" | "delete";
  /** Path under /api, Express syntax (`/rule-sets/:key`). */
  path: string;
  summary: string;
  tags?: string[];
  body?: object;
  /** Documents a non-JSON body (e.g. text/csv) that the handler parses itself. */
  rawBody?: { type: string; schema: object };
  query?: Record<string, object>;
  responses?: Record<string, object>;
  /** Roles allowed; omitted: any authenticated user. */
  roles?: Role[];
  public?: boolean;
  handler: (req: Request, res: Response, body: B) => unknown | Promise<unknown>;
}

export function mount<B>(router: Router, doc: ApiDoc, def: RouteDef<B>): void {
  doc.add(def.method, `/api${def.path}`, {
    summary: def.summary,
    tags: def.tags,
    requestBody: def.body ?? def.rawBody?.schema,
    requestType: def.rawBody?.type,
    query: def.query,
    responses: def.responses,
    public: def.public,
  });
  router[def.method](def.path, async (req: Request, res: Response) => {
    if (def.roles) requireRole(req, ...def.roles);
    const body = def.body ? validateBody<B>(def.body, req.body ?? {}) : (req.body as B);
    const out = await def.handler(req, res, body);
    if (out !== undefined && !res.headersSent) res.json(out);
  });
}
