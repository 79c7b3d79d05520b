// Social insurance (社保) for HR rules. Facts:
//   policy       { table, key, column?, date? }   a policy-table row (or one column) in force on `date`
//                                                (default: the evaluation date); key values may be
//                                                { "fact": name }. Reads services.policy (a PolicySet);
//                                                null when no row is in force; undefined without a
//                                                policy set (dry runs, test cases).
//   contribution { measure, excludeBackPaid?, asOf? } continuous / cumulative / gap months from the
//                                                input fact `paidMonths` ([{ month, backPaid? }]).
// Actions (write through services.trx, see actions.ts): create-enrollment, end-enrollment,
// adjust-base, raise-alert, queue-reminder.
import { definePlugin, type FactContext } from "../../rules";
import { analyzeContinuity, type PaidMonth, type PolicySet } from "../../policies/index";
import { adjustBase, createEnrollment, endEnrollment, queueReminder, raiseAlert } from "./actions";
import { isDate, isMonth, resolveParam } from "./params";
import { CITY_PATTERN, MONTH_PATTERN } from "../../domain/index";

function policyFact(params: Record<string, unknown>, ctx: FactContext): unknown {
  const policy = ctx.services.policy as PolicySet | undefined;
  const table = params.table;
  if (!policy || typeof policy.lookup !== "function" || typeof table !== "string" || !policy.has(table))
    return undefined;
  const key = resolveParam(params.key ?? {}, ctx.input) as Record<string, string | number>;
  const date = isDate(params.date)
    ? params.date
    : typeof params.date === "string"
      ? ctx.factValue(params.date)
      : ctx.at;
  if (!isDate(date)) return undefined;
  // With a policy set, "no row" is null, so rules can test for missing policy data.
  const row = policy.lookup(table, key, date);
  if (!row) return null;
  return typeof params.column === "string" ? (row.values[params.column] ?? null) : row.values;
}

function contributionFact(params: Record<string, unknown>, ctx: FactContext): unknown {
  const paid = ctx.factValue("paidMonths");
  if (!Array.isArray(paid)) return undefined;
  const asOf = isMonth(params.asOf)
    ? params.asOf
    : typeof params.asOf === "string"
      ? ctx.factValue(params.asOf)
      : undefined;
  const r = analyzeContinuity(paid as PaidMonth[], {
    asOf: isMonth(asOf) ? asOf : undefined,
    excludeBackPaid: params.excludeBackPaid === true,
  });
  switch (params.measure) {
    case "cumulative":
      return r.cumulativeMonths;
    case "gapMonths":
      return r.gaps.reduce((n, g) => n + g.months, 0);
    case "backPaid":
      return r.backPaidMonths;
    default:
      return r.continuousMonths;
  }
}

const ref = { type: "object", required: ["fact"], properties: { fact: { type: "string" }, path: { type: "string" } } };

// Schemas of the actions' event params, for the admin's rule builder. Any param may also be a fact
// reference ({ "fact": name, "path"? }): the actions resolve them before use (params.ts).
const orFact = (schema: Record<string, unknown>) => ({ anyOf: [schema, ref], description: schema.description });
const DATE = { type: "string", format: "date" };
const MONTH = { type: "string", pattern: MONTH_PATTERN };
const dueParams = {
  dueDate: orFact({ ...DATE, description: "the due date (YYYY-MM-DD)" }),
  dueFrom: orFact({ ...DATE, description: "the date dueInDays counts from (default: the evaluation date)" }),
  dueInDays: orFact({ type: "integer", description: "days after dueFrom (negative: before)" }),
};
const params = (properties: Record<string, unknown>) => ({ type: "object", properties });

export default definePlugin({
  name: "social-insurance",
  setup(api) {
    api.addFact("policy", policyFact, {
      type: "any",
      description:
        "the policy-table row (or params.column of it) in force on params.date " +
        "(default: the evaluation date) for params.key",
      params: {
        type: "object",
        required: ["table", "key"],
        properties: {
          table: { type: "string" },
          key: { type: "object", additionalProperties: { anyOf: [{ type: ["string", "integer"] }, ref] } },
          column: { type: "string" },
          date: { type: "string", description: "a date (YYYY-MM-DD) or the name of a fact holding one" },
        },
      },
    });
    api.addFact("contribution", contributionFact, {
      type: "integer",
      description:
        "months of contribution from the input fact paidMonths: " +
        'measure "continuous" (default), "cumulative", "gapMonths" or "backPaid"',
      params: {
        type: "object",
        properties: {
          measure: { enum: ["continuous", "cumulative", "gapMonths", "backPaid"] },
          excludeBackPaid: { type: "boolean" },
          asOf: { type: "string", description: "a month (YYYY-MM) or the name of a fact holding one" },
        },
      },
    });
    api.addAction("create-enrollment", createEnrollment, {
      description: "enrolls the employee (增员) from the hire month, or params.fromMonth; skips if already enrolled",
      params: params({
        fromMonth: orFact({ ...MONTH, description: "first month (YYYY-MM or a date); default: the hireDate fact" }),
        from: orFact({ ...DATE, description: "a date whose month is the first month (instead of fromMonth)" }),
        offsetMonths: orFact({ type: "integer", description: "months added to the first month" }),
        city: orFact({ type: "string", pattern: CITY_PATTERN, description: "insured city; default: insuredCity" }),
        insurances: { type: "array", items: { type: "string" }, description: "default: the five insurances" },
        base: orFact({ type: "string", description: "contribution base; default: the monthlyWage fact" }),
        status: { enum: ["pending", "active"], description: "default: pending" },
        reason: orFact({ type: "string", description: "default: hire" }),
      }),
    });
    api.addAction("end-enrollment", endEnrollment, {
      description: "ends the open enrollment (减员) with the month of params.to (default: the leaveDate fact)",
      params: params({
        to: orFact({ ...DATE, description: "last day worked; default: the leaveDate fact" }),
        endOfMonth: { type: "boolean", description: "end with the month of `to` (default) rather than on it" },
        reason: orFact({ type: "string", description: "default: leave" }),
      }),
    });
    api.addAction("adjust-base", adjustBase, {
      description: "declares a new wage base from params.fromMonth (default: the effectiveMonth fact)",
      params: params({
        base: orFact({ type: "string", description: "the new base; default: the monthlyWage fact" }),
        fromMonth: orFact({ ...MONTH, description: "first month of the new base; default: effectiveMonth" }),
        offsetMonths: orFact({ type: "integer", description: "months added to fromMonth" }),
        reason: orFact({ type: "string", description: "default: wage-change" }),
      }),
    });
    api.addAction("raise-alert", raiseAlert, {
      description:
        "raises an alert (type, severity, message, dueDate or dueFrom + dueInDays); deduplicated by dedupeKey",
      params: params({
        type: orFact({ type: "string", description: "alert type, e.g. leave_upcoming" }),
        severity: { enum: ["info", "warning", "critical"], description: "default: warning" },
        message: orFact({ type: "string", description: "text; {name} is replaced by that fact or param" }),
        ...dueParams,
        dedupeKey: { type: "string", description: "one open alert per key; {name} placeholders allowed" },
        dedupe: { type: "boolean", description: "false: never deduplicate" },
        data: { type: "object", description: "extra data kept with the alert" },
        template: { type: "string", description: "a reminder template: also notify (data and message as event.*)" },
      }),
    });
    api.addAction("queue-reminder", queueReminder, {
      description: "renders a reminder template for HR or the employee and queues it in the outbox",
      params: params({
        recipient: { enum: ["hr", "employee"], description: "default: hr" },
        template: { type: "string", description: "reminder template key, e.g. si-gap-options" },
        channel: { type: "string", description: "one channel (in-app, email, webhook); default: the template's" },
        ...dueParams,
        payload: orFact({ type: "object", description: "the event's params for the template (event.*)" }),
        period: orFact({
          type: "string",
          description: "queued once per period, {name} placeholders filled; default: month, dueDate or day",
        }),
        locale: { enum: ["zh-CN", "en"], description: "default zh-CN" },
        digest: { type: "boolean", description: "combine one recipient's reminders of this template per day" },
        sendOn: orFact({ ...DATE, description: "not sent before this day (09:00 China time); default: at once" }),
      }),
    });
  },
});
