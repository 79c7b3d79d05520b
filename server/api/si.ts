/** Social-insurance calculations over the tenant's published policy tables (no restart after a publish). */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import type { BackPaymentInput, ContributionInput } from "../../policies/index";
import {
  backPayment,
  cities,
  contributions,
  differenceBackPayment,
  pension,
  type DifferenceBody,
  type PensionBody,
} from "../si/service";
import { INSURANCE_CODES } from "../../domain/index";

const CITY = {
  type: "string",
  pattern: "^[1-9]\\d{5}$",
  format: "city",
  description: "GB/T 2260 province- or prefecture-level code, e.g. 110000",
};
const MONTH = { type: "string", format: "month", description: "YYYY-MM" };
const DATE = { type: "string", format: "date", description: "YYYY-MM-DD" };
const MONEY = {
  type: ["string", "number"],
  // Negative amounts reach the calculation, which says which figure of which month is wrong.
  money: true,
  description: "an amount: a decimal string such as 12000.00, or a JSON number",
};
const PERCENT = { type: "string", pattern: "^\\d{1,3}(\\.\\d{1,4})?$", description: "percent, e.g. 12" };
const INDEX = { type: "string", pattern: "^\\d{1,3}(\\.\\d{1,6})?$", description: "e.g. 1.2" };
const INSURANCES = {
  type: "array",
  items: { type: "string", enum: [...INSURANCE_CODES] },
  uniqueItems: true,
};
const options = {
  hukouLocal: { type: "boolean" },
  workInjuryClass: { type: "integer", minimum: 1, maximum: 8 },
  housingFundRate: PERCENT,
  housingFundEmployerRate: PERCENT,
  housingFundEmployeeRate: PERCENT,
  supplementaryHousingFundRate: PERCENT,
  supplementaryHousingFundEmployerRate: PERCENT,
  supplementaryHousingFundEmployeeRate: PERCENT,
  insurances: INSURANCES,
};
const contributionsSchema = {
  type: "object",
  additionalProperties: false,
  required: ["city", "month", "wage"],
  properties: { city: CITY, month: MONTH, wage: MONEY, ...options },
};
const backPaymentSchema = {
  type: "object",
  additionalProperties: false,
  required: ["city", "months", "wage", "paymentDate"],
  properties: {
    city: CITY,
    months: {
      oneOf: [
        { type: "array", items: MONTH, minItems: 1, maxItems: 600 },
        {
          type: "object",
          additionalProperties: false,
          required: ["from", "to"],
          properties: { from: MONTH, to: MONTH },
        },
      ],
    },
    wage: {
      oneOf: [
        MONEY,
        {
          type: "object",
          description: "wage per month YYYY-MM",
          propertyNames: { format: "month" },
          additionalProperties: MONEY,
        },
      ],
    },
    paymentDate: DATE,
    ...options,
  },
};
const differenceSchema = {
  type: "object",
  additionalProperties: false,
  required: ["city", "fromMonth", "throughMonth"],
  properties: {
    city: CITY,
    fromMonth: MONTH,
    throughMonth: { ...MONTH, description: "YYYY-MM, inclusive: the months are exactly fromMonth..throughMonth" },
    wage: { ...MONEY, description: "the declared wage (give wage or base)" },
    base: { ...MONEY, description: "the declared base (give wage or base)" },
    table: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,62}$", description: "default si-base-limits" },
    oldVersion: { type: "integer", minimum: 1, maximum: 2147483647, description: "default: newVersion − 1" },
    newVersion: { type: "integer", minimum: 1, maximum: 2147483647, description: "default: the latest" },
    ...options,
  },
};
const pensionSchema = {
  type: "object",
  additionalProperties: false,
  required: ["city", "birthDate"],
  properties: {
    city: CITY,
    birthDate: DATE,
    category: { type: "string", enum: ["male", "female_cadre", "female_worker"] },
    gender: { type: "string", enum: ["male", "female"], description: "with post: shorthand for category" },
    post: { type: ["string", "null"], enum: ["cadre", "worker", null] },
    history: {
      type: "array",
      maxItems: 1000,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["month", "base"],
        properties: { month: MONTH, base: MONEY },
      },
    },
    assumptions: {
      type: "object",
      additionalProperties: false,
      required: ["startMonth", "currentBase"],
      properties: {
        startMonth: MONTH,
        currentBase: MONEY,
        currentMonth: MONTH,
        annualGrowth: PERCENT,
        gaps: {
          type: "array",
          maxItems: 600,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["from", "to"],
            properties: { from: MONTH, to: MONTH },
          },
        },
      },
    },
    wage: {
      ...MONEY,
      description: "shorthand for assumptions: contribute this base for contributionYears before retirement",
    },
    contributionYears: { type: "number", minimum: 0, maximum: 50 },
    averageWage: MONEY,
    wageGrowth: PERCENT,
    averageContributionIndex: INDEX,
    averageIndex: {
      anyOf: [{ type: "number", minimum: 0, maximum: 1000 }, INDEX],
      description: "alias of averageContributionIndex",
    },
    personalAccountRate: PERCENT,
    accountInterest: { ...PERCENT, description: "crediting rate for years without a published rate (default 0)" },
    initialBalance: MONEY,
    accountBalance: MONEY,
  },
};

export function siRoutes(ctx: AppContext): Router {
  const r = Router();
  const tenant = (req: Request) => actorOf(req).tenant.id;
  const tags = ["social-insurance"];
  const roles: ("consultant" | "hr_admin")[] = ["consultant", "hr_admin"];

  mount<ContributionInput>(r, ctx.doc, {
    method: "post",
    path: "/si/contributions",
    audit: false,
    summary: "Monthly contributions per insurance with employer and employee amounts",
    tags,
    roles,
    body: contributionsSchema,
    handler: (req, _res, body) => contributions(ctx.db, tenant(req), body),
  });
  mount<BackPaymentInput>(r, ctx.doc, {
    method: "post",
    path: "/si/back-payment",
    audit: false,
    summary: "Back-payment of missed months with late fees up to the payment date",
    tags,
    roles,
    body: backPaymentSchema,
    handler: (req, _res, body) => backPayment(ctx.db, tenant(req), body),
  });
  mount<DifferenceBody>(r, ctx.doc, {
    method: "post",
    path: "/si/difference-back-payment",
    audit: false,
    summary: "差额补缴: what a new policy-table version adds to months charged at the old one",
    tags,
    roles,
    body: differenceSchema,
    handler: (req, _res, body) => differenceBackPayment(ctx.db, tenant(req), body),
  });
  mount<PensionBody>(r, ctx.doc, {
    method: "post",
    path: "/si/pension",
    audit: false,
    summary: "Retirement age and a monthly pension estimate",
    tags,
    roles,
    body: pensionSchema,
    handler: (req, _res, body) => pension(ctx.db, tenant(req), body),
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/si/cities",
    summary: "Cities with names and the month ranges that have policy",
    tags,
    roles,
    handler: (req) => cities(ctx.db, tenant(req)),
  });
  return r;
}
