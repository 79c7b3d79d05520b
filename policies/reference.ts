import { CITY_PATTERN, INSURANCE_CODES, SOCIAL_INSURANCE_CODES } from "../domain/index";
import type { JsonSchema, PolicyRow, PolicyTable, TableDef } from "./tables";
import baseLimits from "./data/si-base-limits.json";
import rates from "./data/si-rates.json";
import workInjury from "./data/si-work-injury-classes.json";
import housingFund from "./data/si-housing-fund.json";
import citySettings from "./data/si-city-settings.json";
import rounding from "./data/si-rounding.json";
import divisors from "./data/pension-divisors.json";
import averageWage from "./data/pension-average-wage.json";
import accountInterest from "./data/pension-account-interest.json";
import minWage from "./data/min-wage.json";
import bureauLayouts from "./data/bureau-file-layouts.json";

export type { Insurance } from "../domain/index";

const city: JsonSchema = { type: "string", pattern: CITY_PATTERN, description: "GB/T 2260 code" };
const decimal: JsonSchema = { type: "string", pattern: "^\\d+(\\.\\d+)?$", description: "non-negative decimal string" };
const insurance: JsonSchema = { type: "string", enum: [...INSURANCE_CODES] };
const month: JsonSchema = { type: "integer", minimum: 1, maximum: 12 };

/** Decimal.js rounding modes by name; UP rounds away from zero, i.e. up for the positive amounts here. */
export const ROUNDING_MODES = ["HALF_UP", "HALF_EVEN", "HALF_DOWN", "UP", "DOWN", "CEIL", "FLOOR"] as const;

export const siBaseLimits: TableDef = {
  key: "si-base-limits",
  name: "缴费基数上下限",
  description:
    "各城市各险种（含住房公积金）按基数年度（7月至次年6月）的缴费基数下限与上限（元/月）；无上限表示只按下限调整。",
  keyColumns: { city, insurance },
  valueColumns: { lower: decimal, upper: decimal },
  optionalValues: ["upper"],
};

export const siRates: TableDef = {
  key: "si-rates",
  name: "缴费比例",
  description: "各城市各险种的单位与个人缴费比例（%）及固定金额（元/月）；工伤保险见 si-work-injury-classes。",
  keyColumns: {
    city,
    insurance: { type: "string", enum: SOCIAL_INSURANCE_CODES.filter((i) => i !== "work_injury") },
  },
  valueColumns: {
    employerRate: decimal,
    employeeRate: decimal,
    employerFixed: decimal,
    employeeFixed: decimal,
    employerRateNonLocal: decimal,
  },
  optionalValues: ["employerFixed", "employeeFixed", "employerRateNonLocal"],
};

export const siWorkInjuryClasses: TableDef = {
  key: "si-work-injury-classes",
  name: "工伤保险行业风险类别费率",
  description: "各城市按行业风险类别 1–8 的单位缴费费率（%），个人不缴（人社部发〔2015〕71号）。",
  keyColumns: { city, riskClass: { type: "integer", minimum: 1, maximum: 8 } },
  valueColumns: { rate: decimal },
};

export const siHousingFund: TableDef = {
  key: "si-housing-fund",
  name: "住房公积金",
  description:
    "单位与个人各自的公积金缴存比例范围（%），以及有补充公积金的城市的补充比例范围；基数上下限见 si-base-limits 的住房公积金行。",
  keyColumns: { city },
  valueColumns: {
    minRate: decimal,
    maxRate: decimal,
    supplementaryMinRate: decimal,
    supplementaryMaxRate: decimal,
  },
  optionalValues: ["supplementaryMinRate", "supplementaryMaxRate"],
};

export const siCitySettings: TableDef = {
  key: "si-city-settings",
  name: "城市设置",
  description:
    "缴费截止日、补缴期限、基数年度起始月、滞纳金日费率，滞纳金与工资的舍入方式（缴费金额的舍入见 si-rounding），" +
    "以及临时工是否可仅参加工伤保险（temporaryWorkInjuryOnly）。",
  keyColumns: { city },
  valueColumns: {
    paymentDeadlineDay: { type: "integer", minimum: 1, maximum: 31 },
    backPaymentWindowMonths: { type: "integer", minimum: 0 },
    baseYearStartMonth: month,
    rounding: { type: "string", enum: [...ROUNDING_MODES] },
    lateFeeDailyRate: decimal,
    temporaryWorkInjuryOnly: { type: "boolean" },
  },
  optionalValues: ["backPaymentWindowMonths", "temporaryWorkInjuryOnly"],
};

export const siRounding: TableDef = {
  key: "si-rounding",
  name: "缴费金额舍入",
  description:
    "各城市各险种单位与个人金额的舍入方式与小数位（2 = 到分，1 = 到角，0 = 到元）；无此行时按城市设置的方式舍入到分。",
  keyColumns: { city, insurance },
  valueColumns: {
    mode: { type: "string", enum: [...ROUNDING_MODES] },
    precision: { type: "integer", minimum: 0, maximum: 2 },
  },
};

export const pensionDivisors: TableDef = {
  key: "pension-divisors",
  name: "个人账户养老金计发月数",
  description: "按退休年龄（周岁）的个人账户养老金计发月数（国发〔2005〕38号）。",
  keyColumns: { age: { type: "integer", minimum: 40, maximum: 70 } },
  valueColumns: { months: decimal },
};

export const pensionAverageWage: TableDef = {
  key: "pension-average-wage",
  name: "基础养老金计发基数",
  description: "各城市各年度用于计算基础养老金的上年度在岗职工月平均工资（元）。",
  keyColumns: { city, year: { type: "integer", minimum: 1990, maximum: 2100 } },
  valueColumns: { wage: decimal },
};

export const pensionAccountInterest: TableDef = {
  key: "pension-account-interest",
  name: "个人账户记账利率",
  description: "全国统一公布的基本养老保险个人账户年度记账利率（%，人社部、财政部）。",
  keyColumns: { year: { type: "integer", minimum: 1990, maximum: 2100 } },
  valueColumns: { rate: decimal },
};

export const minWageTable: TableDef = {
  key: "min-wage",
  name: "最低工资标准",
  description: "各城市月最低工资标准（元/月，分档的省份取该城市适用的档次）；区域政策对比与工资校验使用。",
  keyColumns: { city },
  valueColumns: { monthly: decimal },
};

/** Fields a bureau file column can show (server/bureau-exports), and how a value is written. */
export const BUREAU_FIELDS = [
  "line",
  "change",
  "employeeNo",
  "name",
  "gender",
  "birthDate",
  "hukouLocal",
  "insuredCity",
  "month",
  "date",
  "base",
  "reason",
  "employmentType",
  "hireDate",
  "leaveDate",
  "monthlyWage",
  "insurances",
] as const;
export const BUREAU_FORMATS = [
  "text",
  "date",
  "yyyymmdd",
  "yyyymm",
  "decimal2",
  "change-zh",
  "gender-zh",
  "hukou-zh",
  "reason-zh",
] as const;

export const bureauFileLayouts: TableDef = {
  key: "bureau-file-layouts",
  name: "增减员文件格式",
  description:
    "各城市社保经办机构增减员文件的列：位置、中文列名、字段与格式；city 为 default 的行是没有本城市格式时的默认格式。",
  keyColumns: {
    city: { type: "string", pattern: "^([1-9]\\d{5}|default)$", description: "GB/T 2260 code or default" },
    position: { type: "integer", minimum: 1, maximum: 100 },
  },
  valueColumns: {
    header: { type: "string", minLength: 1, maxLength: 100 },
    field: { type: "string", enum: [...BUREAU_FIELDS] },
    format: { type: "string", enum: [...BUREAU_FORMATS] },
  },
};

export const referenceTables: PolicyTable[] = [
  { def: siBaseLimits, rows: baseLimits as PolicyRow[] },
  { def: siRates, rows: rates as PolicyRow[] },
  { def: siWorkInjuryClasses, rows: workInjury as PolicyRow[] },
  { def: siHousingFund, rows: housingFund as PolicyRow[] },
  { def: siCitySettings, rows: citySettings as PolicyRow[] },
  { def: siRounding, rows: rounding as PolicyRow[] },
  { def: pensionDivisors, rows: divisors as PolicyRow[] },
  { def: pensionAverageWage, rows: averageWage as PolicyRow[] },
  { def: pensionAccountInterest, rows: accountInterest as PolicyRow[] },
  { def: minWageTable, rows: minWage as PolicyRow[] },
  { def: bureauFileLayouts, rows: bureauLayouts as PolicyRow[] },
];
