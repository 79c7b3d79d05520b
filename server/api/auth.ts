import { Router } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { login, publicUser } from "../auth/service";

const loginSchema = {
  type: "object",
  additionalProperties: false,
  required: ["email", "password"],
  properties: {
    email: { type: "string", minLength: 3, maxLength: 320 },
    password: { type: "string", minLength: 1, maxLength: 1000 },
  },
};

/** POST /api/auth/login is public; the rest need a token. */
export function publicAuthRoutes(ctx: AppContext): Router {
  const r = Router();
  mount<{ email: string; password: string }>(r, ctx.doc, {
    method: "post",
    path: "/auth/login",
    summary: "Log in: answers {token, user}",
    tags: ["auth"],
    body: loginSchema,
    public: true,
    handler: async (_req, _res, body) =>
      login(ctx.db, await ctx.tokenSecret(), ctx.config.tokenTtlSeconds, body.email, body.password),
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
  mount(r, ctx.doc, {
    method: "get",
    path: "/tenants",
    summary: "The current user's tenants",
    tags: ["auth"],
    handler: (req) => actorOf(req).user.tenants.map(({ slug, name }) => ({ id: slug, slug, name })),
  });
  return r;
}
