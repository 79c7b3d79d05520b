/** Per-tenant cron schedules of queue jobs (the monthly run on the 1st at 02:00 Asia/Shanghai, say). */
import { defineEntity, type Label } from "./types";
import { codesOf, enumLabels } from "../../domain/index";
import { cronProblem, DEFAULT_TIMEZONE, timezoneProblem } from "../jobs/cron";
import { deliveryProblems } from "../reports/delivery-params";
import { checkDeliveryReferences } from "../reports/delivery";

const L = (en: string, zh: string): Label => ({ en, zh });
const ts = { type: "string", format: "date-time", readOnly: true } as const;

export const schedules = defineEntity({
  name: "schedules",
  table: "schedules",
  label: L("Schedules", "定时任务"),
  schema: {
    type: "object",
    properties: {
      jobType: { type: "string", enum: codesOf("scheduleJobType") },
      cron: {
        type: "string",
        maxLength: 100,
        description: "分 时 日 月 周 · minute hour day month weekday, e.g. 0 2 1 * *",
      },
      timezone: { type: "string", maxLength: 64, default: DEFAULT_TIMEZONE, description: "IANA 时区 · time zone" },
      target: {
        type: ["string", "null"],
        maxLength: 63,
        description: "报表定时发送：报表标识 · report delivery: the report's key",
      },
      params: { type: "object", default: {} },
      enabled: { type: "boolean", default: true },
      lastFiredAt: { type: ["string", "null"], format: "date-time", readOnly: true },
      createdAt: ts,
      updatedAt: ts,
    },
    required: ["jobType", "cron"],
  },
  ui: {
    listColumns: ["jobType", "target", "cron", "timezone", "enabled", "lastFiredAt"],
    filterable: ["jobType", "enabled"],
    sortable: ["jobType", "cron", "createdAt"],
    references: {},
    enumLabels: { jobType: enumLabels("scheduleJobType") },
    searchFields: [],
    recordRepresentation: "jobType",
    fieldLabels: {
      jobType: L("Job", "任务"),
      cron: L("Cron expression", "Cron 表达式"),
      timezone: L("Time zone", "时区"),
      target: L("Target", "对象"),
      params: L("Parameters", "参数"),
      enabled: L("Enabled", "启用"),
      lastFiredAt: L("Last run queued", "上次触发"),
      createdAt: L("Created", "创建时间"),
      updatedAt: L("Updated", "更新时间"),
    },
    readOnly: ["lastFiredAt", "createdAt", "updatedAt"],
  },
  defaultSort: ["jobType", "ASC"],
  writeRoles: ["consultant", "hr_admin"],
  readRoles: ["consultant", "hr_admin"],
  // A report delivery names a report and users of the same tenant.
  afterWrite: (trx, tenantId, _before, after) => checkDeliveryReferences(trx, tenantId, after),
  check: (r) => {
    const problems: Record<string, string> = {};
    const tz = (r.timezone as string | undefined) ?? DEFAULT_TIMEZONE;
    const tzProblem = timezoneProblem(tz);
    if (tzProblem) problems.timezone = tzProblem;
    const c = cronProblem(r.cron, tzProblem ? "UTC" : tz);
    if (c) problems.cron = c;
    if (r.jobType === "report-delivery") Object.assign(problems, deliveryProblems(r.target, r.params));
    return problems;
  },
});
