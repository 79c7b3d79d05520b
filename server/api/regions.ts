/**
 * Regional policy (retail): the org tree, a region's cities side by side with their policy values as of a
 * date, and the region's reminder settings (HR reminded N days before each city's payment deadline).
 */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { DATE } from "../http/document-schemas";
import { loadOrgTree, unitOf } from "../regions/tree";
import { regionSettings, saveRegionSettings, type RegionSettings } from "../regions/reminders";
import { regionView } from "../regions/view";

const ID = { type: "string", format: "uuid" };
const READ = ["consultant", "hr_admin"] as const;
const tags = ["regions"];
const settingsSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    reminderDaysBefore: {
      type: "integer",
      minimum: 0,
      maximum: 31,
      description: "days before each city's payment deadline the region's HR is reminded",
    },
    remindersEnabled: { type: "boolean" },
  },
};

const tenant = (req: Request) => actorOf(req).tenant.id;
const today = () => new Date().toISOString().slice(0, 10);

export function regionRoutes(ctx: AppContext): Router {
  const r = Router();
  mount(r, ctx.doc, {
    method: "get",
    path: "/org-tree",
    summary: "The tenant's org units as a tree (company → region → store), each with its city in zh-CN and en",
    tags,
    roles: [...READ],
    handler: async (req) => {
      const tree = await loadOrgTree(ctx.db, tenant(req));
      return tree.roots().map((u) => tree.node(u.id));
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/org-units/:id/tree",
    summary: "One org unit with every unit below it, as a tree",
    tags,
    roles: [...READ],
    params: { id: ID },
    handler: async (req, _res, _body, { params }) => {
      const tree = await loadOrgTree(ctx.db, tenant(req));
      return tree.node(unitOf(tree, params.id).id);
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/regions",
    summary: "The tenant's regions, each with its stores' cities",
    tags,
    roles: [...READ],
    handler: async (req) => {
      const tree = await loadOrgTree(ctx.db, tenant(req));
      return tree
        .units()
        .filter((u) => u.type === "region")
        .sort((a, b) => a.name.localeCompare(b.name, "zh-CN"))
        .map((u) => {
          const stores = tree.stores(u.id);
          return {
            id: u.id,
            name: u.name,
            city: u.city,
            parentId: u.parent_id,
            stores: stores.length,
            cities: [...new Set(stores.map((s) => s.city))].sort(),
          };
        });
    },
  });
  mount<unknown, { at?: string }, { id: string }>(r, ctx.doc, {
    method: "get",
    path: "/regions/:id/policy",
    summary:
      "Each city of the unit's stores side by side as of a date: base limits and rates per insurance, work-injury " +
      "classes, payment deadline, back-payment window and minimum wage, each with its table, source, confidence " +
      "and effective range; for a region also the day its HR is reminded before each city's deadline",
    tags,
    roles: [...READ],
    params: { id: ID },
    query: { at: DATE },
    handler: (req, _res, _body, { params, query }) => regionView(ctx.db, tenant(req), params.id, query.at ?? today()),
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/regions/:id/settings",
    summary: "A region's reminder settings (defaults: 5 days before, enabled)",
    tags,
    roles: [...READ],
    params: { id: ID },
    handler: (req, _res, _body, { params }) => regionSettings(ctx.db, tenant(req), params.id),
  });
  mount<Partial<Omit<RegionSettings, "orgUnitId">>, Record<string, never>, { id: string }>(r, ctx.doc, {
    method: "put",
    path: "/regions/:id/settings",
    summary: "Change how many days before each city's payment deadline the region's HR is reminded, or turn it off",
    tags,
    roles: [...READ],
    params: { id: ID },
    body: settingsSchema,
    handler: async (req, _res, body, { params }) => {
      const saved = await saveRegionSettings(ctx.db, tenant(req), params.id, body);
      ctx.logger.info({ tenantId: tenant(req), orgUnitId: params.id, ...body }, "region settings saved");
      return saved;
    },
  });
  return r;
}
