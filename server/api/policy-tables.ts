/** Policy tables: simple-rest resource (id = key), versions, publish, rollback, diff, CSV import/export, lookup. */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { mountVersionRoutes } from "../http/version-routes";
import { listParams, listQuery, setContentRange } from "../http/list";
import { jsonParam } from "../http/validate";
import {
  COUNT,
  DATE,
  DOC_FILTER,
  DOC_SORT,
  documentSchemas,
  keyParams,
  publishSchema,
  rollbackSchema,
  VERSION_REF,
} from "../http/document-schemas";
import { fail } from "../errors";
import type { KeyValue } from "../../policies/index";
import {
  createTable,
  diffVersions,
  exportCsv,
  importCsv,
  policyTableStore,
  publishTable,
  rollbackTable,
  saveTable,
} from "../policy-tables/service";
import { loadPolicies } from "../policy-tables/policy-set";
import { installReferenceTables } from "../policy-tables/reference";

// A policy version also records when its notice was published, so a late notice is visible.
const policyPublishSchema = {
  ...publishSchema,
  properties: {
    ...publishSchema.properties,
    publishedOn: { ...DATE, description: "the day the notice was published (YYYY-MM-DD)" },
  },
};
const columns = { type: "object", description: "Column name to JSON Schema", additionalProperties: { type: "object" } };
// Rows are checked by validateTable (answering INVALID_POLICY_TABLE at each JSON pointer), so the body schema
// only describes them.
const row = {
  type: "object",
  description: "A row: key and values by column, in force effectiveFrom..effectiveTo (inclusive; null = open)",
  properties: {
    key: { description: "Key column values" },
    values: { description: "Value column values" },
    effectiveFrom: { description: "YYYY-MM-DD" },
    effectiveTo: { description: "YYYY-MM-DD or null" },
    source: { description: "Where the figure comes from" },
    confidence: { description: "H, M or L" },
    note: {},
    publishedOn: { description: "YYYY-MM-DD: the day the notice was published (a late notice is after effectiveFrom)" },
  },
};
const content = {
  keyColumns: columns,
  valueColumns: columns,
  optionalValues: { type: "array", items: { type: "string" }, description: "Value columns a row may leave out" },
  rows: { type: "array", items: row },
};
const meta = {
  name: { type: "string", minLength: 1, maxLength: 200 },
  description: { type: ["string", "null"], maxLength: 2000 },
};
const { createSchema, saveSchema } = documentSchemas(meta, content, ["keyColumns", "valueColumns"]);

/** `?revision=N` or `If-Match: "N"`; undefined when neither is sent. */
function revisionOf(req: Request): number | undefined {
  const raw = req.query.revision ?? req.headers["if-match"];
  if (raw === undefined) return undefined;
  const n = Number(String(raw).replace(/^W\//, "").replace(/"/g, ""));
  if (!Number.isInteger(n))
    throw fail(
      "INVALID_REVISION",
      {},
      {
        message: "revision (query or If-Match) must be the integer revision you loaded",
        details: { field: "revision" },
      },
    );
  return n;
}

export function policyTableRoutes(ctx: AppContext): Router {
  const r = Router();
  const tenant = (req: Request) => actorOf(req).tenant.id;
  const user = (req: Request) => actorOf(req).user;
  const key = (req: Request) => String(req.params.key);
  const tags = ["policy-tables"];
  const READ = ["consultant", "hr_admin"] as const;
  const base = "/policy-tables";

  mount(r, ctx.doc, {
    method: "get",
    path: base,
    summary: "List policy tables (simple-rest)",
    tags,
    roles: [...READ],
    query: listParams({ sortFields: DOC_SORT, filter: DOC_FILTER }),
    handler: async (req, res) => {
      const q = listQuery(req.query, ["key", "ASC"]);
      const { data, total } = await policyTableStore.list(ctx.db, tenant(req), q);
      setContentRange(res, "policy-tables", q.range[0], data.length, total);
      return data;
    },
  });
  mount<Record<string, unknown>>(r, ctx.doc, {
    method: "post",
    path: base,
    summary: "Create a policy table (validated) as a draft",
    tags,
    roles: ["consultant"],
    body: createSchema,
    handler: async (req, res, body) => {
      const rec = await createTable(ctx.db, tenant(req), body, user(req));
      ctx.logger.info({ tenant: actorOf(req).tenant.slug, policyTable: rec.key }, "policy table created");
      res.status(201);
      return rec;
    },
  });
  mount(r, ctx.doc, {
    method: "post",
    path: `${base}/install-reference`,
    summary: "Install the shipped reference tables this tenant lacks (idempotent)",
    tags,
    roles: ["consultant"],
    handler: async (req) => {
      const out = await installReferenceTables(ctx.db, tenant(req), user(req));
      ctx.logger.info(
        { tenant: actorOf(req).tenant.slug, installed: out.installed },
        "reference policy tables installed",
      );
      return out;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: `${base}/:key`,
    params: keyParams,
    summary: "A policy table with its draft rows",
    tags,
    roles: [...READ],
    handler: (req) => policyTableStore.get(ctx.db, tenant(req), key(req)),
  });
  mount<Record<string, unknown>>(r, ctx.doc, {
    method: "put",
    path: `${base}/:key`,
    params: keyParams,
    summary: "Replace the draft (send the revision you loaded; 409 if stale)",
    tags,
    roles: ["consultant"],
    body: saveSchema,
    handler: (req, _res, body) => saveTable(ctx.db, tenant(req), key(req), body, user(req)),
  });
  mount(r, ctx.doc, {
    method: "delete",
    path: `${base}/:key`,
    params: keyParams,
    summary: "Delete a policy table and its versions",
    tags,
    roles: ["consultant"],
    handler: (req) => policyTableStore.remove(ctx.db, tenant(req), key(req)),
  });

  mountVersionRoutes(r, ctx, {
    base,
    store: policyTableStore,
    tags,
    readRoles: READ,
    writeRoles: ["consultant"],
    diff: (c, tenantId, k, a, b) => diffVersions(c.db, tenantId, k, a, b),
    diffSummary: "Row diff (added, removed, modified) between two versions or the draft",
  });
  mount<{ effectiveFrom?: string; note?: string; publishedOn?: string }>(r, ctx.doc, {
    method: "post",
    path: `${base}/:key/publish`,
    params: keyParams,
    summary: "Publish the draft as an immutable version",
    tags,
    roles: ["consultant"],
    body: policyPublishSchema,
    handler: async (req, res, body) => {
      const v = await publishTable(ctx.db, tenant(req), key(req), body, user(req));
      if (v.adjustmentJobId) ctx.jobs.wake();
      ctx.logger.info(
        { tenant: actorOf(req).tenant.slug, policyTable: key(req), version: v.version },
        "policy table published",
      );
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
      const v = await rollbackTable(ctx.db, tenant(req), key(req), body, user(req));
      if (v.adjustmentJobId) ctx.jobs.wake();
      ctx.logger.info(
        { tenant: actorOf(req).tenant.slug, policyTable: key(req), version: v.version, rolledBackFrom: body.version },
        "policy table rolled back",
      );
      res.status(201);
      return v;
    },
  });
  mount(r, ctx.doc, {
    method: "post",
    path: `${base}/:key/import`,
    params: keyParams,
    summary:
      "Replace the draft rows with a CSV (?revision=N or If-Match); any bad row: 400 INVALID_CSV, nothing applied",
    tags,
    roles: ["consultant"],
    rawBody: {
      type: "text/csv",
      schema: {
        type: "string",
        description: "key columns, value columns, effectiveFrom, effectiveTo, source, confidence, note",
      },
    },
    responses: {
      200: { description: "The table as lists show it (`rowCount`, not the rows) and `imported`" },
      400: { description: "INVALID_CSV with details.errors [{line, column, message}]" },
    },
    query: { revision: COUNT },
    handler: (req) => {
      if (typeof req.body !== "string") throw fail("UNSUPPORTED_MEDIA_TYPE", { type: "text/csv" });
      return importCsv(ctx.db, tenant(req), key(req), req.body, revisionOf(req), user(req));
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: `${base}/:key/export`,
    params: keyParams,
    summary: "The draft (or ?version=N) as CSV",
    tags,
    roles: [...READ],
    query: { version: VERSION_REF },
    handler: async (req, res) => {
      const v = req.query.version === undefined ? undefined : String(req.query.version);
      const out = await exportCsv(ctx.db, tenant(req), key(req), v);
      const file = out.version === "draft" ? `${key(req)}.csv` : `${key(req)}-v${out.version}.csv`;
      res.type("text/csv; charset=utf-8").setHeader("Content-Disposition", `attachment; filename="${file}"`);
      res.send(out.csv);
    },
  });

  mount(r, ctx.doc, {
    method: "get",
    path: "/policy-lookup",
    summary: "The row of a published policy table in force on a date",
    tags,
    roles: [...READ],
    query: {
      table: { type: "string", minLength: 1, maxLength: 100 },
      key: jsonParam({
        type: "object",
        maxProperties: 20,
        additionalProperties: { type: ["string", "number", "boolean"], maxLength: 200 },
        example: { city: "110000", insurance: "pension" },
      }),
      date: DATE,
    },
    handler: async (req, _res, _body, { query }) => {
      const table = String(query.table ?? "");
      const date = String(query.date ?? new Date().toISOString().slice(0, 10));
      const rowKey = (query.key ?? {}) as Record<string, KeyValue>;
      const { set, versions } = await loadPolicies(ctx.db, tenant(req));
      if (!set.has(table))
        throw fail(
          "NOT_FOUND",
          { resource: "policy-tables", id: table },
          { message: `No published policy table "${table}"`, details: { table } },
        );
      const found = set.lookup(table, rowKey, date);
      if (!found)
        throw fail(
          "NO_ROW_IN_FORCE",
          { key: JSON.stringify(rowKey), date },
          {
            message: `No row of "${table}" for ${JSON.stringify(rowKey)} in force on ${date}`,
            details: { table, key: rowKey, date },
          },
        );
      return { table, version: versions[table], date, row: found };
    },
  });
  return r;
}
