import type { Knex } from "knex";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { AuthUser, Role, TenantRef } from "../auth/service";
import type { EntityRegistry } from "../entities/registry";
import type { ApiDoc } from "./openapi";
import type { Request } from "express";
import type { RuleSetService } from "../rule-sets/service";
import type { Queue } from "../jobs/queue";
import { fail } from "../errors";

/** What every service receives: the database (or a transaction), a logger and the app's registries. */
export interface AppContext {
  config: Config;
  db: Knex;
  dbKind: "pglite" | "postgres";
  logger: Logger;
  entities: EntityRegistry;
  rules: RuleSetService;
  jobs: Queue;
  doc: ApiDoc;
  tokenSecret(): Promise<string>;
}

/** Who is asking, in which tenant. */
export interface Actor {
  user: AuthUser;
  tenant: TenantRef;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      actor?: Actor;
    }
  }
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw fail("UNAUTHORIZED");
  return req.actor;
}

export function requireRole(req: Request, ...roles: Role[]): Actor {
  const actor = actorOf(req);
  if (!roles.includes(actor.user.role))
    throw fail(
      "ROLE_FORBIDDEN",
      { roles: roles.join(" or ") },
      { message: `This needs the role ${roles.join(" or ")}` },
    );
  return actor;
}
