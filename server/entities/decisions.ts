/** Applied rule decisions: read-only, so "why did this happen" always has an answer. */
import { defineEntity } from "./types";
import { enumLabels } from "../../domain/enums";

const L = (en: string, zh: string) => ({ en, zh });

export const decisions = defineEntity({
  name: "decisions",
  table: "decisions",
  label: L("Decisions", "决策记录"),
  schema: {
    type: "object",
    properties: {
      ruleSet: { type: "string" },
      version: { type: ["integer", "null"] },
      operation: { type: "string" },
      employeeId: { type: ["string", "null"], format: "uuid" },
      facts: { type: "object" },
      events: { type: "array" },
      trace: { type: "array" },
      actions: { type: "array" },
      actorId: { type: ["string", "null"], format: "uuid" },
      createdAt: { type: "string", format: "date-time", readOnly: true },
    },
  },
  ui: {
    listColumns: ["createdAt", "ruleSet", "version", "operation", "employeeId"],
    filterable: ["ruleSet", "operation", "employeeId", "createdAt"],
    sortable: ["createdAt", "ruleSet", "operation"],
    references: { employeeId: "employees" },
    enumLabels: { operation: enumLabels("lifecycleOperation") },
    searchFields: [],
    recordRepresentation: "ruleSet",
    fieldLabels: {
      ruleSet: L("Rule set", "规则集"),
      version: L("Version", "版本"),
      operation: L("Operation", "操作"),
      employeeId: L("Employee", "员工"),
      facts: L("Facts", "事实"),
      events: L("Events", "事件"),
      trace: L("Trace", "追踪"),
      actions: L("Actions", "动作"),
      actorId: L("By", "操作人"),
      createdAt: L("Time", "时间"),
    },
    readOnly: ["createdAt"],
  },
  defaultSort: ["createdAt", "DESC"],
  writeRoles: [],
  readRoles: ["consultant", "hr_admin"],
});
