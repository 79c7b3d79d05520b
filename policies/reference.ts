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

export type { Insurance } from "../domain/index";

const city: JsonSchema = { type: "string", pattern: CITY_PATTERN, description: "GB/T 2260 code" };
const decimal: JsonSchema = { type: "string", pattern: "^\\d+(\\.\\d+)?$", description: "non-negative decimal string" };
const insurance: JsonSchema = { type: "string", enum: [...INSURANCE_CODES] };
const month: JsonSchema = { type: "integer", minimum: 1, maximum: 12 };

/** Decimal.js rounding modes by name; UP rounds away from zero, i.e. up for the positive amounts here. */
export const ROUNDING_MODES = ["HALF_UP", "HALF_EVEN", "HALF_DOWN", "UP", "DOWN", "CEIL", "FLOOR"] as const;

export const siBaseLimits: TableDef = {
  key: "si-base-limits",
  name: "Contribution base limits",
  description:
    "Lower and upper contribution base (CNY/month) per city, insurance type (housing fund included) and base year " +
    "(July–June); no upper = the base is only clamped below.",
  keyColumns: { city, insurance },
  valueColumns: { lower: decimal, upper: decimal },
  optionalValues: ["upper"],
};

export const siRates: TableDef = {
  key: "si-rates",
  name: "Contribution rates",
  description:
    "Percent rates per city and insurance type (work injury lives in si-work-injury-classes); " +
    "fixed amounts in CNY/month.",
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
  name: "Work-injury rates by industry risk class",
  description: "Employer-only percent rate per city and risk class 1–8 (人社部发〔2015〕71号).",
  keyColumns: { city, riskClass: { type: "integer", minimum: 1, maximum: 8 } },
  valueColumns: { rate: decimal },
};

export const siHousingFund: TableDef = {
  key: "si-housing-fund",
  name: "Housing fund",
  description:
    "Housing-fund rate range, percent, for the employer and the employee each, and the supplementary fund " +
    "(补充公积金) range where the city has one. The base limits are the housing_fund rows of si-base-limits.",
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
  name: "City settings",
  description:
    "Payment deadline, back-payment window, base-year start month, the daily late-fee percent, and the rounding " +
    "of late fees and wages (contribution amounts: si-rounding).",
  keyColumns: { city },
  valueColumns: {
    paymentDeadlineDay: { type: "integer", minimum: 1, maximum: 31 },
    backPaymentWindowMonths: { type: "integer", minimum: 0 },
    baseYearStartMonth: month,
    rounding: { type: "string", enum: [...ROUNDING_MODES] },
    lateFeeDailyRate: decimal,
  },
  optionalValues: ["backPaymentWindowMonths"],
};

export const siRounding: TableDef = {
  key: "si-rounding",
  name: "Rounding of contributions",
  description:
    "How each line item's employer and employee amounts are rounded, per city and insurance type: mode and decimal " +
    "places (2 = to the cent, 1 = to the jiao, 0 = to the yuan). " +
    "No row: the city's si-city-settings mode, to the cent.",
  keyColumns: { city, insurance },
  valueColumns: {
    mode: { type: "string", enum: [...ROUNDING_MODES] },
    precision: { type: "integer", minimum: 0, maximum: 2 },
  },
};

export const pensionDivisors: TableDef = {
  key: "pension-divisors",
  name: "Personal-account pension divisors",
  description: "Months divisor by retirement age in whole years (国发〔2005〕38号).",
  keyColumns: { age: { type: "integer", minimum: 40, maximum: 70 } },
  valueColumns: { months: decimal },
};

export const pensionAverageWage: TableDef = {
  key: "pension-average-wage",
  name: "Average wage for the basic pension",
  description: "Average monthly wage (CNY) used in the basic-pension formula, per city and year.",
  keyColumns: { city, year: { type: "integer", minimum: 1990, maximum: 2100 } },
  valueColumns: { wage: decimal },
};

export const pensionAccountInterest: TableDef = {
  key: "pension-account-interest",
  name: "Personal-account crediting rate",
  description:
    "National crediting rate (记账利率) of the basic-pension personal account, percent a year, per year (人社部 财政部).",
  keyColumns: { year: { type: "integer", minimum: 1990, maximum: 2100 } },
  valueColumns: { rate: decimal },
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
];
