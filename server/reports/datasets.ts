/**
 * What a report can read: each dataset is a fixed FROM clause (tenant-joined, written here, never by users)
 * and the fields a spec may name, each a SQL expression with a type and zh-CN/en labels. Tenant custom fields
 * of the dataset's entity join in as `custom.<name>`. A spec names fields by key only; the compiler looks the
 * key up here, so no SQL comes from a spec.
 */
import type { EnumName } from "../../domain/enums";

export type FieldType = "text" | "enum" | "city" | "number" | "integer" | "money" | "date" | "month" | "boolean";
export interface Label {
  en: string;
  zh: string;
}
export interface FieldDef {
  key: string;
  sql: string;
  type: FieldType;
  label: Label;
  /** For `enum` fields: the enum in domain/enums.ts (or the insurance list) whose labels name the values. */
  enum?: EnumName | "insurance";
}
export interface DatasetDef {
  key: string;
  label: Label;
  /** The FROM clause; `${alias}.tenant_id` scopes it. */
  from: string;
  /** Joins made only when a field the report uses reads them (`o` needs `e` where both are listed). */
  joins?: { e?: string; o?: string };
  alias: string;
  /** The entity whose tenant custom fields are offered as `custom.<name>`. */
  customEntity?: string;
  fields: FieldDef[];
}

const L = (zh: string, en: string): Label => ({ zh, en });
const f = (key: string, sql: string, type: FieldType, label: Label, enumName?: EnumName | "insurance"): FieldDef => ({
  key,
  sql,
  type,
  label,
  ...(enumName ? { enum: enumName } : {}),
});

const ORG_UNIT_JOIN =
  "LEFT JOIN org_units o ON o.tenant_id = e.tenant_id AND o.id = e.org_unit_id " +
  "LEFT JOIN org_units o_parent ON o_parent.tenant_id = o.tenant_id AND o_parent.id = o.parent_id";
const EMPLOYEE_JOIN = (alias: string) => ({
  e: `LEFT JOIN employees e ON e.tenant_id = ${alias}.tenant_id AND e.id = ${alias}.employee_id`,
  o: ORG_UNIT_JOIN,
});

/** The employee and org-unit fields every employee-linked dataset offers. */
const employeeFields = (): FieldDef[] => [
  f("employeeNo", "e.employee_no", "text", L("工号", "Employee no.")),
  f("employeeName", "e.name", "text", L("姓名", "Employee name")),
  f("employeeCity", "e.insured_city", "city", L("员工参保城市", "Employee's insured city")),
  f("employmentType", "e.employment_type", "enum", L("用工类型", "Employment type"), "employmentType"),
  f("employeeStatus", "e.status", "enum", L("在职状态", "Employee status"), "employeeStatus"),
  f("orgUnit", "o.name", "text", L("组织单元", "Org unit")),
  f("orgUnitType", "o.type", "enum", L("组织类型", "Org unit type"), "orgUnitType"),
  f("orgUnitCity", "o.city", "city", L("组织所在城市", "Org unit city")),
  // The unit above the employee's (a region above a store, a company above a branch).
  f("region", "coalesce(o_parent.name, o.name)", "text", L("所属区域（上级组织）", "Region (parent unit)")),
];

/**
 * The ledger including adjustments: each month's charge, and each 差额补缴 adjustment a later policy
 * version added to it (as its own row, kind "adjustment"), so sums over the ledger are what is owed.
 */
const LEDGER =
  "(SELECT c.tenant_id, c.id, c.employee_id, c.month, c.city, c.base, c.employer, c.employee, c.items, " +
  "c.status, c.back_paid, c.provisional, c.paid_on, c.late_fee, c.days_late, c.custom, 'charge' AS kind " +
  "FROM contributions c UNION ALL " +
  "SELECT a.tenant_id, a.id, a.employee_id, a.month, a.city, NULL, a.employer, a.employee, a.items, " +
  "a.status, false, false, NULL, NULL, NULL, a.custom, 'adjustment' FROM contribution_adjustments a) c";

const CONTRIBUTION_FIELDS = (): FieldDef[] => [
  f("month", "c.month", "month", L("费款所属期", "Month")),
  f("city", "c.city", "city", L("参保城市", "City")),
  f("base", "c.base", "money", L("缴费基数", "Base")),
  f("employer", "c.employer", "money", L("单位缴费", "Employer")),
  f("employee", "c.employee", "money", L("个人缴费", "Employee")),
  f("total", "(c.employer + c.employee)", "money", L("缴费合计", "Total")),
  f("status", "c.status", "enum", L("到账状态", "Status"), "contributionStatus"),
  f("kind", "c.kind", "enum", L("台账类型", "Ledger row"), "ledgerKind"),
  f("backPaid", "c.back_paid", "boolean", L("补缴", "Back-paid")),
  f("provisional", "c.provisional", "boolean", L("暂估", "Provisional")),
  f("paidOn", "c.paid_on", "date", L("缴费日期", "Paid on")),
  f("lateFee", "c.late_fee", "money", L("滞纳金", "Late fee")),
  f("daysLate", "c.days_late", "integer", L("逾期天数", "Days late")),
  ...employeeFields(),
];

export const DATASETS: readonly DatasetDef[] = [
  {
    key: "contributions",
    label: L("缴费台账", "Contribution ledger"),
    alias: "c",
    from: LEDGER,
    joins: EMPLOYEE_JOIN("c"),
    customEntity: "contributions",
    fields: CONTRIBUTION_FIELDS(),
  },
  {
    key: "contributionItems",
    label: L("缴费明细（按险种）", "Contribution items (per insurance)"),
    alias: "c",
    from: `${LEDGER} CROSS JOIN LATERAL jsonb_array_elements(c.items) AS i(item)`,
    joins: EMPLOYEE_JOIN("c"),
    customEntity: "contributions",
    fields: [
      ...CONTRIBUTION_FIELDS().filter((x) => !["base", "employer", "employee", "total"].includes(x.key)),
      f("insurance", "(i.item->>'insurance')", "enum", L("险种", "Insurance"), "insurance"),
      f("base", "(i.item->>'base')::numeric", "money", L("缴费基数", "Base")),
      f("employer", "(i.item->>'employer')::numeric", "money", L("单位缴费", "Employer")),
      f("employee", "(i.item->>'employee')::numeric", "money", L("个人缴费", "Employee")),
      f("total", "((i.item->>'employer')::numeric + (i.item->>'employee')::numeric)", "money", L("缴费合计", "Total")),
    ],
  },
  {
    key: "employees",
    label: L("员工", "Employees"),
    alias: "e",
    from: "employees e",
    joins: { o: ORG_UNIT_JOIN },
    customEntity: "employees",
    fields: [
      ...employeeFields(),
      f("hireDate", "e.hire_date", "date", L("入职日期", "Hire date")),
      f("leaveDate", "e.leave_date", "date", L("离职日期", "Leave date")),
      f("monthlyWage", "e.monthly_wage", "money", L("月工资", "Monthly wage")),
      f("gender", "e.gender", "enum", L("性别", "Gender"), "gender"),
      f("post", "e.post", "enum", L("岗位类别", "Post"), "post"),
      f("hukouLocal", "e.hukou_local", "boolean", L("本地户籍", "Local hukou")),
      f("birthDate", "e.birth_date", "date", L("出生日期", "Birth date")),
      f(
        "insured",
        "EXISTS (SELECT 1 FROM enrollments n WHERE n.tenant_id = e.tenant_id AND n.employee_id = e.id " +
          "AND n.status = 'active')",
        "boolean",
        L("参保中", "Insured"),
      ),
      f(
        "insuredCount",
        "(CASE WHEN EXISTS (SELECT 1 FROM enrollments n WHERE n.tenant_id = e.tenant_id AND n.employee_id = e.id " +
          "AND n.status = 'active') THEN 1 ELSE 0 END)",
        "integer",
        L("参保人数", "Insured (count)"),
      ),
    ],
  },
  {
    key: "enrollments",
    label: L("参保记录", "Enrolments"),
    alias: "n",
    from: "enrollments n",
    joins: EMPLOYEE_JOIN("n"),
    customEntity: "enrollments",
    fields: [
      f("insuredCity", "n.insured_city", "city", L("参保城市", "Insured city")),
      f("fromDate", "n.from_date", "date", L("起始日期", "From")),
      f("toDate", "n.to_date", "date", L("截止日期", "To")),
      f("status", "n.status", "enum", L("参保状态", "Status"), "enrollmentStatus"),
      f("base", "n.base", "money", L("申报工资", "Declared wage")),
      f("reason", "n.reason", "text", L("原因", "Reason")),
      ...employeeFields(),
    ],
  },
  {
    key: "alerts",
    label: L("预警", "Alerts"),
    alias: "a",
    from: "alerts a",
    joins: EMPLOYEE_JOIN("a"),
    customEntity: "alerts",
    fields: [
      f("type", "a.type", "enum", L("预警类型", "Type"), "alertType"),
      f("severity", "a.severity", "enum", L("级别", "Severity"), "severity"),
      f("dueDate", "a.due_date", "date", L("到期日", "Due date")),
      f("resolved", "a.resolved", "boolean", L("已处理", "Resolved")),
      f("createdOn", "(a.created_at AT TIME ZONE 'Asia/Shanghai')::date", "date", L("产生日期", "Raised on")),
      ...employeeFields(),
    ],
  },
  {
    key: "notifications",
    label: L("通知（发件箱）", "Notifications (outbox)"),
    alias: "m",
    from: "notifications m",
    joins: EMPLOYEE_JOIN("m"),
    fields: [
      f("template", "m.template", "text", L("模板", "Template")),
      f("audience", "m.audience", "enum", L("接收人", "Audience"), "recipient"),
      f("channel", "m.channel", "enum", L("渠道", "Channel"), "notificationChannel"),
      f("status", "m.status", "enum", L("状态", "Status"), "notificationStatus"),
      f("attempts", "m.attempts", "integer", L("尝试次数", "Attempts")),
      f("period", "m.period", "text", L("周期", "Period")),
      f("createdOn", "(m.created_at AT TIME ZONE 'Asia/Shanghai')::date", "date", L("排队日期", "Queued on")),
      f("sentOn", "(m.sent_at AT TIME ZONE 'Asia/Shanghai')::date", "date", L("发送日期", "Sent on")),
      f("read", "(m.read_at IS NOT NULL)", "boolean", L("已读", "Read")),
      ...employeeFields(),
    ],
  },
  {
    key: "reminders",
    label: L("旧提醒（只读）", "Reminders (legacy, read-only)"),
    alias: "r",
    from: "reminders r",
    joins: EMPLOYEE_JOIN("r"),
    fields: [
      f("template", "r.template", "text", L("模板", "Template")),
      f("recipient", "r.recipient", "enum", L("接收人", "Recipient"), "recipient"),
      f("status", "r.status", "enum", L("状态", "Status"), "reminderStatus"),
      f("dueDate", "r.due_date", "date", L("到期日", "Due date")),
      f("createdOn", "(r.created_at AT TIME ZONE 'Asia/Shanghai')::date", "date", L("创建日期", "Created on")),
      ...employeeFields(),
    ],
  },
  {
    key: "decisions",
    label: L("规则决策", "Decisions"),
    alias: "d",
    from: "decisions d",
    joins: EMPLOYEE_JOIN("d"),
    fields: [
      f("ruleSet", "d.rule_set", "text", L("规则集", "Rule set")),
      f("version", "d.version", "integer", L("版本", "Version")),
      f("operation", "d.operation", "text", L("操作", "Operation")),
      f("eventCount", "jsonb_array_length(d.events)", "integer", L("事件数", "Events")),
      f("decidedOn", "(d.created_at AT TIME ZONE 'Asia/Shanghai')::date", "date", L("决策日期", "Decided on")),
      ...employeeFields(),
    ],
  },
];

const byKey = new Map(DATASETS.map((d) => [d.key, d]));
export const datasetOf = (key: string): DatasetDef | undefined => byKey.get(key);
export const DATASET_KEYS = DATASETS.map((d) => d.key);

/** The FROM clause with the joins the given fields read (`o.` needs `e.` where the dataset joins both). */
export function fromClause(dataset: DatasetDef, fields: Iterable<FieldDef>): string {
  const joins = dataset.joins ?? {};
  const used = new Set<"e" | "o">();
  for (const f of fields) {
    if (joins.o && /\bo\./.test(f.sql)) used.add("o");
    if (joins.e && /\be\./.test(f.sql)) used.add("e");
  }
  if (used.has("o") && joins.e) used.add("e");
  return [dataset.from, ...(["e", "o"] as const).filter((j) => used.has(j)).map((j) => joins[j]!)].join(" ");
}

/** Report types a measure can sum or average. */
export const NUMERIC: ReadonlySet<FieldType> = new Set(["number", "integer", "money"]);
/** Types a min or max is defined on. */
export const ORDERED: ReadonlySet<FieldType> = new Set(["number", "integer", "money", "date", "month"]);
/** Types a time bucket applies to. */
export const TEMPORAL: ReadonlySet<FieldType> = new Set(["date", "month"]);

const CUSTOM_NAME = /^[a-z][a-zA-Z0-9]{0,62}$/;

/** A tenant custom field as a report field (`custom.<name>`), or undefined for a type reports do not read. */
export function customField(
  alias: string,
  c: { name: string; label: Label; schema: { type?: unknown; format?: string; enum?: unknown[] } },
): FieldDef | undefined {
  if (!CUSTOM_NAME.test(c.name)) return undefined;
  const type = Array.isArray(c.schema.type) ? c.schema.type.find((t) => t !== "null") : c.schema.type;
  const raw = `(${alias}.custom->>'${c.name}')`;
  const key = `custom.${c.name}`;
  if (type === "string" && c.schema.format === "date") return f(key, `${raw}::date`, "date", c.label);
  if (type === "string" && c.schema.format === "decimal") return f(key, `${raw}::numeric`, "money", c.label);
  if (type === "string") return f(key, raw, "text", c.label);
  if (type === "integer") return f(key, `${raw}::numeric`, "integer", c.label);
  if (type === "number") return f(key, `${raw}::numeric`, "number", c.label);
  if (type === "boolean") return f(key, `${raw}::boolean`, "boolean", c.label);
  return undefined;
}
