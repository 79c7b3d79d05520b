/** Packs (rules/packs/<pack>/pack.json): list, assets, adopt, drift, upgrade (dry run or apply). */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { keyParams } from "../http/document-schemas";
import { setContentRange } from "../http/list";
import { PackService } from "../packs/service";

const upgradeSchema = {
  type: "object",
  additionalProperties: false,
  required: ["dryRun"],
  properties: {
    dryRun: { type: "boolean", description: "true: preview only, nothing is written" },
    assets: {
      type: "array",
      maxItems: 200,
      uniqueItems: true,
      description: 'Assets to take, as "kind/key" (default: what the pack changed and the tenant did not)',
      items: {
        type: "string",
        pattern:
          "^((rule-set|reminder-template|policy-table|report)/[a-z0-9][a-z0-9-]{0,62}|" +
          "custom-field/[a-z][a-z0-9-]{0,62}\\.[a-z][a-zA-Z0-9]{0,62})$",
      },
    },
  },
};
const adoptSchema = { type: "object", additionalProperties: false, properties: {} };

export function packRoutes(ctx: AppContext, service = new PackService(ctx)): Router {
  const r = Router();
  const tenant = (req: Request) => actorOf(req).tenant.id;
  const key = (req: Request) => String(req.params.key);
  const tags = ["packs"];
  const READ = ["consultant", "hr_admin"] as const;

  mount(r, ctx.doc, {
    method: "get",
    path: "/packs",
    summary: "Packs with their latest version and, for this tenant, the adopted version and drift",
    tags,
    roles: [...READ],
    handler: async (_req, res) => {
      const data = await service.list(ctx.db, tenant(_req));
      setContentRange(res, "packs", 0, data.length, data.length);
      return data;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/packs/:key",
    params: keyParams,
    summary: "A pack with its assets (content and status in this tenant)",
    tags,
    roles: [...READ],
    handler: (req) => service.get(ctx.db, tenant(req), key(req)),
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/packs/:key/drift",
    params: keyParams,
    summary: "Per asset: unchanged, modified locally, upstream changed or missing, with diffs",
    tags,
    roles: [...READ],
    handler: (req) => service.driftReport(ctx.db, tenant(req), key(req)),
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/packs/:key/adopt",
    params: keyParams,
    summary: "Adopt the pack's latest version: its assets are published in this tenant (test cases run first)",
    tags,
    roles: ["consultant"],
    body: adoptSchema,
    handler: async (req, res) => {
      const out = await service.adopt(ctx.db, tenant(req), key(req), actorOf(req).user);
      if (out.adjustmentJobs.length) ctx.jobs.wake();
      ctx.logger.info({ tenant: actorOf(req).tenant.slug, pack: key(req), version: out.version }, "pack adopted");
      res.status(201);
      return out;
    },
  });
  mount<{ dryRun: boolean; assets?: string[] }>(r, ctx.doc, {
    method: "post",
    path: "/packs/:key/upgrade",
    params: keyParams,
    summary: "Upgrade to the pack's latest version: diff and test results; writes only when dryRun is false",
    tags,
    roles: ["consultant"],
    body: upgradeSchema,
    handler: async (req, _res, body) => {
      const out = await service.upgrade(ctx.db, tenant(req), key(req), body, actorOf(req).user);
      if ((out as { adjustmentJobs?: string[] }).adjustmentJobs?.length) ctx.jobs.wake();
      if (!body.dryRun)
        ctx.logger.info({ tenant: actorOf(req).tenant.slug, pack: key(req), version: out.to }, "pack upgraded");
      return out;
    },
  });
  return r;
}
