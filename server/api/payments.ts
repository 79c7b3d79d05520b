/** Payments and receipts: ledger rows marked paid (one, many) and the bureau's payment file (preview, apply). */
import { Router, type Request } from "express";
import { rawUpload, XLSX } from "../http/upload";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { listParams, listQuery, setContentRange } from "../http/list";
import { EntityRepository } from "../entities/repository";
import { fail } from "../errors";
import { payMany, payOne, type BulkPay } from "../payments/service";
import { applyImport, getImport, listImports, previewImport } from "../payments/imports";
import { CITY_PATTERN } from "../../domain/index";

const DATE = { type: "string", format: "date", description: "YYYY-MM-DD" };
const MONTH = { type: "string", format: "month", description: "YYYY-MM" };
const ID = { type: "string", format: "uuid" };
const NOTE = { type: "string", maxLength: 500 };
const HR = ["consultant", "hr_admin"] as const;
const tags = ["payments"];

const paySchema = {
  type: "object",
  additionalProperties: false,
  required: ["paidOn"],
  properties: { paidOn: { ...DATE, description: "The day the bureau received it" }, note: NOTE },
};
const bulkSchema = {
  type: "object",
  additionalProperties: false,
  required: ["paidOn"],
  properties: {
    ids: { type: "array", items: ID, minItems: 1, maxItems: 10_000 },
    filter: {
      type: "object",
      additionalProperties: false,
      required: ["month"],
      properties: { month: MONTH, city: { type: "string", pattern: CITY_PATTERN } },
      description: "Every unpaid row of a month (and city)",
    },
    paidOn: DATE,
    note: NOTE,
  },
};

const tenantOf = (req: Request) => actorOf(req).tenant.id;

export function paymentRoutes(ctx: AppContext): Router {
  const r = Router();

  mount<{ paidOn: string; note?: string }>(r, ctx.doc, {
    method: "post",
    path: "/contributions/:id/pay",
    summary: "Mark one ledger row paid on a day; a late month records the employer's Art. 86 late fee",
    tags,
    roles: [...HR],
    params: { id: ID },
    body: paySchema,
    handler: async (req, _res, body, { params }) => {
      const tenantId = tenantOf(req);
      await payOne(ctx.db, tenantId, params.id, body);
      const repo = new EntityRepository(await ctx.entities.resolve(ctx.db, tenantId, "contributions"));
      return repo.getOne(ctx.db, { tenantId }, params.id);
    },
  });
  mount<BulkPay>(r, ctx.doc, {
    method: "post",
    path: "/contributions/pay",
    summary: "Mark ledger rows paid: {ids} (all of this tenant, else 404 and nothing paid) or {filter: {month, city?}}",
    tags,
    roles: [...HR],
    body: bulkSchema,
    handler: (req, _res, body) => payMany(ctx.db, tenantOf(req), body),
  });

  r.use("/payment-imports", rawUpload(ctx.config.bodyLimit));
  mount(r, ctx.doc, {
    method: "post",
    path: "/payment-imports",
    summary:
      "Preview the bureau's payment file (CSV as text/csv, or XLSX): each row matched, mismatched or unknown; " +
      "stored, nothing paid. Columns employeeNo, month, employer, employee (paidOn optional)",
    tags,
    roles: [...HR],
    rawBody: { type: "text/csv", schema: { type: "string", description: `CSV text; XLSX as ${XLSX}` } },
    query: {
      paidOn: { ...DATE, description: "The day paid for rows without a paidOn column (default today)" },
      fileName: { type: "string", maxLength: 200 },
    },
    responses: {
      201: { description: "The stored preview: rows with status, both figures where they differ, counts" },
      400: { description: "INVALID_PAYMENT_FILE with details.errors [{line, column, message}]" },
    },
    handler: async (req, res, _body, { query }) => {
      const file: string | Buffer | undefined =
        res.locals.upload ?? (typeof req.body === "string" ? req.body : undefined);
      if (file === undefined) throw fail("UNSUPPORTED_MEDIA_TYPE", { type: `text/csv or ${XLSX}` });
      const { tenant, user } = actorOf(req);
      const out = await previewImport(ctx.db, tenant.id, user.id, file, query);
      ctx.logger.info({ tenant: tenant.slug, paymentImport: out.id, counts: out.counts }, "payment file previewed");
      res.status(201);
      return out;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/payment-imports",
    summary: "Stored payment-file previews, newest first (simple-rest; rows left out)",
    tags,
    roles: [...HR],
    query: listParams({ sortFields: ["createdAt"] }),
    handler: async (req, res) => {
      const q = listQuery(req.query, ["createdAt", "DESC"], [0, 24]);
      const { data, total } = await listImports(ctx.db, tenantOf(req), q.range);
      setContentRange(res, "payment-imports", q.range[0], data.length, total);
      return data;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/payment-imports/:id",
    summary: "A stored preview (and its result once applied)",
    tags,
    roles: [...HR],
    params: { id: ID },
    handler: (req, _res, _body, { params }) => getImport(ctx.db, tenantOf(req), params.id),
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/payment-imports/:id/apply",
    summary: "Pay the preview's matched rows in one transaction (mismatched and unknown are reported); idempotent",
    tags,
    roles: [...HR],
    params: { id: ID },
    handler: async (req, _res, _body, { params }) => {
      const { tenant, user } = actorOf(req);
      const out = await applyImport(ctx.db, tenant.id, user.id, params.id);
      ctx.logger.info({ tenant: tenant.slug, paymentImport: out.id, result: out.result }, "payment file applied");
      return out;
    },
  });
  return r;
}
