/**
 * The Liquid filters reminder templates may use besides liquidjs's built-in ones: money as `¥4,500.00`
 * (decimal.js, never floats), dates and months in Chinese (`2024年6月30日`, `2024年5月`) and English
 * (`June 30, 2024`, `May 2024`), city codes as names. A value they cannot read is a render error, never a
 * wrong figure.
 */
import Decimal from "decimal.js";
import { cityByCode } from "../../domain/index";

const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const MONTH = /^(\d{4})-(\d{2})(?:-\d{2})?/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function parts(value: unknown, re: RegExp, filter: string): number[] {
  const m = typeof value === "string" ? re.exec(value) : null;
  if (!m) throw new Error(`${filter} expects ${re === DATE ? "a date YYYY-MM-DD" : "a month YYYY-MM"}, got ${value}`);
  return m.slice(1).map(Number);
}

/** `4500` → `¥4,500.00`; half-up to the cent. */
export function money(value: unknown): string {
  const text = typeof value === "number" ? String(value) : String(value ?? "").trim();
  if (!(typeof value === "number" ? Number.isFinite(value) : DECIMAL.test(text)))
    throw new Error(`money expects an amount, got ${value}`);
  const d = new Decimal(text).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const [int, frac] = d.abs().toFixed(2).split(".") as [string, string];
  return `${d.isNegative() && !d.isZero() ? "-" : ""}¥${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}

export const dateZh = (value: unknown) => {
  const [y, m, d] = parts(value, DATE, "date_zh");
  return `${y}年${m}月${d}日`;
};
export const dateEn = (value: unknown) => {
  const [y, m, d] = parts(value, DATE, "date_en");
  return `${MONTHS_EN[m! - 1]} ${d}, ${y}`;
};
export const monthZh = (value: unknown) => {
  const [y, m] = parts(value, MONTH, "month_zh");
  return `${y}年${m}月`;
};
export const monthEn = (value: unknown) => {
  const [y, m] = parts(value, MONTH, "month_en");
  return `${MONTHS_EN[m! - 1]} ${y}`;
};

/** A GB/T 2260 city code as its name (the code itself for a city Ordo does not know). */
export const cityZh = (value: unknown) => cityByCode(String(value))?.zh ?? String(value);
export const cityEn = (value: unknown) => cityByCode(String(value))?.en ?? String(value);

/** Filter name → implementation; the names are what the fact catalogue offers for completion. */
export const REMINDER_FILTERS: Record<string, (value: unknown) => string> = {
  money,
  date_zh: dateZh,
  date_en: dateEn,
  month_zh: monthZh,
  month_en: monthEn,
  city_zh: cityZh,
  city_en: cityEn,
};
