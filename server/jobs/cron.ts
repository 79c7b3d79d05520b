/** Cron expressions of per-tenant schedules: five fields (minute hour day month weekday) in a time zone. */
import cronParser from "cron-parser";

export const DEFAULT_TIMEZONE = "Asia/Shanghai";

export function timezoneProblem(tz: unknown): string | undefined {
  if (typeof tz !== "string" || !tz) return "must be an IANA time zone such as Asia/Shanghai";
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return undefined;
  } catch {
    return `is not a known time zone: "${tz}"`;
  }
}

export function cronProblem(cron: unknown, tz = "UTC"): string | undefined {
  if (typeof cron !== "string" || cron.trim().split(/\s+/).length !== 5)
    return "must have five fields: minute hour day-of-month month day-of-week (e.g. 0 2 1 * *)";
  try {
    cronParser.parseExpression(cron, { tz });
    return undefined;
  } catch (e) {
    return `is not a valid cron expression: ${(e as Error).message}`;
  }
}

/** The latest time at or before `now` the expression fires. */
export function lastFireTime(cron: string, tz: string, now: Date): Date {
  // cron-parser's prev() is strictly before currentDate: start a second later so `now` itself counts.
  return cronParser
    .parseExpression(cron, { tz, currentDate: new Date(now.getTime() + 1000) })
    .prev()
    .toDate();
}

export function nextFireTime(cron: string, tz: string, now: Date): Date {
  return cronParser.parseExpression(cron, { tz, currentDate: now }).next().toDate();
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export const localDate = (at: Date, tz: string): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
