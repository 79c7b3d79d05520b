// An example plugin, the template for new ones: an operator, a dynamic fact and an action.
// Enable it with ORDO_PLUGINS=core-operators,hr-dates,record-decision,social-insurance,example-probation.
//   operator  multipleOf                      fact is a whole multiple of value (e.g. every 12 months)
//   fact      probationEnd { months? = 6 }    hire date plus the probation months (YYYY-MM-DD)
//   action    probation-review                raises a "probation_review" alert through the host's
//                                             services.raiseAlert (operations and monthly runs alike);
//                                             in a dry run it only reports the alert
import { definePlugin, type AlertInput } from "../../rules";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

export default definePlugin({
  name: "example-probation",
  setup(api) {
    api.addOperator("multipleOf", (a, b) => typeof a === "number" && typeof b === "number" && b !== 0 && a % b === 0, {
      description: { "zh-CN": "事实是比较值的整数倍", en: "fact is a whole multiple of value" },
      factType: "number",
      valueType: "number",
    });
    api.addFact(
      "probationEnd",
      (params, ctx) => {
        const hire = ctx.factValue("hireDate");
        const months = typeof params.months === "number" ? params.months : 6;
        return typeof hire === "string" && DATE.test(hire) ? addMonths(hire, months) : undefined;
      },
      {
        type: "string",
        description: {
          "zh-CN": "入职日期加上试用期月数（params.months，默认 6）",
          en: "hire date plus the probation months (params.months, default 6)",
        },
        params: { type: "object", properties: { months: { type: "integer", minimum: 1, maximum: 24 } } },
      },
    );
    api.addAction(
      "probation-review",
      async (event, ctx) => {
        const raise = ctx.services.raiseAlert;
        const due = event.params?.dueDate;
        const alert: AlertInput = {
          type: "probation_review",
          severity: "info",
          message: String(event.params?.message ?? "Probation review due"),
          dueDate: typeof due === "string" && DATE.test(due) ? due : null,
        };
        if (!raise) return { raised: false, alert };
        return { raised: true, result: await raise(alert) };
      },
      {
        description: {
          "zh-CN": "请 HR 评估试用期即将结束的员工",
          en: "asks HR to review an employee whose probation is ending",
        },
      },
    );
  },
});
