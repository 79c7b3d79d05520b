/** The alert lifecycle: resolve, snooze, assign, reopen (one or in bulk), the history and who can be assigned. */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { fail } from "../errors";
import { isUuid } from "../http/formats";
import {
  ALERT_ACTIONS,
  actOnAlerts,
  alertHistory,
  assignableUsers,
  type ActionInput,
  type AlertAction,
} from "../alerts/service";
import { EntityRepository } from "../entities/repository";
import { scopeFor } from "./entities";

const HR = ["consultant", "hr_admin"] as const;
const tags = ["alerts"];
const ID = { type: "string", minLength: 1, maxLength: 100, description: "alert id (UUID)" };
const NOTE = { type: ["string", "null"], maxLength: 2000, description: "why, for the alert's history" };
const actionProps = {
  note: NOTE,
  until: { type: "string", format: "date", description: "snooze: hidden from the open list until this date" },
  assigneeId: { type: ["string", "null"], format: "uuid", description: "assign: an HR user of the tenant" },
};
const BODIES: Record<AlertAction, object> = {
  resolve: { type: "object", additionalProperties: false, properties: { note: NOTE } },
  reopen: { type: "object", additionalProperties: false, properties: { note: NOTE } },
  snooze: {
    type: "object",
    additionalProperties: false,
    required: ["until"],
    properties: { note: NOTE, until: actionProps.until },
  },
  assign: {
    type: "object",
    additionalProperties: false,
    required: ["assigneeId"],
    properties: { note: NOTE, assigneeId: actionProps.assigneeId },
  },
};
const bulkSchema = {
  type: "object",
  additionalProperties: false,
  required: ["ids", "action"],
  properties: {
    ids: { type: "array", minItems: 1, maxItems: 1000, items: { type: "string", maxLength: 100 } },
    action: { type: "string", enum: ALERT_ACTIONS },
    ...actionProps,
  },
};

const who = (req: Request) => ({ tenantId: actorOf(req).tenant.id, actorId: actorOf(req).user.id });

export function alertRoutes(ctx: AppContext): Router {
  const r = Router();
  const decl = ctx.entities.all().find((d) => d.name === "alerts")!;

  mount(r, ctx.doc, {
    method: "get",
    path: "/alerts/assignees",
    summary: "The HR users of the tenant an alert can be assigned to",
    tags,
    roles: [...HR],
    handler: (req) => assignableUsers(ctx.db, who(req).tenantId),
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/alerts/:id/events",
    summary: "An alert's history: who resolved, snoozed, assigned or reopened it, when, with their note",
    tags,
    params: { id: ID },
    handler: async (req, _res, _body, { params }) => {
      // Through the entity scope: an employee reads the history of their own alerts only.
      const repository = new EntityRepository(await ctx.entities.resolve(ctx.db, who(req).tenantId, "alerts"));
      const alert = isUuid(params.id) ? await repository.getOne(ctx.db, scopeFor(req, decl), params.id) : null;
      if (!alert) throw fail("ALERT_NOT_FOUND", { id: params.id });
      return alertHistory(ctx.db, who(req).tenantId, String(alert.id));
    },
  });
  for (const action of ALERT_ACTIONS) {
    mount<ActionInput>(r, ctx.doc, {
      method: "post",
      path: `/alerts/:id/${action}`,
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} one alert, with a note in its history`,
      tags,
      roles: [...HR],
      params: { id: ID },
      body: BODIES[action],
      handler: async (req, _res, body, { params }) => {
        const { tenantId, actorId } = who(req);
        const result = await actOnAlerts(ctx.db, tenantId, actorId, [params.id], action, body);
        return { ...result, history: await alertHistory(ctx.db, tenantId, params.id.toLowerCase()) };
      },
    });
  }
  mount<ActionInput & { ids: string[]; action: AlertAction }>(r, ctx.doc, {
    method: "post",
    path: "/alerts/bulk",
    summary: "One action on many alerts, all or nothing ({ids, action, note?, until?, assigneeId?})",
    tags,
    roles: [...HR],
    body: bulkSchema,
    handler: (req, _res, { ids, action, ...input }) => {
      const { tenantId, actorId } = who(req);
      return actOnAlerts(ctx.db, tenantId, actorId, ids, action, input);
    },
  });
  return r;
}
