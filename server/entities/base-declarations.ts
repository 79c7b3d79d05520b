/**
 * Wage history and the annual base declaration as resources. Wage changes are simple-rest like any
 * entity; declarations and their lines are read here and written only through /api/base-declarations
 * (create, edit a line with a reason, confirm), so a confirmed declaration cannot be changed.
 */
import { defineEntity, type EntityDeclaration, type Label } from "./types";
import { citySchema } from "./cities";
import { enumLabels, MONTH_PATTERN } from "../../domain/index";

const L = (en: string, zh: string): Label => ({ en, zh });
const ts = { type: "string", format: "date-time", readOnly: true } as const;
const nullableTs = { type: ["string", "null"], format: "date-time", readOnly: true } as const;
const money = { type: "string", format: "decimal" } as const;
const ref = { type: "string", format: "uuid" } as const;
const month = { type: "string", format: "month", pattern: MONTH_PATTERN } as const;
const HR: ("consultant" | "hr_admin")[] = ["consultant", "hr_admin"];
const ALL: ("consultant" | "hr_admin" | "employee")[] = ["consultant", "hr_admin", "employee"];
const stamps = { createdAt: ts, updatedAt: ts };
const stampLabels = { createdAt: L("Created", "创建时间"), updatedAt: L("Updated", "更新时间") };

export const wageChanges = defineEntity({
  name: "wage-changes",
  table: "wage_changes",
  label: L("Wage history", "工资变动记录"),
  schema: {
    type: "object",
    properties: {
      employeeId: ref,
      effectiveMonth: month,
      wage: money,
      previousWage: { type: ["string", "null"], format: "decimal" },
      source: { type: "string", enum: ["hire", "wage_change", "edit", "manual", "seed"], default: "manual" },
      reason: { type: ["string", "null"], maxLength: 500 },
      ...stamps,
    },
    required: ["employeeId", "effectiveMonth", "wage"],
  },
  ui: {
    listColumns: ["employeeId", "effectiveMonth", "wage", "previousWage", "source", "reason", "createdAt"],
    filterable: ["employeeId", "effectiveMonth", "source", "createdAt"],
    sortable: ["effectiveMonth", "source", "createdAt"],
    references: { employeeId: "employees" },
    enumLabels: { source: enumLabels("wageChangeSource") },
    searchFields: [],
    recordRepresentation: "effectiveMonth",
    fieldLabels: {
      employeeId: L("Employee", "员工"),
      effectiveMonth: L("Effective month", "生效月份"),
      wage: L("Monthly wage", "月工资"),
      previousWage: L("Previous wage", "调整前工资"),
      source: L("Source", "来源"),
      reason: L("Reason", "原因"),
      ...stampLabels,
    },
    readOnly: ["createdAt", "updatedAt"],
  },
  defaultSort: ["effectiveMonth", "DESC"],
  writeRoles: HR,
  readRoles: ALL,
  selfField: "employeeId",
});

export const baseDeclarations = defineEntity({
  name: "base-declarations",
  table: "base_declarations",
  label: L("Base declarations", "年度基数申报"),
  schema: {
    type: "object",
    properties: {
      city: citySchema,
      baseYear: { type: "integer", minimum: 1990, maximum: 2199 },
      startMonth: month,
      endMonth: month,
      status: { type: "string", enum: ["draft", "confirmed"] },
      employees: { type: "integer", minimum: 0 },
      createdBy: { type: ["string", "null"], format: "uuid", readOnly: true },
      confirmedBy: { type: ["string", "null"], format: "uuid", readOnly: true },
      confirmedAt: nullableTs,
      ...stamps,
    },
    required: ["city", "baseYear"],
  },
  ui: {
    listColumns: ["city", "baseYear", "startMonth", "endMonth", "status", "employees", "confirmedAt"],
    filterable: ["city", "baseYear", "status", "startMonth", "createdAt"],
    sortable: ["baseYear", "status", "startMonth", "createdAt"],
    references: {},
    enumLabels: { status: enumLabels("baseDeclarationStatus") },
    searchFields: [],
    recordRepresentation: "baseYear",
    fieldLabels: {
      city: L("City", "城市"),
      baseYear: L("Base year", "基数年度"),
      startMonth: L("From", "起始月份"),
      endMonth: L("To", "截止月份"),
      status: L("Status", "状态"),
      employees: L("Employees", "人数"),
      createdBy: L("Created by", "创建人"),
      confirmedBy: L("Confirmed by", "确认人"),
      confirmedAt: L("Confirmed at", "确认时间"),
      ...stampLabels,
    },
    readOnly: ["startMonth", "endMonth", "status", "employees", "createdAt", "updatedAt"],
  },
  defaultSort: ["baseYear", "DESC"],
  writeRoles: [],
  readRoles: HR,
});

export const baseDeclarationLines = defineEntity({
  name: "base-declaration-lines",
  table: "base_declaration_lines",
  label: L("Declared bases", "申报基数明细"),
  schema: {
    type: "object",
    properties: {
      declarationId: ref,
      employeeId: ref,
      method: { type: "string", enum: ["average", "first_month", "current_wage"] },
      months: { type: "integer", minimum: 0 },
      computedWage: money,
      base: money,
      bases: { type: "object", description: "the declared base clamped to each insurance's limits" },
      reason: { type: ["string", "null"], maxLength: 500 },
      editedBy: { type: ["string", "null"], format: "uuid", readOnly: true },
      editedAt: nullableTs,
      ...stamps,
    },
  },
  ui: {
    listColumns: ["employeeId", "method", "months", "computedWage", "base", "reason", "editedAt"],
    filterable: ["declarationId", "employeeId", "method"],
    sortable: ["method", "createdAt"],
    references: { declarationId: "base-declarations", employeeId: "employees" },
    enumLabels: { method: enumLabels("baseDeclarationMethod") },
    searchFields: [],
    recordRepresentation: "base",
    fieldLabels: {
      declarationId: L("Declaration", "申报"),
      employeeId: L("Employee", "员工"),
      method: L("Computed from", "计算依据"),
      months: L("Months averaged", "平均月数"),
      computedWage: L("Computed wage", "计算工资"),
      base: L("Declared base", "申报基数"),
      bases: L("Bases by insurance", "各险种基数"),
      reason: L("Reason for change", "修改原因"),
      editedBy: L("Edited by", "修改人"),
      editedAt: L("Edited at", "修改时间"),
      ...stampLabels,
    },
    readOnly: ["editedBy", "editedAt", "createdAt", "updatedAt"],
  },
  defaultSort: ["createdAt", "ASC"],
  writeRoles: [],
  readRoles: ALL,
  selfField: "employeeId",
});

export const baseDeclarationEntities: EntityDeclaration[] = [wageChanges, baseDeclarations, baseDeclarationLines];
