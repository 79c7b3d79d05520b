/**
 * What the status card and the chart show, from GET /api/me/summary, as plain functions (unit-tested):
 * each action's params formatted for the reader (months, money, dates, cities), the ledger as chart rows.
 */
import { cityName } from "../../../domain/index";
import { formatDate, formatMoney, formatMonth } from "../format";

export interface StatusAction {
  code: string;
  params: Record<string, unknown>;
}

const MONEY = new Set(["minBase", "maxBase", "chosenBase", "monthly", "minMonthly", "maxMonthly", "base"]);
const DATES = new Set(["deadline", "leaveDate"]);

/** The options a translation of `ordo.self.actions.<code>` takes, formatted for `locale`. */
export function actionOptions(action: StatusAction, locale: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(action.params ?? {})) {
    if (k === "months" && Array.isArray(v)) {
      out.months = v.map((m) => formatMonth(m, locale)).join(locale.startsWith("zh") ? "、" : ", ");
      out.smart_count = v.length;
    } else if (k === "month") out.month = formatMonth(v, locale);
    else if (k === "city") out.city = cityName(String(v), locale);
    else if (MONEY.has(k)) out[k] = formatMoney(v);
    else if (DATES.has(k)) out[k] = formatDate(v, locale);
    else out[k] = v;
  }
  return out;
}

/** Severity of an action on the card: what needs doing is a warning, information is info. */
export const actionSeverity = (code: string): "success" | "warning" | "info" =>
  code === "all_paid"
    ? "success"
    : ["unpaid_ask_hr", "not_enrolled", "no_back_payment"].includes(code)
      ? "warning"
      : "info";

export interface ChartRow {
  month: string;
  label: string;
  employer: number;
  employee: number;
  /** The exact amounts, for the tooltip. */
  employerText: string;
  employeeText: string;
  unpaid: boolean;
}

/**
 * One bar per ledger month, oldest first; bar heights are numbers (a chart needs them), the tooltip
 * shows the exact decimal strings. Unpaid months (listed by the server) are flagged.
 */
export function chartRows(
  contributions: { month?: unknown; employer?: unknown; employee?: unknown }[],
  unpaidMonths: string[],
  locale: string,
): ChartRow[] {
  const unpaid = new Set(unpaidMonths);
  return contributions
    .filter((c) => typeof c.month === "string")
    .map((c) => ({
      month: c.month as string,
      label: formatMonth(c.month, locale),
      employer: Number(c.employer ?? 0),
      employee: Number(c.employee ?? 0),
      employerText: formatMoney(c.employer ?? "0"),
      employeeText: formatMoney(c.employee ?? "0"),
      unpaid: unpaid.has(c.month as string),
    }))
    .sort((a, b) => (a.month < b.month ? -1 : 1));
}
