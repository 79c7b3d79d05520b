/** Recorded bureau exports (增减员 files): read-only here, created by POST /api/bureau-exports. */
import { defineEntity } from "./types";
import { citySchema } from "./cities";

const L = (en: string, zh: string) => ({ en, zh });

export const bureauExports = defineEntity({
  name: "bureau-exports",
  table: "bureau_exports",
  label: L("Bureau files", "增减员文件"),
  schema: {
    type: "object",
    properties: {
      city: citySchema,
      month: { type: "string", format: "month" },
      format: { type: "string", enum: ["csv", "xlsx"] },
      rows: { type: "integer" },
      includeExported: { type: "boolean" },
      createdBy: { type: ["string", "null"], format: "uuid" },
      createdAt: { type: "string", format: "date-time", readOnly: true },
    },
  },
  ui: {
    listColumns: ["createdAt", "city", "month", "format", "rows", "includeExported"],
    filterable: ["city", "month", "format", "createdAt"],
    sortable: ["createdAt", "city", "month"],
    references: {},
    enumLabels: {},
    searchFields: [],
    recordRepresentation: "month",
    fieldLabels: {
      city: L("City", "城市"),
      month: L("Month", "月份"),
      format: L("Format", "格式"),
      rows: L("Rows", "行数"),
      includeExported: L("Included exported rows", "含已导出行"),
      createdBy: L("By", "操作人"),
      createdAt: L("Exported at", "导出时间"),
    },
    readOnly: ["createdAt"],
  },
  defaultSort: ["createdAt", "DESC"],
  writeRoles: [],
  readRoles: ["consultant", "hr_admin"],
});
