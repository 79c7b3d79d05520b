/**
 * The fact catalogue of reminder templates: every placeholder a template may name, with its type and a
 * zh-CN / en description. Saving a template checks its placeholders against it, `reminderFacts` builds
 * exactly these facts, and the admin offers them for completion (GET /api/reminder-templates/catalogue).
 */
import { REMINDER_FILTERS } from "./filters";

export interface CatalogueEntry {
  type: "string" | "number" | "boolean" | "object";
  zh: string;
  en: string;
  /** Known members of an object fact; `null`: any member (the event's params). */
  members?: Record<string, { type: string; zh: string; en: string }> | null;
}

const str = (zh: string, en: string): CatalogueEntry => ({ type: "string", zh, en });
const num = (zh: string, en: string): CatalogueEntry => ({ type: "number", zh, en });
const bool = (zh: string, en: string): CatalogueEntry => ({ type: "boolean", zh, en });
const m = (type: string, zh: string, en: string) => ({ type, zh, en });

export const REMINDER_FACTS: Record<string, CatalogueEntry> = {
  today: str("渲染日期（YYYY-MM-DD）", "The rendering date (YYYY-MM-DD)"),
  employeeId: str("员工 ID", "Employee id"),
  employeeNo: str("工号", "Employee number"),
  employeeName: str("员工姓名", "Employee name"),
  birthDate: str("出生日期", "Birth date"),
  age: num("年龄（周岁，按渲染日期）", "Age in whole years on the rendering date"),
  gender: str("性别（male / female）", "Gender (male / female)"),
  post: str("岗位（cadre 干部 / worker 工人，可为空）", "Post (cadre / worker, may be null)"),
  hukouLocal: bool("本地户籍", "Local hukou"),
  employmentType: str("用工类型", "Employment type"),
  monthlyWage: str("月工资", "Monthly wage"),
  base: str("参保基数（申报工资）", "Declared contribution base"),
  enrolled: bool("当前在参保", "Currently enrolled"),
  insuredCity: str("参保城市代码", "Insured city code"),
  insuredCityZh: str("参保城市名称（中文）", "Insured city name in Chinese"),
  insuredCityEn: str("参保城市名称（英文）", "Insured city name in English"),
  headOfficeCity: str("总部所在城市代码", "City code of the head office"),
  headOfficeCityZh: str("总部所在城市（中文）", "Head-office city in Chinese"),
  headOfficeCityEn: str("总部所在城市（英文）", "Head-office city in English"),
  insuredElsewhere: bool("异地参保（参保城市不是总部城市）", "Insured in a city other than the head office's"),
  continuousMonths: num("连续缴费月数", "Months paid in a row up to the latest ledger month"),
  cumulativeMonths: num("累计缴费月数", "Months paid in total"),
  gapMonths: num("断缴月数（含离职后未缴月份）", "Unpaid months, including months since leaving"),
  leaveDate: str("离职日期（可为空）", "Leaving date (may be null)"),
  lastPaidMonth: str("最后缴费月份（离职月）", "Last paid month (the leaving month)"),
  gapStartsMonth: str("断缴起始月份", "Month the gap starts"),
  noticeDate: str("提前 30 天通知 HR 的日期", "Date HR is told, 30 days before leaving"),
  backPayment: {
    type: "object",
    zh: "补缴（按城市补缴窗口，与 /api/si/back-payment 同一计算；不可补缴时为空，尚无政策时金额为空）",
    en: "Back-payment over the city's window (as /api/si/back-payment; null if not allowed; amounts null if no policy)",
    members: {
      allowed: m("boolean", "可以补缴", "Back-payment allowed"),
      windowMonths: m("number", "补缴窗口（月）", "Window in months"),
      months: m("number", "补缴月数", "Months to back-pay"),
      from: m("string", "补缴起始月份", "First month"),
      to: m("string", "补缴截止月份", "Last month"),
      payBy: m("string", "最迟补缴日期", "Pay-by date"),
      perMonth: m("string", "每月金额", "Amount a month"),
      owed: m("string", "应补缴金额（不含滞纳金）", "Owed without late fees"),
      lateFee: m("string", "滞纳金（至最迟补缴日）", "Late fees up to the pay-by date"),
      total: m("string", "合计（含滞纳金）", "Total with late fees"),
      employer: m("string", "单位部分", "Employer part"),
      employee: m("string", "个人部分", "Employee part"),
    },
  },
  flexibleEmployment: {
    type: "object",
    zh: "灵活就业参保（养老 20%，基数在城市上下限之间）",
    en: "Flexible employment (pension 20% of a base between the city's limits)",
    members: {
      monthly: m("string", "按原基数每月", "A month at the last base"),
      minMonthly: m("string", "按下限每月", "A month at the lower limit"),
      maxMonthly: m("string", "按上限每月", "A month at the upper limit"),
      chosenBase: m("string", "缴费基数", "Base"),
      minBase: m("string", "基数下限", "Lower limit"),
      maxBase: m("string", "基数上限", "Upper limit"),
    },
  },
  cityRates: {
    type: "object",
    zh: "参保城市本月社保费率与金额",
    en: "The insured city's social-insurance rates and amounts this month",
    members: {
      month: m("string", "月份", "Month"),
      employerRate: m("string", "单位费率合计（%）", "Employer rate, percent"),
      employeeRate: m("string", "个人费率合计（%）", "Employee rate, percent"),
      employer: m("string", "单位金额", "Employer amount"),
      employee: m("string", "个人金额", "Employee amount"),
      total: m("string", "合计", "Total"),
    },
  },
  event: {
    type: "object",
    zh: "触发事件的参数（规则的 queue-reminder 载荷、预警参数等）",
    en: "The triggering event's params (a rule's queue-reminder payload, an alert's params, …)",
    members: null,
  },
};

export const REMINDER_FILTER_NAMES = Object.keys(REMINDER_FILTERS);

/** Why a placeholder path (`backPayment.total`) is not in the catalogue, or null when it is. */
export function placeholderProblem(path: (string | number)[]): string | null {
  const [head, member] = path;
  const entry = typeof head === "string" ? REMINDER_FACTS[head] : undefined;
  if (!entry) return `unknown placeholder ${String(head)}`;
  if (member === undefined || entry.members === null) return null;
  if (!entry.members || typeof member !== "string" || !(member in entry.members))
    return `unknown placeholder ${String(head)}.${String(member)}`;
  return null;
}
