/**
 * Custom reports: simple-rest /api/reports (id = key) with revisions, versions and a diff like other authored
 * assets; the dataset catalogue for the builder; running a saved or unsaved spec; streaming exports.
 */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { mountVersionRoutes } from "../http/version-routes";
import { jsonParam } from "../http/validate";
import { localeOf } from "../http/errors";
import { listParams, listQuery, setContentRange } from "../http/list";
import { DOC_FILTER, DOC_SORT, documentSchemas, keyParams, publishSchema } from "../http/document-schemas";
import { ReportService, reportStore } from "../reports/service";
import { BUILTIN_REPORTS } from "../reports/builtin";
import { reportSpecSchema, type ReportSpec } from "../reports/spec";
import { verifyReportLink } from "../reports/links";

const meta = {
  name: { type: "string", minLength: 1, maxLength: 200 },
  description: { type: ["string", "null"], maxLength: 2000 },
  industry: { type: ["string", "null"], maxLength: 50 },
};
const { properties } = reportSpecSchema;
const content = {
  dataset: properties.dataset,
  filters: { type: ["object", "null"] },
  dimensions: { type: ["array", "null"] },
  measures: { type: ["array", "null"] },
  sort: { type: ["array", "null"] },
  limit: { type: ["integer", "null"] },
  params: { type: ["object", "null"] },
  chart: { type: ["object", "null"] },
  totals: { type: ["boolean", "null"] },
  pinned: { type: ["boolean", "null"] },
};
const { createSchema, saveSchema } = documentSchemas(meta, content, ["dataset"]);
const PARAMS = { type: "object", maxProperties: 20 };
const runSchema = {
  type: "object",
  additionalProperties: false,
  properties: { params: PARAMS, version: { type: "integer", minimum: 1, maximum: 2147483647 } },
};
const previewSchema = {
  type: "object",
  additionalProperties: false,
  required: ["spec"],
  properties: { spec: { type: "object" }, params: PARAMS },
};
const exportQuery = {
  format: { enum: ["csv", "xlsx"], default: "csv" },
  params: jsonParam(PARAMS),
  version: { type: "integer", minimum: 1, maximum: 2147483647 },
};

/** A delivered report's signed download link (no login: the token is the permission, and it expires). */
export function publicReportRoutes(ctx: AppContext): Router {
  const r = Router();
  const service = new ReportService();
  mount(r, ctx.doc, {
    method: "get",
    path: "/reports/shared/:token",
    params: { token: { type: "string", minLength: 10, maxLength: 4000, pattern: "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$" } },
    summary: "Download a delivered report through its signed, expiring link",
    tags: ["reports"],
    public: true,
    handler: async (req, res) => {
      const link = verifyReportLink(await ctx.tokenSecret(), String(req.params.token));
      const spec = await service.specOf(ctx.db, link.tenantId, link.key);
      await service.resolve(ctx.db, link.tenantId, spec);
      service.params(spec, link.params);
      res.setHeader("Content-Disposition", `attachment; filename="${link.key}.${link.format}"`);
      res.type(link.format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE);
      try {
        await service.export(ctx.db, link.tenantId, spec, link.params, "zh", link.format, res);
      } catch (err) {
        ctx.logger.error({ err, report: link.key }, "shared report export failed");
        res.destroy(err as Error);
      }
    },
  });
  return r;
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function reportRoutes(ctx: AppContext): Router {
  const r = Router();
  const service = new ReportService();
  const tenant = (req: Request) => actorOf(req).tenant.id;
  const key = (req: Request) => String(req.params.key);
  const lang = (req: Request) => (localeOf(req) === "zh-CN" ? "zh" : "en");
  const tags = ["reports"];
  const READ = ["consultant", "hr_admin"] as const;

  mount(r, ctx.doc, {
    method: "get",
    path: "/reports/datasets",
    summary: "Datasets and their fields (with the tenant's custom fields) for the report builder",
    tags,
    roles: [...READ],
    handler: (req) => service.catalogue(ctx.db, tenant(req), lang(req)),
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/reports/schema",
    summary: "JSON Schema of a report spec (for editors)",
    tags,
    roles: [...READ],
    handler: () => reportSpecSchema,
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/reports/builtin",
    summary: "The reports Ordo ships, to copy and change",
    tags,
    roles: [...READ],
    handler: () => BUILTIN_REPORTS,
  });
  mount<{ spec: Record<string, unknown>; params?: Record<string, unknown> }>(r, ctx.doc, {
    method: "post",
    path: "/reports/run",
    audit: false,
    summary: "Run an unsaved spec (the builder's preview): {spec, params}",
    tags,
    roles: [...READ],
    body: previewSchema,
    handler: (req, _res, body) =>
      service.run(ctx.db, tenant(req), body.spec as unknown as ReportSpec, body.params ?? {}, lang(req), "/spec"),
  });

  mount(r, ctx.doc, {
    method: "get",
    path: "/reports",
    summary: "List reports (simple-rest)",
    tags,
    roles: [...READ],
    query: listParams({ sortFields: DOC_SORT, filter: DOC_FILTER }),
    handler: async (req, res) => {
      const q = listQuery(req.query, ["name", "ASC"]);
      const { data, total } = await reportStore.list(ctx.db, tenant(req), q);
      setContentRange(res, "reports", q.range[0], data.length, total);
      return data;
    },
  });
  mount<Record<string, unknown>>(r, ctx.doc, {
    method: "post",
    path: "/reports",
    summary: "Create a report (the spec is checked against its dataset)",
    tags,
    roles: ["consultant"],
    body: createSchema,
    handler: async (req, res, body) => {
      const rec = await service.create(ctx.db, tenant(req), body, actorOf(req).user);
      res.status(201);
      return rec;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/reports/:key",
    params: keyParams,
    summary: "A report with its current spec",
    tags,
    roles: [...READ],
    handler: (req) => reportStore.get(ctx.db, tenant(req), key(req)),
  });
  mount<Record<string, unknown>>(r, ctx.doc, {
    method: "put",
    path: "/reports/:key",
    params: keyParams,
    summary: "Save the spec (send the revision you loaded; 409 if stale)",
    tags,
    roles: ["consultant"],
    body: saveSchema,
    handler: (req, _res, body) => service.save(ctx.db, tenant(req), key(req), body, actorOf(req).user),
  });
  mount(r, ctx.doc, {
    method: "delete",
    path: "/reports/:key",
    params: keyParams,
    summary: "Delete a report and its versions",
    tags,
    roles: ["consultant"],
    handler: (req) => reportStore.remove(ctx.db, tenant(req), key(req)),
  });
  mountVersionRoutes(r, ctx, {
    base: "/reports",
    store: reportStore,
    tags,
    readRoles: READ,
    writeRoles: ["consultant"],
    diff: (c, tenantId, k, a, b) => service.diff(c.db, tenantId, k, a, b),
    diffSummary: "What changed between two versions (or draft): pointers with old and new values",
  });
  mount<{ note?: string }>(r, ctx.doc, {
    method: "post",
    path: "/reports/:key/publish",
    params: keyParams,
    summary: "Publish the current spec as an immutable version",
    tags,
    roles: ["consultant"],
    body: publishSchema,
    handler: async (req, res, body) => {
      res.status(201);
      return service.publish(ctx.db, tenant(req), key(req), body, actorOf(req).user);
    },
  });
  mount<{ params?: Record<string, unknown>; version?: number }>(r, ctx.doc, {
    method: "post",
    path: "/reports/:key/run",
    audit: false,
    params: keyParams,
    summary: "Run a saved report: {columns, rows, totals?}",
    tags,
    roles: [...READ],
    body: runSchema,
    handler: async (req, _res, body) => {
      const spec = await service.specOf(ctx.db, tenant(req), key(req), body.version);
      return service.run(ctx.db, tenant(req), spec, body.params ?? {}, lang(req));
    },
  });
  mount<unknown, { format: "csv" | "xlsx"; params?: Record<string, unknown>; version?: number }>(r, ctx.doc, {
    method: "get",
    path: "/reports/:key/export",
    params: keyParams,
    summary: "Stream the whole result as CSV or XLSX (formula-leading cells escaped)",
    tags,
    roles: [...READ],
    query: exportQuery,
    handler: async (req, res, _body, { query }) => {
      const spec = await service.specOf(ctx.db, tenant(req), key(req), query.version);
      // Checked before the first byte, so a bad spec or parameter is still a JSON 400.
      await service.resolve(ctx.db, tenant(req), spec);
      service.params(spec, query.params ?? {});
      const format = query.format ?? "csv";
      const file = `${key(req)}-${new Date().toISOString().slice(0, 10)}.${format}`;
      res.setHeader("Content-Disposition", `attachment; filename="${file}"`);
      res.type(
        format === "csv"
          ? "text/csv; charset=utf-8"
          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      );
      try {
        await service.export(ctx.db, tenant(req), spec, query.params ?? {}, lang(req), format, res);
      } catch (err) {
        // Headers are gone: end the download broken rather than pretend it is complete.
        ctx.logger.error({ err, report: key(req) }, "report export failed");
        res.destroy(err as Error);
      }
    },
  });
  return r;
}
