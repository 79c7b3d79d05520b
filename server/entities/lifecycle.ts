/** Lifecycle entities: enrollment periods, the monthly ledger, alerts and queued reminders. */
import { defineEntity, type EntityDeclaration, type Label } from "./types";
import { citySchema } from "./cities";
import { alertListFilter, present as presentAlert, resolveAlerts } from "../alerts/service";
import { enumLabels, INSURANCE_CODES, INSURANCES, labelsFor, MONTH_PATTERN } from "../../domain/index";

const L = (en: string, zh: string): Label => ({ en, zh });
const ts = { type: "string", format: "date-time", readOnly: true } as const;
const nullableTs = { type: ["string", "null"], format: "date-time" } as const;
const money = { type: "string", format: "decimal" } as const;
const ref = { type: "string", format: "uuid" } as const;
const nullableRef = { type: ["string", "null"], format: "uuid" } as const;
const HR: ("consultant" | "hr_admin")[] = ["consultant", "hr_admin"];
const ALL: ("consultant" | "hr_admin" | "employee")[] = ["consultant", "hr_admin", "employee"];
const stamps = { createdAt: ts, updatedAt: ts };
const stampLabels = { createdAt: L("Created", "创建时间"), updatedAt: L("Updated", "更新时间") };
const INSURANCE = {
  type: "string",
  enum: [...INSURANCE_CODES],
} as const;

export const enrollments = defineEntity({
  name: "enrollments",
  table: "enrollments",
  label: L("Enrollments", "参保登记"),
  schema: {
    type: "object",
    properties: {
      employeeId: ref,
      insuredCity: citySchema,
      insurances: { type: "array", items: INSURANCE },
      base: {
        type: ["string", "null"],
        format: "decimal",
        description: "Declared wage the contribution base is computed from",
      },
      fromDate: { type: "string", format: "date" },
      toDate: { type: ["string", "null"], format: "date" },
      status: { type: "string", enum: ["pending", "active", "ended", "cancelled"], default: "pending" },
      reason: { type: ["string", "null"], maxLength: 200 },
      decisionId: { ...nullableRef, readOnly: true },
      ...stamps,
    },
    required: ["employeeId", "insuredCity", "fromDate", "status"],
  },
  ui: {
    listColumns: ["employeeId", "insuredCity", "fromDate", "toDate", "base", "status", "reason"],
    filterable: ["employeeId", "insuredCity", "fromDate", "toDate", "status", "reason"],
    sortable: ["insuredCity", "fromDate", "toDate", "status", "createdAt"],
    references: { employeeId: "employees", decisionId: "decisions" },
    enumLabels: { status: enumLabels("enrollmentStatus"), insurances: labelsFor(INSURANCES) },
    searchFields: [],
    recordRepresentation: "fromDate",
    fieldLabels: {
      employeeId: L("Employee", "员工"),
      insuredCity: L("Insured city", "参保城市"),
      insurances: L("Insurances", "险种"),
      base: L("Declared wage", "申报工资"),
      fromDate: L("From", "起始日期"),
      toDate: L("To", "截止日期"),
      status: L("Status", "状态"),
      reason: L("Reason", "原因"),
      decisionId: L("Decision", "决策"),
      ...stampLabels,
    },
    readOnly: ["decisionId", "createdAt", "updatedAt"],
  },
  defaultSort: ["fromDate", "DESC"],
  writeRoles: HR,
  readRoles: ALL,
  selfField: "employeeId",
  // An enrollment clears the monthly run's "active but not enrolled" alert.
  afterCreate: async (trx, tenantId, rec, actorId) => {
    if (rec.status === "pending" || rec.status === "active")
      await resolveAlerts(
        trx,
        tenantId,
        { type: "not_enrolled", employeeId: rec.employeeId as string },
        "enrolled",
        actorId,
      );
  },
});

export const contributions = defineEntity({
  name: "contributions",
  table: "contributions",
  label: L("Contributions", "缴费明细"),
  schema: {
    type: "object",
    properties: {
      employeeId: ref,
      month: { type: "string", format: "month", pattern: MONTH_PATTERN },
      city: citySchema,
      base: money,
      employer: money,
      employee: money,
      items: { type: "array", items: { type: "object" } },
      status: { type: "string", enum: ["due", "paid", "not_received"], default: "due" },
      backPaid: { type: "boolean", default: false },
      paidAt: nullableTs,
      ...stamps,
    },
    required: ["employeeId", "month", "city", "base", "employer", "employee", "status"],
  },
  ui: {
    listColumns: ["month", "employeeId", "city", "base", "employer", "employee", "status", "backPaid"],
    filterable: ["employeeId", "month", "city", "status"],
    sortable: ["month", "city", "status", "createdAt"],
    references: { employeeId: "employees" },
    enumLabels: { status: enumLabels("contributionStatus") },
    searchFields: [],
    recordRepresentation: "month",
    fieldLabels: {
      employeeId: L("Employee", "员工"),
      month: L("Month", "月份"),
      city: L("City", "城市"),
      base: L("Base", "缴费基数"),
      employer: L("Employer", "单位缴纳"),
      employee: L("Employee share", "个人缴纳"),
      items: L("Items", "明细"),
      status: L("Status", "状态"),
      backPaid: L("Back-paid", "补缴"),
      paidAt: L("Paid at", "缴纳时间"),
      ...stampLabels,
    },
    readOnly: ["createdAt", "updatedAt"],
  },
  defaultSort: ["month", "DESC"],
  writeRoles: HR,
  readRoles: ALL,
  selfField: "employeeId",
});

export const alerts = defineEntity({
  name: "alerts",
  table: "alerts",
  label: L("Alerts", "预警"),
  schema: {
    type: "object",
    properties: {
      type: { type: "string", minLength: 1, maxLength: 60 },
      severity: { type: "string", enum: ["info", "warning", "critical"], default: "warning" },
      employeeId: nullableRef,
      dueDate: { type: ["string", "null"], format: "date" },
      message: { type: "string", minLength: 1, maxLength: 2000 },
      data: { type: "object" },
      // The lifecycle (resolved included) changes only through /api/alerts/:id/<action>, which keeps a history.
      resolved: { type: "boolean", default: false, readOnly: true },
      resolvedAt: { ...nullableTs, readOnly: true },
      // The lifecycle is changed through /api/alerts/:id/{resolve,snooze,assign} (with a history row).
      snoozedUntil: { type: ["string", "null"], format: "date", readOnly: true },
      assigneeId: { ...nullableRef, readOnly: true },
      resolvedBy: { ...nullableRef, readOnly: true },
      resolution: { type: ["string", "null"], maxLength: 200, readOnly: true },
      dedupeKey: { type: ["string", "null"], maxLength: 300 },
      decisionId: { ...nullableRef, readOnly: true },
      ...stamps,
    },
    required: ["type", "severity", "message"],
  },
  ui: {
    listColumns: ["createdAt", "type", "severity", "employeeId", "dueDate", "message", "resolved"],
    filterable: ["type", "severity", "employeeId", "dueDate", "resolved", "snoozedUntil", "assigneeId", "createdAt"],
    sortable: ["type", "severity", "dueDate", "snoozedUntil", "createdAt"],
    references: { employeeId: "employees", decisionId: "decisions" },
    enumLabels: { type: enumLabels("alertType"), severity: enumLabels("severity") },
    searchFields: [],
    recordRepresentation: "message",
    fieldLabels: {
      type: L("Type", "类型"),
      severity: L("Severity", "级别"),
      employeeId: L("Employee", "员工"),
      dueDate: L("Due", "截止日期"),
      message: L("Message", "内容"),
      data: L("Data", "数据"),
      resolved: L("Resolved", "已处理"),
      resolvedAt: L("Resolved at", "处理时间"),
      snoozedUntil: L("Snoozed until", "暂缓至"),
      assigneeId: L("Assignee", "处理人"),
      resolvedBy: L("Resolved by", "处理者"),
      resolution: L("Resolution", "处理方式"),
      dedupeKey: L("Dedupe key", "去重键"),
      decisionId: L("Decision", "决策"),
      ...stampLabels,
    },
    readOnly: [
      "decisionId",
      "resolved",
      "resolvedAt",
      "snoozedUntil",
      "assigneeId",
      "resolvedBy",
      "resolution",
      "createdAt",
      "updatedAt",
    ],
  },
  defaultSort: ["createdAt", "DESC"],
  writeRoles: HR,
  readRoles: ALL,
  selfField: "employeeId",
  read: { filter: alertListFilter, present: (rec, reader) => presentAlert(rec, reader.locale) },
});

export const reminders = defineEntity({
  name: "reminders",
  table: "reminders",
  label: L("Reminders", "提醒"),
  schema: {
    type: "object",
    properties: {
      employeeId: nullableRef,
      channel: { type: "string" },
      recipient: { type: "string", enum: ["hr", "employee"] },
      template: { type: "string" },
      payload: { type: "object" },
      status: { type: "string", enum: ["queued", "sent"] },
      dueDate: { type: ["string", "null"], format: "date" },
      decisionId: nullableRef,
      ...stamps,
    },
  },
  ui: {
    listColumns: ["createdAt", "recipient", "template", "employeeId", "dueDate", "status"],
    filterable: ["employeeId", "recipient", "template", "status", "dueDate", "createdAt"],
    sortable: ["recipient", "template", "status", "dueDate", "createdAt"],
    references: { employeeId: "employees", decisionId: "decisions" },
    enumLabels: { recipient: enumLabels("recipient"), status: enumLabels("reminderStatus") },
    searchFields: [],
    recordRepresentation: "template",
    fieldLabels: {
      employeeId: L("Employee", "员工"),
      channel: L("Channel", "渠道"),
      recipient: L("Recipient", "接收人"),
      template: L("Template", "模板"),
      payload: L("Content", "内容"),
      status: L("Status", "状态"),
      dueDate: L("Due", "日期"),
      decisionId: L("Decision", "决策"),
      ...stampLabels,
    },
    readOnly: ["createdAt", "updatedAt"],
  },
  defaultSort: ["createdAt", "DESC"],
  writeRoles: [],
  readRoles: ALL,
  selfField: "employeeId",
});

export const lifecycleEntities: EntityDeclaration[] = [enrollments, contributions, alerts, reminders];
