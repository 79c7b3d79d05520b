/**
 * The reports Ordo ships: specs a consultant copies and changes (installed into a tenant as saved reports
 * by the seed, and listed at GET /api/reports/builtin). Each runs on the ledger, employees or alerts as
 * they are; none holds a figure of its own.
 */
import type { Leaf, MeasureSpec, ReportSpec } from "./spec";
import regionStoreFile from "../../rules/packs/retail/reports/cost-by-region-store.json";

export interface BuiltinReport {
  key: string;
  name: string;
  description: string;
  spec: ReportSpec;
}

const regionStore = regionStoreFile as unknown as BuiltinReport;

const MONTH_RANGE: ReportSpec["params"] = {
  from: { type: "month", default: "2025-01", label: { zh: "起始月份", en: "From month" } },
  through: { type: "month", default: "2025-12", label: { zh: "截止月份", en: "Through month" } },
};
const IN_RANGE: { all: Leaf[] } = {
  all: [
    { fact: "month", operator: "greaterThanInclusive", value: { param: "from" } },
    { fact: "month", operator: "lessThanInclusive", value: { param: "through" } },
  ],
};
const COST: MeasureSpec[] = [
  { fn: "sum", field: "employer", key: "employer", label: { zh: "单位缴费", en: "Employer" } },
  { fn: "sum", field: "employee", key: "employee", label: { zh: "个人缴费", en: "Employee" } },
  { fn: "sum", field: "total", key: "total", label: { zh: "缴费合计", en: "Total" } },
];

export const BUILTIN_REPORTS: readonly BuiltinReport[] = [
  {
    key: "monthly-contribution-detail",
    name: "月度缴费明细",
    description: "每位员工当月各险种的单位与个人缴费",
    spec: {
      dataset: "contributionItems",
      params: { month: { type: "month", label: { zh: "费款所属期", en: "Month" } } },
      filters: { all: [{ fact: "month", operator: "equal", value: { param: "month" } }] },
      dimensions: [{ field: "employeeNo" }, { field: "employeeName" }, { field: "city" }, { field: "insurance" }],
      measures: [
        { fn: "sum", field: "base", key: "base", label: { zh: "缴费基数", en: "Base" } },
        { fn: "sum", field: "employer", key: "employer", label: { zh: "单位缴费", en: "Employer" } },
        { fn: "sum", field: "employee", key: "employee", label: { zh: "个人缴费", en: "Employee" } },
      ],
      sort: [
        { key: "employeeNo", order: "asc" },
        { key: "insurance", order: "asc" },
      ],
      chart: { type: "table" },
    },
  },
  {
    key: "anomalies",
    name: "异常清单",
    description: "未处理的断缴、未到账、错缴、离职未减员与未参保",
    spec: {
      dataset: "alerts",
      filters: {
        all: [
          { fact: "resolved", operator: "equal", value: false },
          {
            fact: "type",
            operator: "in",
            value: ["gap", "not_received", "base_below_wage", "deenrollment_overdue", "not_enrolled"],
          },
        ],
      },
      dimensions: [{ field: "type" }, { field: "employeeNo" }, { field: "employeeName" }, { field: "employeeCity" }],
      measures: [
        { fn: "count", key: "alerts", label: { zh: "预警数", en: "Alerts" } },
        { fn: "min", field: "dueDate", key: "firstDue", label: { zh: "最早到期", en: "First due" } },
      ],
      sort: [
        { key: "type", order: "asc" },
        { key: "employeeNo", order: "asc" },
      ],
      chart: { type: "table" },
    },
  },
  {
    key: "cost-by-city-month",
    name: "各城市月度用工成本",
    description: "按城市和月份比较单位与个人缴费",
    spec: {
      dataset: "contributions",
      params: MONTH_RANGE,
      filters: IN_RANGE,
      dimensions: [{ field: "city" }, { field: "month", bucket: "month", key: "month" }],
      measures: [...COST],
      chart: { type: "bar", x: "month", y: ["employer"], series: "city" },
    },
  },
  {
    key: "cost-by-org-unit-month",
    name: "各组织月度用工成本",
    description: "按组织单元（门店、分公司）和月份比较缴费",
    spec: {
      dataset: "contributions",
      params: MONTH_RANGE,
      filters: IN_RANGE,
      dimensions: [{ field: "orgUnit" }, { field: "month", bucket: "month", key: "month" }],
      measures: [...COST],
      chart: { type: "stackedBar", x: "month", y: ["total"], series: "orgUnit" },
    },
  },
  {
    key: "cost-by-region-month",
    name: "各区域月度用工成本",
    description: "按区域（门店的上级组织）和月份比较缴费",
    spec: {
      dataset: "contributions",
      params: MONTH_RANGE,
      filters: IN_RANGE,
      dimensions: [{ field: "region" }, { field: "month", bucket: "month", key: "month" }],
      measures: [...COST],
      chart: { type: "line", x: "month", y: ["total"], series: "region" },
    },
  },
  {
    key: "headcount-by-city",
    name: "各城市在职与参保人数",
    description: "在职员工数与正在参保的人数",
    spec: {
      dataset: "employees",
      filters: { all: [{ fact: "employeeStatus", operator: "equal", value: "active" }] },
      dimensions: [{ field: "employeeCity" }],
      measures: [
        { fn: "count", key: "headcount", label: { zh: "在职人数", en: "Headcount" } },
        { fn: "sum", field: "insuredCount", key: "insured", label: { zh: "参保人数", en: "Insured" } },
      ],
      sort: [{ key: "headcount", order: "desc" }],
      chart: { type: "bar", x: "employeeCity", y: ["headcount", "insured"] },
    },
  },
  {
    key: "back-payments-by-month",
    name: "月度补缴与滞纳金",
    description: "按月份统计补缴月份、差额补缴与滞纳金",
    spec: {
      dataset: "contributions",
      params: MONTH_RANGE,
      filters: {
        all: [
          ...IN_RANGE.all,
          {
            any: [
              { fact: "backPaid", operator: "equal", value: true },
              { fact: "kind", operator: "equal", value: "adjustment" },
              { fact: "lateFee", operator: "greaterThan", value: 0 },
            ],
          },
        ],
      },
      dimensions: [
        { field: "month", bucket: "month", key: "month" },
        { field: "kind", key: "kind" },
      ],
      measures: [
        { fn: "count", key: "rows", label: { zh: "人月数", en: "Person-months" } },
        ...COST,
        { fn: "sum", field: "lateFee", key: "lateFee", label: { zh: "滞纳金", en: "Late fees" } },
      ],
      chart: { type: "line", x: "month", y: ["total"] },
    },
  },
  // The retail pack ships this report (rules/packs/retail/reports); every tenant gets it as a built-in too.
  regionStore,
];
