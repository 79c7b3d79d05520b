/**
 * Reminder templates: simple-rest resource (id = key), versions, publish (gated by test cases), rollback,
 * diff, test, preview against an employee or given facts, and the fact catalogue for completion.
 */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { mountVersionRoutes } from "../http/version-routes";
import { listParams, listQuery, setContentRange } from "../http/list";
import {
  DATE,
  DOC_FILTER,
  DOC_SORT,
  documentSchemas,
  keyParams,
  publishSchema,
  rollbackSchema,
  VERSION_REF,
} from "../http/document-schemas";
import { reminderTemplateStore as store } from "../reminders/store";
import { ReminderTemplateService } from "../reminders/templates";
import { AUDIENCES, CHANNELS, TEMPLATE_LOCALES } from "../reminders/content";
import { REMINDER_FACTS, REMINDER_FILTER_NAMES } from "../reminders/catalogue";

const TEXT = { type: "string", maxLength: 20_000 };
const texts = {
  type: "object",
  description: 'Liquid text per locale: "zh-CN" required, "en" optional',
  properties: { "zh-CN": TEXT, en: TEXT },
};
const meta = {
  name: { type: "string", minLength: 1, maxLength: 200 },
  description: { type: ["string", "null"], maxLength: 2000 },
};
// The content is checked by templateErrors (answering at each JSON pointer); the schema describes it.
const content = {
  audience: { description: AUDIENCES.join(" | ") },
  channels: { description: `one or more of ${CHANNELS.join(", ")}` },
  subject: texts,
  body: texts,
  segment: { description: "json-rules-engine conditions over the recipient's facts, or null" },
  testCases: { type: "array", maxItems: 200 },
};
const { createSchema, saveSchema } = documentSchemas(meta, content, ["audience", "channels", "subject", "body"]);
const previewSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    employeeId: { type: "string", format: "uuid" },
    facts: { type: "object", description: "facts as given; with employeeId, laid over the employee's" },
    event: { type: "object", description: "the triggering event's params (`event.*`)" },
    locale: { type: "string", enum: [...TEMPLATE_LOCALES] },
    channel: { type: "string", enum: [...CHANNELS] },
    version: VERSION_REF,
    at: DATE,
    content: { type: "object", description: "unsaved content to preview instead of the draft's", properties: content },
  },
};
const testSchema = { type: "object", additionalProperties: false, properties: { version: VERSION_REF } };

export function reminderTemplateRoutes(ctx: AppContext, service = new ReminderTemplateService(ctx.rules.registry)) {
  const r = Router();
  const tenant = (req: Request) => actorOf(req).tenant.id;
  const user = (req: Request) => actorOf(req).user;
  const key = (req: Request) => String(req.params.key);
  const tags = ["reminder-templates"];
  const READ = ["consultant", "hr_admin"] as const;
  const base = "/reminder-templates";
  const log = (req: Request, msg: string, extra: Record<string, unknown> = {}) =>
    ctx.logger.info({ tenant: actorOf(req).tenant.slug, reminderTemplate: key(req), ...extra }, msg);

  mount(r, ctx.doc, {
    method: "get",
    path: "/reminder-catalogue",
    summary: "The placeholders and filters reminder templates may use (zh-CN and en descriptions)",
    tags,
    roles: [...READ],
    handler: () => ({
      facts: REMINDER_FACTS,
      filters: REMINDER_FILTER_NAMES,
      channels: CHANNELS,
      audiences: AUDIENCES,
    }),
  });
  mount(r, ctx.doc, {
    method: "get",
    path: base,
    summary: "List reminder templates (simple-rest)",
    tags,
    roles: [...READ],
    query: listParams({ sortFields: DOC_SORT, filter: DOC_FILTER }),
    handler: async (req, res) => {
      const q = listQuery(req.query, ["key", "ASC"]);
      const { data, total } = await store.list(ctx.db, tenant(req), q);
      setContentRange(res, "reminder-templates", q.range[0], data.length, total);
      return data;
    },
  });
  mount<Record<string, unknown>>(r, ctx.doc, {
    method: "post",
    path: base,
    summary: "Create a reminder template (validated) as a draft",
    tags,
    roles: ["consultant"],
    body: createSchema,
    handler: async (req, res, body) => {
      const rec = await service.create(ctx.db, tenant(req), body, user(req));
      ctx.logger.info({ tenant: actorOf(req).tenant.slug, reminderTemplate: rec.key }, "reminder template created");
      res.status(201);
      return rec;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: `${base}/:key`,
    params: keyParams,
    summary: "A reminder template with its draft",
    tags,
    roles: [...READ],
    handler: (req) => store.get(ctx.db, tenant(req), key(req)),
  });
  mount<Record<string, unknown>>(r, ctx.doc, {
    method: "put",
    path: `${base}/:key`,
    params: keyParams,
    summary: "Replace the draft (send the revision you loaded; 409 if stale); validated",
    tags,
    roles: ["consultant"],
    body: saveSchema,
    handler: (req, _res, body) => service.save(ctx.db, tenant(req), key(req), body, user(req)),
  });
  mount(r, ctx.doc, {
    method: "delete",
    path: `${base}/:key`,
    params: keyParams,
    summary: "Delete a reminder template and its versions",
    tags,
    roles: ["consultant"],
    handler: (req) => store.remove(ctx.db, tenant(req), key(req)),
  });
  mountVersionRoutes(r, ctx, {
    base,
    store,
    tags,
    readRoles: READ,
    writeRoles: ["consultant"],
    diff: (c, tenantId, k, a, b) => service.diff(c.db, tenantId, k, a, b),
    diffSummary: "Changes (added, removed, modified by JSON pointer) between two versions or the draft",
  });
  mount<{ effectiveFrom?: string; note?: string }>(r, ctx.doc, {
    method: "post",
    path: `${base}/:key/publish`,
    params: keyParams,
    summary: "Publish the draft as an immutable version (its test cases must pass: 409 TESTS_FAILED)",
    tags,
    roles: ["consultant"],
    body: publishSchema,
    handler: async (req, res, body) => {
      const v = await service.publish(ctx.db, tenant(req), key(req), body, user(req));
      log(req, "reminder template published", { version: v.version });
      res.status(201);
      return v;
    },
  });
  mount<{ version: number; note?: string; effectiveFrom?: string }>(r, ctx.doc, {
    method: "post",
    path: `${base}/:key/rollback`,
    params: keyParams,
    summary: "Publish an older version's content as a new version",
    tags,
    roles: ["consultant"],
    body: rollbackSchema,
    handler: async (req, res, body) => {
      const v = await service.rollback(ctx.db, tenant(req), key(req), body, user(req));
      log(req, "reminder template rolled back", { version: v.version, rolledBackFrom: body.version });
      res.status(201);
      return v;
    },
  });
  mount<{ version?: number | "draft" }>(r, ctx.doc, {
    method: "post",
    path: `${base}/:key/test`,
    audit: false,
    params: keyParams,
    summary: "Run the test cases against the draft or a version",
    tags,
    roles: [...READ],
    body: testSchema,
    handler: (req, _res, body) => service.test(ctx.db, tenant(req), key(req), body.version),
  });
  mount<Parameters<ReminderTemplateService["preview"]>[3]>(r, ctx.doc, {
    method: "post",
    path: `${base}/:key/preview`,
    audit: false,
    params: keyParams,
    summary: "Render the draft (or a version, or unsaved content) for an employee or given facts",
    tags,
    roles: [...READ],
    body: previewSchema,
    handler: (req, _res, body) => service.preview(ctx.db, tenant(req), key(req), body),
  });
  return r;
}
