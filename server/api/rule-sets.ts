/** Rule sets: simple-rest resource (id = key), versions, publish, rollback, diff, test cases, evaluation. */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { mountVersionRoutes } from "../http/version-routes";
import { localeOf } from "../http/errors";
import { diagnosticIn, ruleSetContentSchema, type Diagnostic } from "../../rules/index";
import { ruleSetStore, type RuleSetService } from "../rule-sets/service";
import { writeJsonChunks } from "../rule-sets/json-stream";
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
import { checkReferences } from "../entities/repository";

const meta = {
  name: { type: "string", minLength: 1, maxLength: 200 },
  description: { type: ["string", "null"], maxLength: 2000 },
  industry: { type: ["string", "null"], maxLength: 50 },
};
const content = {
  facts: { type: "object", description: "Declared input facts: name to JSON Schema" },
  sharedConditions: { type: "object" },
  rules: { type: "array", description: "json-rules-engine rules" },
  testCases: { type: "array" },
};
const { createSchema, saveSchema } = documentSchemas(meta, content, ["rules"]);
const versionSel = VERSION_REF;
const evaluateSchema = {
  type: "object",
  additionalProperties: false,
  required: ["facts"],
  properties: { facts: { type: "object" }, at: DATE, version: versionSel },
};
const MAX_BATCH = 10_000;
const batchSchema = {
  type: "object",
  additionalProperties: false,
  required: ["items"],
  properties: {
    items: {
      type: "array",
      maxItems: MAX_BATCH,
      items: { type: "object", required: ["facts"], properties: { facts: { type: "object" }, at: DATE } },
    },
    at: DATE,
    version: versionSel,
  },
};
const testSchema = { type: "object", additionalProperties: false, properties: { version: versionSel } };
const applySchema = {
  type: "object",
  additionalProperties: false,
  required: ["facts"],
  properties: { facts: { type: "object" }, at: DATE, employeeId: { type: "string", format: "uuid" } },
};

const today = () => new Date().toISOString().slice(0, 10);
/** A saved record's validation warnings in the reader's language. */
const withWarningsIn = <T extends { warnings: Diagnostic[] }>(req: Request, rec: T): T => ({
  ...rec,
  warnings: rec.warnings.map((w) => diagnosticIn(w, localeOf(req))),
});

export function ruleSetRoutes(ctx: AppContext, service: RuleSetService): Router {
  const r = Router();
  const tenant = (req: Request) => actorOf(req).tenant.id;
  const key = (req: Request) => String(req.params.key);
  const tags = ["rule-sets"];
  const READ = ["consultant", "hr_admin"] as const;

  mount(r, ctx.doc, {
    method: "get",
    path: "/facts",
    summary: "The catalogue of dynamic facts from plugins",
    tags,
    roles: [...READ],
    handler: (req) => service.registry.catalogue(localeOf(req)).facts,
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/operators",
    summary: "The operators from plugins",
    tags,
    roles: [...READ],
    handler: (req) => service.registry.catalogue(localeOf(req)).operators,
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/actions",
    summary: "The actions from plugins",
    tags,
    roles: [...READ],
    handler: (req) => service.registry.catalogue(localeOf(req)).actions,
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/rule-sets/schema",
    summary: "JSON Schema of rule-set content (for editors)",
    tags,
    roles: [...READ],
    handler: () => ruleSetContentSchema,
  });

  mount(r, ctx.doc, {
    method: "get",
    path: "/rule-sets",
    summary: "List rule sets (simple-rest)",
    tags,
    roles: [...READ],
    query: listParams({ sortFields: DOC_SORT, filter: DOC_FILTER }),
    handler: async (req, res) => {
      const q = listQuery(req.query, ["updatedAt", "DESC"]);
      const { data, total } = await ruleSetStore.list(ctx.db, tenant(req), q);
      setContentRange(res, "rule-sets", q.range[0], data.length, total);
      return data;
    },
  });
  mount<Record<string, unknown>>(r, ctx.doc, {
    method: "post",
    path: "/rule-sets",
    summary: "Create a rule set with this content as its draft",
    tags,
    roles: ["consultant"],
    body: createSchema,
    handler: async (req, res, body) => {
      const rec = await service.create(ctx.db, tenant(req), body, actorOf(req).user);
      ctx.logger.info({ tenant: actorOf(req).tenant.slug, ruleSet: rec.key }, "rule set created");
      res.status(201);
      return withWarningsIn(req, rec);
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/rule-sets/:key",
    params: keyParams,
    summary: "A rule set with its draft",
    tags,
    roles: [...READ],
    handler: (req) => ruleSetStore.get(ctx.db, tenant(req), key(req)),
  });
  mount<Record<string, unknown>>(r, ctx.doc, {
    method: "put",
    path: "/rule-sets/:key",
    params: keyParams,
    summary: "Replace the draft (send the revision you loaded; 409 if stale)",
    tags,
    roles: ["consultant"],
    body: saveSchema,
    handler: async (req, _res, body) =>
      withWarningsIn(req, await service.save(ctx.db, tenant(req), key(req), body, actorOf(req).user)),
  });
  mount(r, ctx.doc, {
    method: "delete",
    path: "/rule-sets/:key",
    params: keyParams,
    summary: "Delete a rule set and its versions",
    tags,
    roles: ["consultant"],
    handler: (req) => ruleSetStore.remove(ctx.db, tenant(req), key(req)),
  });

  mountVersionRoutes(r, ctx, {
    base: "/rule-sets",
    store: ruleSetStore,
    tags,
    readRoles: READ,
    writeRoles: ["consultant"],
    diff: (c, tenantId, k, a, b) => service.diff(c.db, tenantId, k, a, b),
    diffSummary: "Rule-by-rule diff between two versions (or draft)",
  });
  mount<{ effectiveFrom?: string; note?: string }>(r, ctx.doc, {
    method: "post",
    path: "/rule-sets/:key/publish",
    params: keyParams,
    summary: "Publish the draft as an immutable version (runs the test cases first)",
    tags,
    roles: ["consultant"],
    body: publishSchema,
    handler: async (req, res, body) => {
      const v = await service.publish(ctx.db, tenant(req), key(req), body, actorOf(req).user);
      ctx.logger.info(
        { tenant: actorOf(req).tenant.slug, ruleSet: key(req), version: v.version },
        "rule set published",
      );
      res.status(201);
      return v;
    },
  });
  mount<{ version: number; note?: string; effectiveFrom?: string }>(r, ctx.doc, {
    method: "post",
    path: "/rule-sets/:key/rollback",
    params: keyParams,
    summary: "Publish an older version's content as a new version",
    tags,
    roles: ["consultant"],
    body: rollbackSchema,
    handler: async (req, res, body) => {
      res.status(201);
      return service.rollback(ctx.db, tenant(req), key(req), body, actorOf(req).user);
    },
  });
  mount<{ version?: number | "draft" }>(r, ctx.doc, {
    method: "post",
    path: "/rule-sets/:key/test",
    audit: false,
    params: keyParams,
    summary: "Run the test cases against the draft or a version",
    tags,
    roles: [...READ],
    body: testSchema,
    handler: (req, _res, body) => service.test(ctx.db, tenant(req), key(req), body.version),
  });
  mount<{ facts: Record<string, unknown>; at?: string; version?: number | "draft" }>(r, ctx.doc, {
    method: "post",
    path: "/rule-sets/:key/evaluate",
    audit: false,
    params: keyParams,
    summary: "Evaluate with a trace; writes nothing",
    tags,
    roles: [...READ],
    body: evaluateSchema,
    handler: async (req, _res, body) => {
      const at = body.at ?? today();
      const resolved = await service.resolve(ctx.db, tenant(req), key(req), body.version, at);
      const facts = service.checkFacts(resolved, body.facts);
      return service.evaluate(service.compile(tenant(req), resolved), resolved, facts, at);
    },
  });
  mount<{ items: { facts: Record<string, unknown>; at?: string }[]; at?: string; version?: number | "draft" }>(
    r,
    ctx.doc,
    {
      method: "post",
      path: "/rule-sets/:key/evaluate-batch",
      audit: false,
      params: keyParams,
      summary: `Evaluate up to ${MAX_BATCH} fact sets in one request; writes nothing`,
      tags,
      roles: [...READ],
      body: batchSchema,
      handler: async (req, res, body) => {
        const at = body.at ?? today();
        const resolved = await service.resolve(ctx.db, tenant(req), key(req), body.version, at);
        const compiled = service.compile(tenant(req), resolved);
        await writeJsonChunks(res, service.evaluateBatch(compiled, resolved, body.items, at, localeOf(req)));
      },
    },
  );
  mount<{ facts: Record<string, unknown>; at?: string; employeeId?: string }>(r, ctx.doc, {
    method: "post",
    path: "/rule-sets/:key/apply",
    params: keyParams,
    summary:
      "Evaluate the version in force and apply its events through the registered actions; the decision is stored",
    tags,
    roles: ["consultant", "hr_admin"],
    body: applySchema,
    handler: (req, _res, body) =>
      ctx.db.transaction(async (trx) => {
        // The actions write enrollments, alerts and reminders for this employee: it must be one of this tenant.
        await checkReferences(trx, tenant(req), [{ field: "employeeId", table: "employees", value: body.employeeId }]);
        return service.apply(trx, tenant(req), key(req), {
          facts: body.facts,
          at: body.at,
          operation: "apply",
          employeeId: body.employeeId,
          actorId: actorOf(req).user.id,
        });
      }),
  });
  return r;
}
