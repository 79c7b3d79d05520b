/** Batch upload of hires, wage changes and leaves: upload (validated + dry-run preview), read, apply as a job. */
import { Router } from "express";
import { rawUpload, XLSX } from "../http/upload";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { localeOf } from "../http/errors";
import { mount } from "../http/route";
import { listParams, listQuery, setContentRange } from "../http/list";
import { fail } from "../errors";
import { insertJob } from "../jobs/store";
import { batchTemplate } from "../batches/file";
import {
  BATCH_JOB,
  batchView,
  createBatch,
  getBatch,
  listBatches,
  prepareApply,
  type ApplyMode,
} from "../batches/service";

const ID = { type: "string", format: "uuid" };
const HR = ["consultant", "hr_admin"] as const;
const tags = ["batches"];

export function batchRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use("/batches", rawUpload(ctx.config.bodyLimit));
  mount(r, ctx.doc, {
    method: "post",
    path: "/batches",
    summary:
      "Upload hires, wage changes and leaves (CSV as text/csv, or XLSX): every cell checked (line and column), " +
      "each valid row previewed by a dry run of its operation; stored, nothing applied. " +
      "Columns kind, employeeNo, date (name, insuredCity, monthlyWage, employmentType, hukouLocal)",
    tags,
    roles: [...HR],
    rawBody: { type: "text/csv", schema: { type: "string", description: `CSV text; XLSX as ${XLSX}` } },
    query: {
      fileName: { type: "string", maxLength: 200 },
      at: { type: "string", format: "date", description: "The evaluation date of the operations (default today)" },
    },
    responses: {
      201: { description: "The stored batch: rows with status and preview, cell errors, counts" },
      400: { description: "INVALID_BATCH_FILE: the file cannot be read at all" },
    },
    handler: async (req, res, _body, { query }) => {
      const file: string | Buffer | undefined =
        res.locals.upload ?? (typeof req.body === "string" ? req.body : undefined);
      if (file === undefined) throw fail("UNSUPPORTED_MEDIA_TYPE", { type: `text/csv or ${XLSX}` });
      const { tenant, user } = actorOf(req);
      const row = await createBatch(ctx, tenant.id, user.id, file, query);
      ctx.logger.info({ tenant: tenant.slug, batch: row.id, counts: row.counts }, "batch previewed");
      res.status(201);
      return batchView(ctx.db, tenant.id, row, localeOf(req));
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/batches/template.csv",
    summary: "A CSV template: the header and an example row of each kind",
    tags,
    roles: [...HR],
    handler: (_req, res) => {
      res.type("text/csv").attachment("batch-template.csv").send(`\ufeff${batchTemplate()}`);
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/batches",
    summary: "Uploaded batches, newest first (simple-rest; rows left out)",
    tags,
    roles: [...HR],
    query: listParams({ sortFields: ["createdAt"] }),
    handler: async (req, res) => {
      const q = listQuery(req.query, ["createdAt", "DESC"], [0, 24]);
      const { data, total } = await listBatches(ctx.db, actorOf(req).tenant.id, q.range);
      setContentRange(res, "batches", q.range[0], data.length, total);
      return data;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/batches/:id",
    summary: "A batch: rows (status, preview, errors), cell errors, counts, the apply job's progress, result",
    tags,
    roles: [...HR],
    params: { id: ID },
    handler: (req, _res, _body, { params }) => getBatch(ctx.db, actorOf(req).tenant.id, params.id, localeOf(req)),
  });
  mount<{ mode: ApplyMode }>(r, ctx.doc, {
    method: "post",
    path: "/batches/:id/apply",
    summary:
      'Apply a previewed batch as a queued job: mode "valid" applies every valid row, "all" applies all or ' +
      "nothing (refused with 409 if any row is invalid or would fail); ?wait=true runs it before answering",
    tags,
    roles: [...HR],
    params: { id: ID },
    query: { wait: { type: "boolean" } },
    body: {
      type: "object",
      additionalProperties: false,
      required: ["mode"],
      properties: { mode: { enum: ["valid", "all"] } },
    },
    handler: async (req, res, body, { params, query }) => {
      const { tenant, user } = actorOf(req);
      const { row, pending } = await prepareApply(ctx.db, tenant.id, params.id, body.mode);
      if (pending < 0) return batchView(ctx.db, tenant.id, row, localeOf(req));
      const claimed = await ctx
        .db("batches")
        .where({ tenant_id: tenant.id, id: row.id })
        .whereIn("status", ["previewed", "failed"])
        .update({ status: "applying", mode: body.mode, updated_at: ctx.db.fn.now() });
      if (!claimed) return getBatch(ctx.db, tenant.id, row.id, localeOf(req));
      const job = {
        params: { batchId: row.id, mode: body.mode },
        total: pending,
        actorId: user.id,
        singletonKey: row.id,
      };
      const { id: jobId } =
        query.wait === true
          ? await insertJob(ctx.db, tenant.id, { ...job, type: BATCH_JOB })
          : await ctx.jobs.enqueue(BATCH_JOB, tenant.id, job);
      await ctx.db("batches").where({ tenant_id: tenant.id, id: row.id }).update({ job_id: jobId });
      if (query.wait === true) await ctx.jobs.runNow(BATCH_JOB, tenant.id, jobId);
      else res.status(202);
      return getBatch(ctx.db, tenant.id, row.id, localeOf(req));
    },
  });
  return r;
}
