/** /api/base-declarations: create (computed as a draft), edit a line's base with a reason, confirm. */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { confirmDeclaration, createDeclaration, editLine, type Actor } from "../base-declarations/service";
import { citySchema } from "../entities/cities";

const ID = { type: "string", format: "uuid" };
const HR = ["consultant", "hr_admin"] as const;
const tags = ["base-declarations"];
const createSchema = {
  type: "object",
  additionalProperties: false,
  required: ["city", "baseYear"],
  properties: {
    city: citySchema,
    baseYear: { type: "integer", minimum: 1990, maximum: 2199, description: "the calendar year the base year starts" },
  },
};
const lineSchema = {
  type: "object",
  additionalProperties: false,
  required: ["base", "reason"],
  properties: {
    base: { type: ["string", "number"], money: "nonNegative", description: "the declared base, 12000.00 or 12000" },
    reason: { type: "string", minLength: 1, maxLength: 500, description: "why the computed base is changed" },
  },
};

const actor = (req: Request): Actor => ({ tenantId: actorOf(req).tenant.id, actorId: actorOf(req).user.id });

export function baseDeclarationRoutes(ctx: AppContext): Router {
  const r = Router();
  mount<{ city: string; baseYear: number }>(r, ctx.doc, {
    method: "post",
    path: "/base-declarations",
    summary:
      "Create the base declaration of a city's base year: every employee's base from the previous calendar " +
      "year's average wage (new hires: the first full month), clamped per insurance; answers the draft",
    tags,
    roles: [...HR],
    body: createSchema,
    handler: async (req, res, body) => {
      const created = await createDeclaration(ctx.db, actor(req), body);
      ctx.logger.info(
        { declarationId: created.id, city: body.city, baseYear: body.baseYear, employees: created.employees },
        "base declaration created",
      );
      res.status(201);
      return created;
    },
  });
  mount<{ base: string | number; reason: string }>(r, ctx.doc, {
    method: "patch",
    path: "/base-declarations/:id/lines/:lineId",
    summary: "Change one employee's declared base in a draft declaration (a reason is required)",
    tags,
    roles: [...HR],
    body: lineSchema,
    params: { id: ID, lineId: ID },
    handler: (req, _res, body, { params }) => editLine(ctx.db, actor(req), params.id, params.lineId, body),
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/base-declarations/:id/confirm",
    summary: "Confirm a draft declaration: its bases drive the ledger of its base year and can no longer change",
    tags,
    roles: [...HR],
    params: { id: ID },
    handler: (req, _res, _body, { params }) => confirmDeclaration(ctx.db, actor(req), params.id),
  });
  return r;
}
