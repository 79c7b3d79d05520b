/**
 * The HTTP side of the audit log: every route handler runs in an audit scope naming the caller, and a
 * successful write request (POST, PUT, PATCH, DELETE) whose handler appended no entry through a storage
 * layer gets one here, naming the route, its parameters and the (masked, bounded) body. So a new write
 * route is audited without remembering to be; its own entries (with before / after) are better still.
 */
import type { Request, Response } from "express";
import type { Knex } from "knex";
import { audit } from "./log";
import { runAudited, type AuditScope } from "./scope";
import { pickTenant, type AuthUser, type TenantRef } from "../auth/service";

const BODY_LIMIT = 8192;

function bodySummary(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return { bodyBytes: Buffer.byteLength(body) };
  const text = JSON.stringify(body);
  if (text.length <= BODY_LIMIT) return body;
  return { bodyBytes: text.length, keys: typeof body === "object" ? Object.keys(body as object).slice(0, 50) : [] };
}

/**
 * Routes that need a token but no tenant (a password change) are recorded in the tenant the request
 * names, or else in every tenant of the user: the change affects all of them.
 */
function sessionActor(req: Request, res: Response): { user: AuthUser; tenants: TenantRef[] } | undefined {
  const user = res.locals.user as AuthUser | undefined;
  if (!user?.tenants.length) return undefined;
  const slug = req.headers["x-tenant"];
  try {
    return { user, tenants: [pickTenant(user, typeof slug === "string" && slug ? slug : undefined)] };
  } catch {
    return { user, tenants: user.tenants };
  }
}

export async function auditRequest<T>(
  req: Request,
  res: Response,
  def: { method: string; path: string; audit?: false },
  params: Record<string, unknown>,
  body: unknown,
  handler: () => T | Promise<T>,
): Promise<T> {
  const actor = req.actor ? { user: req.actor.user, tenants: [req.actor.tenant] } : sessionActor(req, res);
  if (!actor) return handler();
  const scope: AuditScope = {
    userId: actor.user.id,
    userEmail: actor.user.email,
    role: actor.user.role,
    tenantId: actor.tenants[0]!.id,
    requestId: typeof req.id === "string" || typeof req.id === "number" ? String(req.id) : null,
    written: 0,
  };
  return runAudited(scope, async () => {
    const out = await handler();
    const db = (req.app as unknown as { context?: { db: Knex } }).context?.db;
    if (def.method !== "get" && def.audit !== false && scope.written === 0 && res.statusCode < 400 && db) {
      const values = Object.values(params);
      for (const tenant of actor.tenants)
        await audit(db, tenant.id, {
          resource: def.path.split("/")[1] || def.path,
          resourceId: values.length ? String(values[0]) : null,
          operation: `${def.method.toUpperCase()} ${def.path}`,
          after: { params, body: bodySummary(body) },
        });
    }
    return out;
  });
}
