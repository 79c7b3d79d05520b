/** Configuration bundles: export, diff against the tenant, import (dry run with shadow evaluation, or apply). */
import { Router, type Request } from "express";
import { actorOf, type AppContext } from "../http/context";
import { DATE } from "../http/document-schemas";
import { mount } from "../http/route";
import { type Bundle, currentAssets, exportBundle } from "../config-bundle/bundle";
import { diffAssets } from "../config-bundle/diff";
import { BundleImporter, type ImportInput } from "../config-bundle/apply";
import { fail } from "../errors";

const MAX_ASSETS = 5000;
const text = (max: number) => ({ type: "string", maxLength: max });
const docAsset = {
  type: "object",
  additionalProperties: false,
  required: ["key", "name", "effectiveFrom", "content"],
  properties: {
    key: { type: "string", minLength: 1, maxLength: 63 },
    name: { type: "string", minLength: 1, maxLength: 200 },
    description: { type: ["string", "null"], maxLength: 2000 },
    industry: { type: ["string", "null"], maxLength: 50 },
    effectiveFrom: DATE,
    content: { type: "object" },
    source: { type: "object" },
  },
};
const list = (items: object) => ({ type: "array", maxItems: MAX_ASSETS, items });
const assets = {
  type: "object",
  additionalProperties: false,
  properties: {
    ruleSets: list(docAsset),
    policyTables: list(docAsset),
    reminderTemplates: list(docAsset),
    reports: list(docAsset),
    customFields: list({
      type: "object",
      additionalProperties: false,
      required: ["entity", "name", "label", "schema"],
      properties: {
        entity: text(63),
        name: text(63),
        label: { type: "object", required: ["en", "zh"], properties: { en: text(200), zh: text(200) } },
        schema: { type: "object" },
        filterable: { type: "boolean" },
        sortable: { type: "boolean" },
      },
    }),
    schedules: list({
      type: "object",
      additionalProperties: false,
      required: ["jobType", "cron"],
      properties: {
        jobType: text(63),
        cron: text(100),
        timezone: text(64),
        target: { type: ["string", "null"], maxLength: 63 },
        params: { type: "object" },
        enabled: { type: "boolean" },
      },
    }),
    packOrigins: list({ type: "object" }),
  },
};
export const bundleSchema = {
  type: "object",
  required: ["assets"],
  properties: {
    format: { const: "ordo-config-bundle" },
    formatVersion: { const: 1 },
    tenant: text(63),
    exportedAt: text(40),
    hash: { type: "string", pattern: "^[0-9a-f]{64}$" },
    assets,
    skipped: { type: "array" },
  },
};
const diffSchema = {
  type: "object",
  additionalProperties: false,
  required: ["bundle"],
  properties: { bundle: bundleSchema },
};
const importSchema = {
  type: "object",
  additionalProperties: false,
  required: ["bundle", "mode"],
  properties: {
    bundle: bundleSchema,
    mode: { enum: ["dry-run", "apply"] },
    decisions: { type: "integer", minimum: 0, maximum: 100_000, description: "Recorded decisions to replay (1000)" },
  },
};

export function configBundleRoutes(ctx: AppContext): Router {
  const r = Router();
  const tags = ["config-bundle"];
  const importer = new BundleImporter(ctx);
  const tenant = (req: Request) => actorOf(req).tenant;
  mount(r, ctx.doc, {
    method: "get",
    path: "/config/bundle",
    summary: "The tenant's configuration (published versions in force) as one JSON document with a hash",
    tags,
    roles: ["consultant"],
    handler: (req) => exportBundle(ctx.db, tenant(req)),
  });
  mount<{ bundle: Bundle }>(r, ctx.doc, {
    method: "post",
    path: "/config/bundle/diff",
    summary: "An incoming bundle against the tenant's configuration, asset by asset",
    tags,
    roles: ["consultant"],
    body: diffSchema,
    handler: async (req, _res, body) => diffAssets(await currentAssets(ctx.db, tenant(req).id), body.bundle.assets),
  });
  mount<ImportInput>(r, ctx.doc, {
    method: "post",
    path: "/config/bundle/import",
    summary: "Validate, run every test case, and apply all of a bundle or nothing (dry-run replays decisions)",
    tags,
    roles: ["consultant"],
    body: importSchema,
    handler: async (req, _res, body) => {
      if (!body.bundle.assets) throw fail("INVALID_BUNDLE", { pointer: "/bundle/assets", problem: "is required" });
      const out = await importer.run(tenant(req), actorOf(req).user, body);
      ctx.logger.info(
        { tenant: tenant(req).slug, mode: body.mode, hash: out.hash, written: out.written.length },
        "config bundle imported",
      );
      return out;
    },
  });
  return r;
}
