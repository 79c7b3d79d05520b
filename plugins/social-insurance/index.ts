// Social insurance (社保) for HR rules. Facts:
//   policy       { table, key, column?, date? }   a policy-table row (or one column) in force on `date`
//                                                (default: the evaluation date); key values may be
//                                                { "fact": name }. Reads services.policy (a PolicySet);
//                                                null when no row is in force; undefined without a
//                                                policy set (dry runs, test cases).
//   contribution { measure, excludeBackPaid?, asOf? } continuous / cumulative / gap months from the
//                                                input fact `paidMonths` ([{ month, backPaid? }]).
// Actions (write through services.enrollments / services.employee, see actions.ts): create-enrollment,
// end-enrollment, set-insured-city,
// adjust-base, raise-alert, resolve-alert, queue-reminder.
import { definePlugin, type FactContext } from "../../rules";
import { analyzeContinuity, type PaidMonth, type PolicySet } from "../../policies/index";
import {
  adjustBase,
  createEnrollment,
  endEnrollment,
  queueReminder,
  raiseAlert,
  resolveAlert,
  setInsuredCity,
} from "./actions";
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
  dueDate: orFact({ ...DATE, description: { "zh-CN": "截止日期（YYYY-MM-DD）", en: "the due date (YYYY-MM-DD)" } }),
  dueFrom: orFact({
    ...DATE,
    description: {
      "zh-CN": "dueInDays 的起算日期（默认：评估日期）",
      en: "the date dueInDays counts from (default: the evaluation date)",
    },
  }),
  dueInDays: orFact({
    type: "integer",
    description: { "zh-CN": "dueFrom 之后的天数（负数：之前）", en: "days after dueFrom (negative: before)" },
  }),
};
const params = (properties: Record<string, unknown>) => ({ type: "object", properties });

export default definePlugin({
  name: "social-insurance",
  setup(api) {
    api.addFact("policy", policyFact, {
      type: "any",
      description: {
        "zh-CN": "params.key 对应、在 params.date（默认：评估日期）生效的政策表行（或其中的 params.column 列）",
        en:
          "the policy-table row (or params.column of it) in force on params.date " +
          "(default: the evaluation date) for params.key",
      },
      params: {
        type: "object",
        required: ["table", "key"],
        properties: {
          table: { type: "string" },
          key: { type: "object", additionalProperties: { anyOf: [{ type: ["string", "integer"] }, ref] } },
          column: { type: "string" },
          date: {
            type: "string",
            description: {
              "zh-CN": "日期（YYYY-MM-DD）或存有日期的事实名称",
              en: "a date (YYYY-MM-DD) or the name of a fact holding one",
            },
          },
        },
      },
    });
    api.addFact("contribution", contributionFact, {
      type: "integer",
      description: {
        "zh-CN":
          "由输入事实 paidMonths 计算的缴费月数：measure 取 " +
          '"continuous"（连续，默认）、"cumulative"（累计）、"gapMonths"（断缴月数）或 "backPaid"（补缴）',
        en:
          "months of contribution from the input fact paidMonths: " +
          'measure "continuous" (default), "cumulative", "gapMonths" or "backPaid"',
      },
      params: {
        type: "object",
        properties: {
          measure: { enum: ["continuous", "cumulative", "gapMonths", "backPaid"] },
          excludeBackPaid: { type: "boolean" },
          asOf: {
            type: "string",
            description: {
              "zh-CN": "月份（YYYY-MM）或存有月份的事实名称",
              en: "a month (YYYY-MM) or the name of a fact holding one",
            },
          },
        },
      },
    });
    api.addAction("create-enrollment", createEnrollment, {
      description: {
        "zh-CN": "从入职月份（或 params.fromMonth）起为员工增员；已参保则跳过",
        en: "enrolls the employee (增员) from the hire month, or params.fromMonth; skips if already enrolled",
      },
      params: params({
        fromMonth: orFact({
          ...MONTH,
          description: {
            "zh-CN": "起始月份（YYYY-MM 或日期）；默认：事实 hireDate",
            en: "first month (YYYY-MM or a date); default: the hireDate fact",
          },
        }),
        from: orFact({
          ...DATE,
          description: {
            "zh-CN": "以其所在月份为起始月份的日期（代替 fromMonth）",
            en: "a date whose month is the first month (instead of fromMonth)",
          },
        }),
        offsetMonths: orFact({
          type: "integer",
          description: { "zh-CN": "起始月份上加的月数", en: "months added to the first month" },
        }),
        city: orFact({
          type: "string",
          pattern: CITY_PATTERN,
          description: { "zh-CN": "参保城市；默认：insuredCity", en: "insured city; default: insuredCity" },
        }),
        insurances: {
          type: "array",
          items: { type: "string" },
          description: { "zh-CN": "默认：五险", en: "default: the five insurances" },
        },
        base: orFact({
          type: "string",
          description: {
            "zh-CN": "缴费基数；默认：事实 monthlyWage",
            en: "contribution base; default: the monthlyWage fact",
          },
        }),
        status: {
          enum: ["pending", "active"],
          description: { "zh-CN": "默认：pending（待办）", en: "default: pending" },
        },
        reason: orFact({ type: "string", description: { "zh-CN": "默认：hire（入职）", en: "default: hire" } }),
      }),
    });
    api.addAction("set-insured-city", setInsuredCity, {
      description: {
        "zh-CN": "设定员工参保城市（远程员工）；当前参保期随之迁移或自 params.from 所在月份起转入新城市",
        en: "sets the employee's insured city (remote staff); the open enrollment moves, or moves from params.from",
      },
      params: params({
        city: orFact({
          type: "string",
          pattern: CITY_PATTERN,
          description: { "zh-CN": "参保城市", en: "the insured city" },
        }),
        from: orFact({
          ...DATE,
          description: {
            "zh-CN": "自其所在月份起在新城市参保；默认：事实 hireDate",
            en: "a date whose month the new city applies from; default: the hireDate fact",
          },
        }),
        reason: orFact({ type: "string", description: { "zh-CN": "默认：move（迁移）", en: "default: move" } }),
      }),
    });
    api.addAction("end-enrollment", endEnrollment, {
      description: {
        "zh-CN": "以 params.to（默认：事实 leaveDate）所在月份结束当前参保（减员）",
        en: "ends the open enrollment (减员) with the month of params.to (default: the leaveDate fact)",
      },
      params: params({
        to: orFact({
          ...DATE,
          description: {
            "zh-CN": "最后工作日；默认：事实 leaveDate",
            en: "last day worked; default: the leaveDate fact",
          },
        }),
        endOfMonth: {
          type: "boolean",
          description: {
            "zh-CN": "在 `to` 所在月份末结束（默认），而不是当天",
            en: "end with the month of `to` (default) rather than on it",
          },
        },
        reason: orFact({ type: "string", description: { "zh-CN": "默认：leave（离职）", en: "default: leave" } }),
      }),
    });
    api.addAction("adjust-base", adjustBase, {
      description: {
        "zh-CN": "从 params.fromMonth（默认：事实 effectiveMonth）起申报新的缴费基数",
        en: "declares a new wage base from params.fromMonth (default: the effectiveMonth fact)",
      },
      params: params({
        base: orFact({
          type: "string",
          description: { "zh-CN": "新基数；默认：事实 monthlyWage", en: "the new base; default: the monthlyWage fact" },
        }),
        fromMonth: orFact({
          ...MONTH,
          description: {
            "zh-CN": "新基数的起始月份；默认：effectiveMonth",
            en: "first month of the new base; default: effectiveMonth",
          },
        }),
        offsetMonths: orFact({
          type: "integer",
          description: { "zh-CN": "fromMonth 上加的月数", en: "months added to fromMonth" },
        }),
        reason: orFact({
          type: "string",
          description: { "zh-CN": "默认：wage-change（调薪）", en: "default: wage-change" },
        }),
      }),
    });
    api.addAction("raise-alert", raiseAlert, {
      description: {
        "zh-CN": "发出提醒（type、severity、message、dueDate 或 dueFrom + dueInDays）；按 dedupeKey 去重",
        en: "raises an alert (type, severity, message, dueDate or dueFrom + dueInDays); deduplicated by dedupeKey",
      },
      params: params({
        type: orFact({
          type: "string",
          description: { "zh-CN": "提醒类型，例如 leave_upcoming", en: "alert type, e.g. leave_upcoming" },
        }),
        severity: {
          enum: ["info", "warning", "critical"],
          description: { "zh-CN": "默认：warning（警告）", en: "default: warning" },
        },
        message: orFact({
          type: "string",
          description: {
            "zh-CN": "文本；{name} 会替换为同名事实或参数",
            en: "text; {name} is replaced by that fact or param",
          },
        }),
        ...dueParams,
        dedupeKey: {
          type: "string",
          description: {
            "zh-CN": "每个键只保留一条未处理提醒；可用 {name} 占位符",
            en: "one open alert per key; {name} placeholders allowed",
          },
        },
        dedupe: { type: "boolean", description: { "zh-CN": "false：从不去重", en: "false: never deduplicate" } },
        data: {
          type: "object",
          description: { "zh-CN": "随提醒保存的附加数据", en: "extra data kept with the alert" },
        },
        template: {
          type: "string",
          description: {
            "zh-CN": "通知模板：同时发送通知（数据与提示语作为 event.*）",
            en: "a reminder template: also notify (data and message as event.*)",
          },
        },
      }),
    });
    api.addAction("resolve-alert", resolveAlert, {
      description: {
        "zh-CN": "处理（关闭）该员工某类型的未处理提醒：引发提醒的情况已不存在",
        en: "resolves the employee's open alerts of a type: the situation that raised them is over",
      },
      params: params({
        type: orFact({
          type: "string",
          description: {
            "zh-CN": "提醒类型，例如 remote_agent_payment_noncompliant",
            en: "alert type, e.g. remote_agent_payment_noncompliant",
          },
        }),
        reason: {
          type: "string",
          description: {
            "zh-CN": "记入提醒历史的原因；可用 {name} 占位符",
            en: "the reason kept in the alert's history; {name} placeholders allowed",
          },
        },
      }),
    });
    api.addAction("queue-reminder", queueReminder, {
      description: {
        "zh-CN": "按模板为 HR 或员工生成通知并放入发件箱",
        en: "renders a reminder template for HR or the employee and queues it in the outbox",
      },
      params: params({
        recipient: { enum: ["hr", "employee"], description: { "zh-CN": "默认：hr", en: "default: hr" } },
        template: {
          type: "string",
          description: {
            "zh-CN": "通知模板标识，例如 si-gap-options",
            en: "reminder template key, e.g. si-gap-options",
          },
        },
        channel: {
          type: "string",
          description: {
            "zh-CN": "单一渠道（in-app、email、webhook）；默认：模板配置的渠道",
            en: "one channel (in-app, email, webhook); default: the template's",
          },
        },
        ...dueParams,
        payload: orFact({
          type: "object",
          description: {
            "zh-CN": "模板所需的事件参数（event.*）",
            en: "the event's params for the template (event.*)",
          },
        }),
        period: orFact({
          type: "string",
          description: {
            "zh-CN": "每个周期只发送一次，可用 {name} 占位符；默认：月份、到期日或当天",
            en: "queued once per period, {name} placeholders filled; default: month, dueDate or day",
          },
        }),
        locale: { enum: ["zh-CN", "en"], description: { "zh-CN": "默认 zh-CN", en: "default zh-CN" } },
        digest: {
          type: "boolean",
          description: {
            "zh-CN": "同一接收人当天的此类通知合并为一条",
            en: "combine one recipient's reminders of this template per day",
          },
        },
        sendOn: orFact({
          ...DATE,
          description: {
            "zh-CN": "此日期（北京时间 09:00）之前不发送；默认：立即",
            en: "not sent before this day (09:00 China time); default: at once",
          },
        }),
      }),
    });
  },
});
