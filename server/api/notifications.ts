/**
 * The outbox's actions (the list and show are the `notifications` entity resource), channel settings
 * and the in-app inboxes.
 */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { cancelNotification, deliveryLog, findNotification, retryNotification } from "../notifications/outbox";
import { channelOf, channelView, updateChannel, type ChannelUpdate } from "../notifications/channels";
import { inbox, markAllRead, markRead } from "../notifications/inbox";
import { DISPATCH_JOB, queueDispatch } from "../notifications/dispatch";

const ID = { type: "string", format: "uuid" };
const CHANNEL = { type: "string", pattern: "^[a-z][a-z0-9-]{0,39}$", description: "channel name, e.g. email" };
const HR = ["consultant", "hr_admin"] as const;
const tags = ["notifications"];
const tenantOf = (req: Request) => actorOf(req).tenant.id;

const channelUpdateSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean" },
    settings: { type: "object", description: "the channel's settings (GET answers their schema)" },
    secrets: {
      type: "object",
      description: "write-only: a string sets a secret, null clears it, an absent name keeps it",
      additionalProperties: { type: ["string", "null"], maxLength: 2000 },
    },
  },
};

export function notificationRoutes(ctx: AppContext): Router {
  const r = Router();
  mount(r, ctx.doc, {
    method: "get",
    path: "/notifications/:id/attempts",
    summary: "The delivery log of a notification: every attempt with its time, channel, outcome and error code",
    tags,
    roles: [...HR],
    params: { id: ID },
    handler: async (req, _res, _b, { params }) => {
      const row = await findNotification(ctx.db, tenantOf(req), params.id);
      return deliveryLog(ctx.db, tenantOf(req), row.id);
    },
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/notifications/:id/cancel",
    summary: "Cancel a queued or failed notification (409 otherwise)",
    tags,
    roles: [...HR],
    params: { id: ID },
    handler: (req, _res, _b, { params }) => cancelNotification(ctx.db, tenantOf(req), params.id),
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/notifications/:id/retry",
    summary: "Queue a failed, dead or cancelled notification again, due at once (409 otherwise)",
    tags,
    roles: [...HR],
    params: { id: ID },
    handler: async (req, _res, _b, { params }) => {
      const out = await retryNotification(ctx.db, tenantOf(req), params.id);
      await queueDispatch(ctx.db, tenantOf(req), actorOf(req).user.id);
      ctx.jobs.wake();
      return out;
    },
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/notifications/dispatch",
    summary: "Send what is due now, as a job; ?wait=true sends before answering",
    tags,
    roles: [...HR],
    query: { wait: { type: "boolean" } },
    handler: async (req, res, _b, { query }) => {
      const jobId = await queueDispatch(ctx.db, tenantOf(req), actorOf(req).user.id);
      if (query.wait === true) return ctx.jobs.runNow(DISPATCH_JOB, tenantOf(req), jobId);
      ctx.jobs.wake();
      res.status(202);
      return { id: jobId, status: "queued" };
    },
  });

  mount(r, ctx.doc, {
    method: "get",
    path: "/channels",
    summary: "Delivery channels (plugins) with this tenant's settings; secrets answered as {secretSet}",
    tags,
    roles: [...HR],
    handler: async (req, res) => {
      const list = await Promise.all(
        ctx.rules.registry.channels.map((c) => channelView(ctx.db, ctx.config, c, tenantOf(req))),
      );
      res.setHeader("Content-Range", `channels 0-${Math.max(0, list.length - 1)}/${list.length}`);
      return list;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/channels/:name",
    summary: "A channel's settings for this tenant, and the schema of its settings and secrets",
    tags,
    roles: [...HR],
    params: { name: CHANNEL },
    handler: (req, _res, _b, { params }) =>
      channelView(ctx.db, ctx.config, channelOf(ctx.rules.registry, params.name), tenantOf(req)),
  });
  mount<ChannelUpdate>(r, ctx.doc, {
    method: "put",
    path: "/channels/:name",
    summary: "Configure a channel for this tenant: {enabled, settings, secrets} (secrets are write-only)",
    tags,
    roles: [...HR],
    params: { name: CHANNEL },
    body: channelUpdateSchema,
    handler: (req, _res, body, { params }) =>
      updateChannel(ctx.db, ctx.config, channelOf(ctx.rules.registry, params.name), tenantOf(req), body),
  });

  const owner = (req: Request) => ({ tenantId: tenantOf(req), user: actorOf(req).user });
  mount(r, ctx.doc, {
    method: "get",
    path: "/me/inbox",
    summary: "The in-app inbox: an employee's own notifications, or HR's; with the unread count",
    tags: ["self-service"],
    query: {
      unread: { type: "boolean" },
      offset: { type: "integer", minimum: 0, maximum: 1_000_000 },
      limit: { type: "integer", minimum: 1, maximum: 200 },
    },
    handler: (req, _res, _b, { query }) => inbox(ctx.db, owner(req), query),
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/me/inbox/read-all",
    summary: "Mark every notification of the inbox read",
    tags: ["self-service"],
    handler: (req) => markAllRead(ctx.db, owner(req)),
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/me/inbox/:id/read",
    summary: "Mark a notification of the inbox read",
    tags: ["self-service"],
    params: { id: ID },
    handler: (req, _res, _b, { params }) => markRead(ctx.db, owner(req), params.id),
  });
  return r;
}
