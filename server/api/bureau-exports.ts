/** Bureau files (增减员): export a city's month of additions and removals, and download recorded ones. */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { CITY_PATTERN } from "../../domain/index";
import { createBureauExport, writeBureauFile, type ExportInput } from "../bureau-exports/service";

const HR = ["consultant", "hr_admin"] as const;
const tags = ["bureau-exports"];
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const exportSchema = {
  type: "object",
  additionalProperties: false,
  required: ["city", "month"],
  properties: {
    city: { type: "string", pattern: CITY_PATTERN, format: "city", description: "GB/T 2260 code" },
    month: { type: "string", format: "month", description: "YYYY-MM" },
    format: { type: "string", enum: ["csv", "xlsx"], default: "xlsx" },
    includeExported: { type: "boolean", description: "Export rows already exported again" },
  },
};

const tenant = (req: Request) => actorOf(req).tenant.id;

export function bureauExportRoutes(ctx: AppContext): Router {
  const r = Router();
  mount<ExportInput>(r, ctx.doc, {
    method: "post",
    path: "/bureau-exports",
    summary:
      "Record a 增减员 export: the additions and removals of the city in the month, in the city's layout " +
      "(bureau-file-layouts), leaving out rows exported before unless includeExported; download it from /file",
    tags,
    roles: [...HR],
    body: exportSchema,
    handler: async (req, res, body) => {
      const rec = await createBureauExport(
        ctx.db,
        tenant(req),
        { ...body, format: body.format ?? "xlsx" },
        actorOf(req).user.id,
      );
      res.status(201);
      return rec;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/bureau-exports/:id/file",
    summary: "The recorded 增减员 file (CSV or XLSX; formula-leading cells escaped)",
    tags,
    roles: [...HR],
    params: { id: { type: "string", format: "uuid" } },
    handler: async (req, res, _body, { params }) => {
      const { rec, write } = await writeBureauFile(ctx.db, tenant(req), params.id, res);
      res.setHeader("Content-Disposition", `attachment; filename="bureau-${rec.city}-${rec.month}.${rec.format}"`);
      res.type(rec.format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE);
      try {
        await write();
      } catch (err) {
        ctx.logger.error({ err, bureauExport: rec.id }, "bureau file failed");
        res.destroy(err as Error);
      }
    },
  });
  return r;
}
