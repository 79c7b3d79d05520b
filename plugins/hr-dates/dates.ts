// Calendar arithmetic on ISO dates (YYYY-MM-DD), in whole days: no time zones, no clocks.
import { isCalendarDate } from "../../domain/index";

// Parsed by character codes and converted with the days-from-civil formula: these run for every
// evaluation of every employee, so no RegExp and no Date objects.
const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const lastDayOfMonth = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]);

/** Days since 1970-01-01 for a valid ISO date (a datetime counts by its date part), else undefined. */
export function dayNumber(value: unknown): number | undefined {
  if (typeof value !== "string" || value.length < 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45)
    return undefined;
  if (value.length > 10 && value.charCodeAt(10) !== 84) return undefined; // "T"
  const y = digit(value, 0) * 1000 + digit(value, 1) * 100 + digit(value, 2) * 10 + digit(value, 3);
  const m = digit(value, 5) * 10 + digit(value, 6);
  const d = digit(value, 8) * 10 + digit(value, 9);
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= lastDayOfMonth(y, m))) return undefined; // NaN fails too
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** A plain YYYY-MM-DD date naming a real day (a datetime is not one). */
export const isIsoDate = isCalendarDate;

const year = (v: string) => digit(v, 0) * 1000 + digit(v, 1) * 100 + digit(v, 2) * 10 + digit(v, 3);
const month = (v: string) => digit(v, 5) * 10 + digit(v, 6);
const day = (v: string) => digit(v, 8) * 10 + digit(v, 9);

/**
 * Whole months from `from` to `to`. A month is complete on the same day of the month, or on the
 * last day of a shorter month (31 Jan → 29 Feb is one month). Negative when `to` is earlier.
 */
export function monthsBetween(from: string, to: string): number {
  if (from.slice(0, 10) > to.slice(0, 10)) return -monthsBetween(to, from);
  const [fy, fm, fd] = [year(from), month(from), day(from)];
  const [ty, tm, td] = [year(to), month(to), day(to)];
  const months = (ty - fy) * 12 + (tm - fm);
  return td < fd && td !== lastDayOfMonth(ty, tm) ? months - 1 : months;
}

/** Days from `from` to `to`, negative when `to` is earlier. */
export const daysBetween = (from: string, to: string): number => dayNumber(to)! - dayNumber(from)!;
