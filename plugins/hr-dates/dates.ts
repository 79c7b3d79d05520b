// Calendar arithmetic on ISO dates (YYYY-MM-DD), in whole days: no time zones, no clocks.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/;
const DAY = 86_400_000;

/** Days since 1970-01-01 for a valid ISO date (a datetime counts by its date part), else undefined. */
export function dayNumber(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const date = new Date(t);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return t / DAY;
}

export const isIsoDate = (value: unknown): value is string => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayNumber(value) !== undefined;

const parts = (value: string) => value.slice(0, 10).split("-").map(Number) as [number, number, number];
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Whole months from `from` to `to`. A month is complete on the same day of the month, or on the
 * last day of a shorter month (31 Jan → 29 Feb is one month). Negative when `to` is earlier.
 */
export function monthsBetween(from: string, to: string): number {
  if (dayNumber(from)! > dayNumber(to)!) return -monthsBetween(to, from);
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  const months = (ty - fy) * 12 + (tm - fm);
  return td < fd && td !== lastDayOfMonth(ty, tm) ? months - 1 : months;
}

/** Days from `from` to `to`, negative when `to` is earlier. */
export const daysBetween = (from: string, to: string): number => dayNumber(to)! - dayNumber(from)!;
