/**
 * The audit log, read-only over HTTP (simple-rest list, one entry with its decision, the chain check).
 * There is deliberately no route that changes or deletes an entry.
 */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { listParams, listQuery, setContentRange } from "../http/list";
import { AUDIT_SORT, getAudit, listAudit, verifyAudit } from "../audit/service";

const READERS = ["consultant", "hr_admin"] as const;
const tags = ["audit"];
const TEXT = { type: "string", maxLength: 200 };
const FILTER = {
  type: "object",
  additionalProperties: false,
  properties: {
    userId: { ...TEXT, description: "who wrote (user id)" },
    resource: { ...TEXT, description: "e.g. employees, rule-set, policy-table, channels" },
    resourceId: { ...TEXT, description: "the record's id (a document's key)" },
    recordId: { ...TEXT, description: "alias of resourceId" },
    operation: TEXT,
    decisionId: TEXT,
    from: { ...TEXT, description: "on or after this time (ISO 8601)" },
    to: { ...TEXT, description: "on or before this time (ISO 8601)" },
    id: { type: "array", maxItems: 1000, items: TEXT },
  },
  example: { resource: "employees" },
};

const tenantOf = (req: Request) => actorOf(req).tenant.id;

export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  mount(r, ctx.doc, {
    method: "get",
    path: "/audit",
    summary: "Audit entries of the tenant, newest first (simple-rest; filters by user, resource, id, time)",
    tags,
    roles: [...READERS],
    query: listParams({ sortFields: ["id", ...AUDIT_SORT], filter: FILTER }),
    handler: async (req, res) => {
      const q = listQuery(req.query, ["seq", "DESC"], [0, 24]);
      const { data, total } = await listAudit(ctx.db, tenantOf(req), q);
      setContentRange(res, "audit", q.range[0], data.length, total);
      return data;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/audit/verify",
    summary: "Checks the tenant's hash chain: ok, or the first broken link (its id, seq and why)",
    tags,
    roles: [...READERS],
    handler: (req) => verifyAudit(ctx.db, tenantOf(req)),
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/audit/:id",
    summary: "One audit entry; a lifecycle operation's or monthly run's with its decision (rule set, facts, trace)",
    tags,
    roles: [...READERS],
    params: { id: { type: "string", minLength: 1, maxLength: 100, description: "entry id (UUID)" } },
    handler: (req, _res, _body, { params }) => getAudit(ctx.db, tenantOf(req), params.id),
  });
  return r;
}
