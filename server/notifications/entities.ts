/** The outbox and its delivery log as read-only simple-rest resources (writes go through the outbox). */
import { defineEntity, type EntityDeclaration, type Label } from "../entities/types";
import { enumLabels } from "../../domain/index";

const L = (en: string, zh: string): Label => ({ en, zh });
const ts = { type: "string", format: "date-time", readOnly: true } as const;
const nullableTs = { type: ["string", "null"], format: "date-time" } as const;
const nullableRef = { type: ["string", "null"], format: "uuid" } as const;
const text = { type: "string" } as const;
const HR: ("consultant" | "hr_admin")[] = ["consultant", "hr_admin"];

export const notifications = defineEntity({
  name: "notifications",
  table: "notifications",
  label: L("Outbox", "发件箱"),
  schema: {
    type: "object",
    properties: {
      status: { type: "string", enum: ["queued", "sending", "sent", "failed", "dead", "cancelled"] },
      template: text,
      templateVersion: { type: ["integer", "null"] },
      audience: { type: "string", enum: ["hr", "employee"] },
      employeeId: nullableRef,
      channel: text,
      locale: text,
      period: text,
      subject: text,
      body: text,
      facts: { type: "object" },
      digest: { type: "boolean" },
      attempts: { type: "integer" },
      nextAttemptAt: nullableTs,
      lastError: { type: ["string", "null"] },
      dueDate: { type: ["string", "null"], format: "date" },
      sentAt: nullableTs,
      readAt: nullableTs,
      digestId: nullableRef,
      idempotencyKey: text,
      decisionId: nullableRef,
      createdAt: ts,
      updatedAt: ts,
    },
  },
  ui: {
    listColumns: ["createdAt", "status", "channel", "audience", "employeeId", "template", "subject", "attempts"],
    filterable: ["status", "channel", "audience", "employeeId", "template", "createdAt"],
    sortable: ["status", "channel", "template", "createdAt"],
    references: { employeeId: "employees", decisionId: "decisions" },
    enumLabels: {
      status: enumLabels("notificationStatus"),
      channel: enumLabels("notificationChannel"),
      audience: enumLabels("recipient"),
    },
    searchFields: [],
    recordRepresentation: "subject",
    fieldLabels: {
      status: L("Status", "状态"),
      template: L("Template", "模板"),
      templateVersion: L("Template version", "模板版本"),
      audience: L("Recipient", "接收人"),
      employeeId: L("Employee", "员工"),
      channel: L("Channel", "渠道"),
      locale: L("Language", "语言"),
      period: L("Period", "周期"),
      subject: L("Subject", "标题"),
      body: L("Message", "内容"),
      facts: L("Facts", "事实"),
      digest: L("Digest", "合并发送"),
      attempts: L("Attempts", "尝试次数"),
      nextAttemptAt: L("Next attempt", "下次尝试"),
      lastError: L("Last error", "最近错误"),
      dueDate: L("Due", "截止日期"),
      sentAt: L("Sent at", "发送时间"),
      readAt: L("Read at", "阅读时间"),
      digestId: L("Digest", "合并消息"),
      idempotencyKey: L("Idempotency key", "幂等键"),
      decisionId: L("Decision", "决策"),
      createdAt: L("Queued at", "入队时间"),
      updatedAt: L("Updated", "更新时间"),
    },
    readOnly: ["createdAt", "updatedAt"],
  },
  defaultSort: ["createdAt", "DESC"],
  writeRoles: [],
  readRoles: HR,
});

export const notificationAttempts = defineEntity({
  name: "notification-attempts",
  table: "notification_attempts",
  label: L("Delivery log", "投递记录"),
  schema: {
    type: "object",
    properties: {
      notificationId: { type: "string", format: "uuid" },
      attempt: { type: "integer" },
      channel: text,
      outcome: { type: "string", enum: ["sent", "failed", "dead"] },
      errorCode: { type: ["string", "null"] },
      durationMs: { type: "integer" },
      createdAt: ts,
      updatedAt: ts,
    },
  },
  ui: {
    listColumns: ["createdAt", "notificationId", "attempt", "channel", "outcome", "errorCode", "durationMs"],
    filterable: ["notificationId", "channel", "outcome", "createdAt"],
    sortable: ["createdAt", "attempt", "outcome"],
    references: { notificationId: "notifications" },
    enumLabels: { outcome: enumLabels("deliveryOutcome"), channel: enumLabels("notificationChannel") },
    searchFields: [],
    recordRepresentation: "outcome",
    fieldLabels: {
      notificationId: L("Notification", "通知"),
      attempt: L("Attempt", "第几次"),
      channel: L("Channel", "渠道"),
      outcome: L("Outcome", "结果"),
      errorCode: L("Error code", "错误代码"),
      durationMs: L("Duration (ms)", "耗时（毫秒）"),
      createdAt: L("Time", "时间"),
      updatedAt: L("Updated", "更新时间"),
    },
    readOnly: ["createdAt", "updatedAt"],
  },
  defaultSort: ["createdAt", "ASC"],
  writeRoles: [],
  readRoles: HR,
});

export const notificationEntities: EntityDeclaration[] = [notifications, notificationAttempts];
