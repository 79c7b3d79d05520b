/** Core entities, declared in code. Tenants add custom fields on top through the API. */
import { defineEntity, type EntityDeclaration, type Label } from "./types";
import { citySchema } from "./cities";
import { enumLabels } from "../../domain/index";
import { employeeWritten } from "../base-declarations/wage-history";

const L = (en: string, zh: string): Label => ({ en, zh });
const ts = { type: "string", format: "date-time", readOnly: true } as const;
const date = { type: "string", format: "date" } as const;
const nullableDate = { type: ["string", "null"], format: "date" } as const;
const money = { type: "string", format: "decimal" } as const;
const _ref = { type: "string", format: "uuid" } as const;
const HR: ("consultant" | "hr_admin")[] = ["consultant", "hr_admin"];
const ALL: ("consultant" | "hr_admin" | "employee")[] = ["consultant", "hr_admin", "employee"];
const stamps = { createdAt: ts, updatedAt: ts };
const stampLabels = { createdAt: L("Created", "创建时间"), updatedAt: L("Updated", "更新时间") };

export const orgUnits = defineEntity({
  name: "org-units",
  table: "org_units",
  label: L("Organisation units", "组织单元"),
  schema: {
    type: "object",
    properties: {
      name: { type: "string", minLength: 1, maxLength: 200 },
      type: { type: "string", enum: ["company", "branch", "store"] },
      city: citySchema,
      parentId: { type: ["string", "null"], format: "uuid" },
      ...stamps,
    },
    required: ["name", "type", "city"],
  },
  ui: {
    listColumns: ["name", "type", "city", "parentId"],
    filterable: ["name", "type", "city", "parentId"],
    sortable: ["name", "type", "city", "createdAt"],
    references: { parentId: "org-units" },
    enumLabels: { type: enumLabels("orgUnitType") },
    searchFields: ["name", "city"],
    recordRepresentation: "name",
    fieldLabels: {
      name: L("Name", "名称"),
      type: L("Type", "类型"),
      city: L("City", "城市"),
      parentId: L("Parent", "上级"),
      ...stampLabels,
    },
    readOnly: ["createdAt", "updatedAt"],
  },
  defaultSort: ["name", "ASC"],
  writeRoles: HR,
  readRoles: HR,
});

export const employees = defineEntity({
  name: "employees",
  table: "employees",
  label: L("Employees", "员工"),
  schema: {
    type: "object",
    properties: {
      employeeNo: { type: "string", minLength: 1, maxLength: 40 },
      name: { type: "string", minLength: 1, maxLength: 100 },
      email: { type: ["string", "null"], format: "email" },
      orgUnitId: { type: ["string", "null"], format: "uuid" },
      insuredCity: citySchema,
      workCity: {
        type: ["string", "null"],
        pattern: citySchema.pattern,
        format: "city",
        description: "Where a remote employee works, when not the insured city",
      },
      hireDate: date,
      leaveDate: nullableDate,
      monthlyWage: money,
      employmentType: { type: "string", enum: ["full_time", "seasonal", "temporary", "remote"] },
      birthDate: nullableDate,
      gender: { type: ["string", "null"], enum: ["male", "female", null] },
      post: {
        type: ["string", "null"],
        enum: ["worker", "cadre", null],
        description: "Retirement category for women: worker (50) or cadre (55)",
      },
      hukouLocal: { type: "boolean", default: false },
      status: { type: "string", enum: ["active", "left"], default: "active" },
      ...stamps,
    },
    required: ["employeeNo", "name", "insuredCity", "hireDate", "monthlyWage", "employmentType"],
  },
  ui: {
    listColumns: [
      "employeeNo",
      "name",
      "orgUnitId",
      "insuredCity",
      "workCity",
      "employmentType",
      "hireDate",
      "monthlyWage",
      "status",
    ],
    filterable: [
      "employeeNo",
      "name",
      "orgUnitId",
      "insuredCity",
      "workCity",
      "hireDate",
      "leaveDate",
      "monthlyWage",
      "employmentType",
      "birthDate",
      "gender",
      "hukouLocal",
      "status",
    ],
    sortable: [
      "employeeNo",
      "name",
      "insuredCity",
      "workCity",
      "hireDate",
      "leaveDate",
      "monthlyWage",
      "employmentType",
      "birthDate",
      "createdAt",
    ],
    references: { orgUnitId: "org-units" },
    enumLabels: {
      employmentType: enumLabels("employmentType"),
      gender: enumLabels("gender"),
      post: enumLabels("post"),
      status: enumLabels("employeeStatus"),
    },
    searchFields: ["name", "employeeNo", "email"],
    recordRepresentation: "name",
    fieldLabels: {
      employeeNo: L("Employee no.", "工号"),
      name: L("Name", "姓名"),
      email: L("Email", "邮箱"),
      orgUnitId: L("Org unit", "组织单元"),
      insuredCity: L("Insured city", "参保城市"),
      workCity: L("Work city", "工作城市"),
      hireDate: L("Hire date", "入职日期"),
      leaveDate: L("Leave date", "离职日期"),
      monthlyWage: L("Monthly wage", "月工资"),
      employmentType: L("Employment type", "用工类型"),
      birthDate: L("Birth date", "出生日期"),
      gender: L("Gender", "性别"),
      post: L("Post", "岗位类别"),
      hukouLocal: L("Local hukou", "本地户籍"),
      status: L("Status", "状态"),
      ...stampLabels,
    },
    readOnly: ["createdAt", "updatedAt"],
  },
  defaultSort: ["employeeNo", "ASC"],
  check: (r): Record<string, string> =>
    typeof r.leaveDate === "string" && typeof r.hireDate === "string" && r.leaveDate < r.hireDate
      ? { leaveDate: "must not be before the hire date" }
      : {},
  afterWrite: employeeWritten,
  writeRoles: HR,
  readRoles: ALL,
  selfField: "id",
});

export const coreEntities: EntityDeclaration[] = [orgUnits, employees];
