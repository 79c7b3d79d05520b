import { Router, type Request, type Response } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { fail } from "../errors";
import { login, publicUser, type AuthUser } from "../auth/service";
import { changePassword, logout, setDisabled } from "../auth/sessions";
import { clientAddress } from "../auth/throttle";
import type { TokenPayload } from "../auth/tokens";

const loginSchema = {
  type: "object",
  additionalProperties: false,
  required: ["email", "password"],
  properties: {
    email: { type: "string", minLength: 3, maxLength: 320 },
    password: { type: "string", minLength: 1, maxLength: 1000 },
  },
};

const passwordSchema = {
  type: "object",
  additionalProperties: false,
  required: ["currentPassword", "newPassword"],
  properties: {
    currentPassword: { type: "string", minLength: 1, maxLength: 1000 },
    newPassword: { type: "string", minLength: 8, maxLength: 1000 },
  },
};

/** The verified token and its user (the auth hook in app.ts puts them there). */
function tokenOf(res: Response): TokenPayload {
  const token = res.locals.token as TokenPayload | undefined;
  if (!token) throw fail("UNAUTHORIZED");
  return token;
}
function userOf(res: Response): AuthUser {
  const user = res.locals.user as AuthUser | undefined;
  if (!user) throw fail("UNAUTHORIZED");
  return user;
}

const addressOf = (req: Request) => clientAddress(req.ip);

/** POST /api/auth/login is public; the rest need a token. */
export function publicAuthRoutes(ctx: AppContext): Router {
  const r = Router();
  mount<{ email: string; password: string }>(r, ctx.doc, {
    method: "post",
    path: "/auth/login",
    summary: "Log in: answers {token, user}; 429 with Retry-After after repeated failures",
    tags: ["auth"],
    body: loginSchema,
    public: true,
    handler: async (req, _res, body) =>
      login(ctx.db, await ctx.tokenSecret(), ctx.config.tokenTtlSeconds, body.email, body.password, addressOf(req)),
  });
  return r;
}

/** Routes that need a token but no tenant: logging out and changing the password. */
export function sessionRoutes(ctx: AppContext): Router {
  const r = Router();
  mount(r, ctx.doc, {
    method: "post",
    path: "/auth/logout",
    summary: "Revokes the presented token",
    tags: ["auth"],
    handler: async (_req, res) => {
      await logout(ctx.db, tokenOf(res));
      res.status(204).end();
    },
  });
  mount<{ currentPassword: string; newPassword: string }>(r, ctx.doc, {
    method: "post",
    path: "/auth/password",
    summary: "Changes the password and revokes every older token: answers a new {token, user}",
    tags: ["auth"],
    body: passwordSchema,
    handler: async (req, res, body) =>
      changePassword(ctx.db, await ctx.tokenSecret(), ctx.config.tokenTtlSeconds, userOf(res), addressOf(req), body),
  });
  return r;
}

export function authRoutes(ctx: AppContext): Router {
  const r = Router();
  mount(r, ctx.doc, {
    method: "get",
    path: "/auth/me",
    summary: "The current user and tenant",
    tags: ["auth"],
    handler: (req) => ({
      ...publicUser(actorOf(req).user),
      tenant: { slug: actorOf(req).tenant.slug, name: actorOf(req).tenant.name },
    }),
  });
  for (const action of ["disable", "enable"] as const) {
    mount(r, ctx.doc, {
      method: "post",
      path: `/users/:id/${action}`,
      summary:
        action === "disable"
          ? "Disables a user of the tenant: they cannot log in and their tokens are refused"
          : "Enables a disabled user of the tenant again",
      tags: ["auth"],
      roles: ["consultant"],
      handler: (req) => setDisabled(ctx.db, actorOf(req), String(req.params.id), action === "disable"),
    });
  }
  mount(r, ctx.doc, {
    method: "get",
    path: "/tenants",
    summary: "The current user's tenants",
    tags: ["auth"],
    handler: (req) => actorOf(req).user.tenants.map(({ slug, name }) => ({ id: slug, slug, name })),
  });
  return r;
}
