// The enumerated values of Ordo's records with their zh-CN and en labels, as data. Entity declarations
// take their `enum` lists and labels from here, so a value and its label cannot drift apart.
import type { Labelled } from "./index";

const list = <C extends string>(items: readonly Labelled<C>[]) => items;

export const ENUMS = {
  orgUnitType: list([
    { code: "company", zh: "公司", en: "Company" },
    { code: "region", zh: "区域", en: "Region" },
    { code: "branch", zh: "分公司", en: "Branch" },
    { code: "store", zh: "门店", en: "Store" },
  ]),
  employmentType: list([
    { code: "full_time", zh: "全职", en: "Full time" },
    { code: "seasonal", zh: "季节工", en: "Seasonal" },
    { code: "temporary", zh: "临时工", en: "Temporary" },
    { code: "remote", zh: "异地远程", en: "Remote" },
  ]),
  gender: list([
    { code: "male", zh: "男", en: "Male" },
    { code: "female", zh: "女", en: "Female" },
  ]),
  post: list([
    { code: "worker", zh: "工人岗位", en: "Worker" },
    { code: "cadre", zh: "管理（干部）岗位", en: "Cadre / staff" },
  ]),
  employeeStatus: list([
    { code: "active", zh: "在职", en: "Active" },
    { code: "left", zh: "已离职", en: "Left" },
  ]),
  enrollmentStatus: list([
    { code: "pending", zh: "待办理", en: "Pending" },
    { code: "active", zh: "参保中", en: "Active" },
    { code: "ended", zh: "已停保", en: "Ended" },
    { code: "cancelled", zh: "已撤销", en: "Cancelled" },
  ]),
  contributionStatus: list([
    { code: "due", zh: "待缴", en: "Due" },
    { code: "paid", zh: "已缴", en: "Paid" },
    { code: "not_received", zh: "未到账", en: "Not received" },
  ]),
  adjustmentStatus: list([
    { code: "due", zh: "待补缴", en: "Due" },
    { code: "paid", zh: "已补缴", en: "Paid" },
  ]),
  ledgerKind: list([
    { code: "charge", zh: "当月应缴", en: "Charge" },
    { code: "adjustment", zh: "差额补缴", en: "Adjustment" },
  ]),
  severity: list([
    { code: "info", zh: "提示", en: "Info" },
    { code: "warning", zh: "警告", en: "Warning" },
    { code: "critical", zh: "严重", en: "Critical" },
  ]),
  alertType: list([
    { code: "enrollment_due", zh: "待增员", en: "Enrolment due" },
    { code: "enrollment_overdue", zh: "增员逾期", en: "Enrolment overdue" },
    { code: "deenrollment_overdue", zh: "减员逾期（离职未减员）", en: "De-enrolment overdue" },
    { code: "leave_upcoming", zh: "即将离职", en: "Leave upcoming" },
    { code: "not_received", zh: "费用未到账", en: "Contribution not received" },
    { code: "not_enrolled", zh: "未参保", en: "Not enrolled" },
    { code: "no_city_policy", zh: "城市无政策", en: "No policy for the city" },
    { code: "payment_deadline", zh: "缴费截止", en: "Payment deadline" },
    { code: "gap", zh: "断缴", en: "Contribution gap" },
    { code: "base_below_wage", zh: "基数低于工资（错缴）", en: "Base below wage" },
    { code: "insured_city_mismatch", zh: "参保地不一致", en: "Insured city mismatch" },
    { code: "remote_insured_city", zh: "远程：参保地", en: "Remote: insured city" },
    { code: "remote_city_option", zh: "远程：参保城市选择", en: "Remote: city option" },
    { code: "remote_agent_payment_noncompliant", zh: "远程：代缴不合规", en: "Remote: agent payment not compliant" },
    { code: "seasonal_batch_enroll", zh: "季节工批量增员", en: "Seasonal batch enrolment" },
    { code: "seasonal_batch_deenroll", zh: "季节工批量减员", en: "Seasonal batch de-enrolment" },
    { code: "probation_review", zh: "试用期评估", en: "Probation review" },
  ]),
  wageChangeSource: list([
    { code: "hire", zh: "入职工资", en: "Hire" },
    { code: "wage_change", zh: "调薪", en: "Wage change" },
    { code: "edit", zh: "员工资料修改", en: "Employee record edit" },
    { code: "manual", zh: "手工录入", en: "Entered by hand" },
    { code: "seed", zh: "演示数据", en: "Demo data" },
  ]),
  baseDeclarationStatus: list([
    { code: "draft", zh: "草稿（待确认）", en: "Draft" },
    { code: "confirmed", zh: "已确认", en: "Confirmed" },
  ]),
  baseDeclarationMethod: list([
    { code: "average", zh: "上年度月平均工资", en: "Previous year's average" },
    { code: "first_month", zh: "新入职：首个完整月工资", en: "New hire: first full month" },
    { code: "current_wage", zh: "无工资记录：当前工资", en: "No wage history: current wage" },
  ]),
  alertState: list([
    { code: "open", zh: "待处理", en: "Open" },
    { code: "snoozed", zh: "已暂缓", en: "Snoozed" },
    { code: "resolved", zh: "已处理", en: "Resolved" },
  ]),
  alertAction: list([
    { code: "resolve", zh: "处理完成", en: "Resolve" },
    { code: "snooze", zh: "暂缓", en: "Snooze" },
    { code: "assign", zh: "指派", en: "Assign" },
    { code: "reopen", zh: "重新打开", en: "Reopen" },
  ]),
  alertEventAction: list([
    { code: "resolved", zh: "已处理", en: "Resolved" },
    { code: "auto_resolved", zh: "条件消除，自动处理", en: "Resolved automatically" },
    { code: "snoozed", zh: "已暂缓", en: "Snoozed" },
    { code: "assigned", zh: "已指派", en: "Assigned" },
    { code: "reopened", zh: "已重新打开", en: "Reopened" },
  ]),
  /** Why Ordo resolved an alert on its own (the note of an `auto_resolved` event). */
  alertResolveReason: list([
    { code: "hire", zh: "入职已办理参保", en: "Enrolled on hire" },
    { code: "wage-change", zh: "调薪已处理", en: "Handled by a wage change" },
    { code: "leave", zh: "离职已处理", en: "Handled by the leave" },
    { code: "enrolled", zh: "已登记参保", en: "Enrolled" },
    {
      code: "remote_local_unit",
      zh: "已在工作城市的本地组织单元参保，不再需要代缴",
      en: "Insured through the company's own unit in the work city: no agent payment needed",
    },
    { code: "rule-set", zh: "规则集判定情况已消除", en: "The rule set found the situation over" },
  ]),
  lifecycleOperation: list([
    { code: "hire", zh: "入职", en: "Hire" },
    { code: "leave", zh: "离职", en: "Leave" },
    { code: "wage-change", zh: "调薪", en: "Wage change" },
    { code: "apply", zh: "规则应用", en: "Rule set applied" },
    { code: "monthly-run", zh: "月度运行", en: "Monthly run" },
  ]),
  enrollmentReason: list([
    { code: "hire", zh: "入职增员", en: "Hire" },
    { code: "leave", zh: "离职减员", en: "Leave" },
    { code: "wage-change", zh: "调薪调基", en: "Wage change" },
    { code: "base-adjusted", zh: "基数调整", en: "Base adjusted" },
  ]),
  recipient: list([
    { code: "hr", zh: "人事", en: "HR" },
    { code: "employee", zh: "员工", en: "Employee" },
  ]),
  reminderChannel: list([
    { code: "in-app", zh: "站内消息", en: "In-app" },
    { code: "email", zh: "电子邮件", en: "Email" },
    { code: "webhook", zh: "Webhook 推送", en: "Webhook" },
  ]),
  reminderStatus: list([
    { code: "queued", zh: "待发送", en: "Queued" },
    { code: "sent", zh: "已发送", en: "Sent" },
  ]),
  paymentSource: list([
    { code: "single", zh: "逐条登记", en: "Marked one by one" },
    { code: "bulk", zh: "批量登记", en: "Marked in bulk" },
    { code: "import", zh: "缴费文件导入", en: "Payment file import" },
  ]),
  paymentMatch: list([
    { code: "matched", zh: "一致", en: "Matched" },
    { code: "mismatched", zh: "金额不符", en: "Amount differs" },
    { code: "unknown", zh: "无对应台账", en: "Unknown" },
  ]),
  paymentImportStatus: list([
    { code: "previewed", zh: "待确认", en: "Previewed" },
    { code: "applied", zh: "已入账", en: "Applied" },
  ]),
  notificationStatus: list([
    { code: "queued", zh: "待发送", en: "Queued" },
    { code: "sending", zh: "发送中", en: "Sending" },
    { code: "sent", zh: "已发送", en: "Sent" },
    { code: "failed", zh: "发送失败（将重试）", en: "Failed (will retry)" },
    { code: "dead", zh: "已终止", en: "Dead" },
    { code: "cancelled", zh: "已取消", en: "Cancelled" },
  ]),
  notificationChannel: list([
    { code: "in-app", zh: "站内信", en: "In-app" },
    { code: "email", zh: "电子邮件", en: "Email" },
    { code: "webhook", zh: "Webhook（企业微信 / 钉钉）", en: "Webhook (WeCom / DingTalk)" },
  ]),
  deliveryOutcome: list([
    { code: "sent", zh: "成功", en: "Sent" },
    { code: "failed", zh: "失败，将重试", en: "Failed, will retry" },
    { code: "dead", zh: "失败，不再重试", en: "Failed, no more tries" },
  ]),
  /** Job types a tenant's cron schedules can start (each registered with the queue in server/app.ts). */
  scheduleJobType: list([
    { code: "monthly-run", zh: "月度运行", en: "Monthly run" },
    { code: "report-delivery", zh: "报表定时发送", en: "Report delivery" },
  ]),
} as const;

export type EnumName = keyof typeof ENUMS;

/** The codes of an enum, for a JSON Schema `enum`. */
export const codesOf = (name: EnumName): string[] => ENUMS[name].map((i) => i.code);

/** `{ code: { "zh-CN": …, en: … } }`: what an entity declaration hands the admin for a field. */
export const labelsFor = (items: readonly Labelled[]): Record<string, { "zh-CN": string; en: string }> =>
  Object.fromEntries(items.map((i) => [i.code, { "zh-CN": i.zh, en: i.en }]));

export const enumLabels = (name: EnumName) => labelsFor(ENUMS[name]);
