// Dates for HR rules. Operators compare ISO dates (YYYY-MM-DD) and are false when either side is
// not a valid date. Dynamic facts compute from the evaluation date `at`:
//   today                                    the evaluation date
//   age          { birthDate? }              whole years at `at` (birthDate: a date or a fact name;
//                                            default fact "birthDate")
//   monthsBetween{ from, to? }               whole months from → to (default to: `at`)
//   daysBetween  { from, to? }               days from → to (default to: `at`)
// In params a value written YYYY-MM-DD is a date, anything else names a fact. Missing or invalid
// dates give undefined, which numeric operators treat as false.
// Ranges such as "contract ends within 30 days" are written with daysBetween and lessThanInclusive;
// withinDays covers the symmetric "these two dates are at most N days apart".
import { definePlugin, type FactContext } from "../../rules";
import { dayNumber, daysBetween, isIsoDate, monthsBetween } from "./dates";

const compareDates = (test: (a: number, b: number) => boolean) => (a: unknown, b: unknown) => {
  const x = dayNumber(a);
  const y = dayNumber(b);
  return x !== undefined && y !== undefined && test(x, y);
};

/** A param that is a date literal or a fact name; a Promise only if that fact is asynchronous. */
function dateParam(ctx: FactContext, param: unknown, fallbackFact?: string): unknown {
  if (param === undefined) return fallbackFact === undefined ? ctx.at : ctx.factValue(fallbackFact);
  if (typeof param !== "string") return undefined;
  return isIsoDate(param) ? param : ctx.factValue(param);
}

function withDates(a: unknown, b: unknown, compute: (a: string, b: string) => number): unknown {
  if (a instanceof Promise || b instanceof Promise)
    return Promise.all([a, b]).then(([x, y]) => withDates(x, y, compute));
  return dayNumber(a) !== undefined && dayNumber(b) !== undefined ? compute(a as string, b as string) : undefined;
}

const dateOrFact = {
  type: "string",
  description: {
    "zh-CN": "日期（YYYY-MM-DD）或存有日期的事实名称",
    en: "a date (YYYY-MM-DD) or the name of a fact holding one",
  },
};
const range = { type: "object", required: ["from"], properties: { from: dateOrFact, to: dateOrFact } };

export default definePlugin({
  name: "hr-dates",
  setup(api) {
    const dates = { factType: "string" };
    api.addOperator(
      "dateBefore",
      compareDates((a, b) => a < b),
      { description: { "zh-CN": "事实日期早于比较日期", en: "fact date is before value date" }, ...dates },
    );
    api.addOperator(
      "dateAfter",
      compareDates((a, b) => a > b),
      { description: { "zh-CN": "事实日期晚于比较日期", en: "fact date is after value date" }, ...dates },
    );
    api.addOperator(
      "dateOnOrBefore",
      compareDates((a, b) => a <= b),
      { description: { "zh-CN": "事实日期不晚于比较日期", en: "fact date is on or before value date" }, ...dates },
    );
    api.addOperator(
      "dateOnOrAfter",
      compareDates((a, b) => a >= b),
      { description: { "zh-CN": "事实日期不早于比较日期", en: "fact date is on or after value date" }, ...dates },
    );
    api.addOperator(
      "withinDays",
      (a, b, params) => {
        const x = dayNumber(a);
        const y = dayNumber(b);
        const days = params?.days;
        return x !== undefined && y !== undefined && typeof days === "number" && Math.abs(x - y) <= days;
      },
      {
        description: {
          "zh-CN": "事实日期与比较日期相差不超过 params.days 天（前后均可）",
          en: "fact date and value date are at most params.days days apart (either direction)",
        },
        ...dates,
        params: { type: "object", required: ["days"], properties: { days: { type: "integer", minimum: 0 } } },
      },
    );

    api.addFact("today", (_params, ctx) => ctx.at, {
      type: "string",
      description: { "zh-CN": "评估日期（YYYY-MM-DD）", en: "the evaluation date (YYYY-MM-DD)" },
    });
    api.addFact(
      "age",
      (params, ctx) =>
        withDates(dateParam(ctx, params.birthDate, "birthDate"), ctx.at, (b, at) =>
          Math.floor(monthsBetween(b, at) / 12),
        ),
      {
        type: "integer",
        description: {
          "zh-CN": '从 params.birthDate（日期或事实名称；默认事实 "birthDate"）到评估日期的整岁数',
          en:
            'whole years from params.birthDate (a date or fact name; default fact "birthDate") ' +
            "to the evaluation date",
        },
        params: { type: "object", properties: { birthDate: dateOrFact } },
      },
    );
    api.addFact(
      "monthsBetween",
      (params, ctx) => withDates(dateParam(ctx, params.from), dateParam(ctx, params.to), monthsBetween),
      {
        type: "integer",
        description: {
          "zh-CN": "从 params.from 到 params.to（默认：评估日期）的整月数",
          en: "whole months from params.from to params.to (default: the evaluation date)",
        },
        params: range,
      },
    );
    api.addFact(
      "daysBetween",
      (params, ctx) => withDates(dateParam(ctx, params.from), dateParam(ctx, params.to), daysBetween),
      {
        type: "integer",
        description: {
          "zh-CN": "从 params.from 到 params.to（默认：评估日期）的天数",
          en: "days from params.from to params.to (default: the evaluation date)",
        },
        params: range,
      },
    );
  },
});
