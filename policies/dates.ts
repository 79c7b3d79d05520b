import { isCalendarDate, isMonth } from "../domain/index";
import { PolicyError } from "./errors";

/** Dates are "YYYY-MM-DD" strings and months "YYYY-MM"; arithmetic goes through UTC day numbers only. */
export type IsoDate = string;
export type IsoMonth = string;

const DAY_MS = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

export const isValidDate = (text: unknown): text is IsoDate => isCalendarDate(text);

export const isValidMonth = (text: unknown): text is IsoMonth => isMonth(text);

export function assertDate(text: unknown, field = "date"): IsoDate {
  if (!isValidDate(text))
    throw new PolicyError("INVALID_DATE", `${field} must be YYYY-MM-DD: ${String(text)}`, { field });
  return text;
}

export function assertMonth(text: unknown, field = "month"): IsoMonth {
  if (!isValidMonth(text))
    throw new PolicyError("INVALID_DATE", `${field} must be YYYY-MM: ${String(text)}`, { field });
  return text;
}

export function parseDate(date: IsoDate): { year: number; month: number; day: number } {
  const [y, m, d] = date.split("-").map(Number);
  return { year: y, month: m, day: d };
}

export function parseMonth(month: IsoMonth): { year: number; month: number } {
  const [y, m] = month.split("-").map(Number);
  return { year: y, month: m };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function formatDate(year: number, month: number, day: number): IsoDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function formatMonth(year: number, month: number): IsoMonth {
  return `${pad(year, 4)}-${pad(month)}`;
}

/** Months since year 0, so months compare and subtract as integers. */
export function monthIndex(month: IsoMonth): number {
  const { year, month: m } = parseMonth(month);
  return year * 12 + (m - 1);
}

export function monthFromIndex(index: number): IsoMonth {
  return formatMonth(Math.floor(index / 12), (index % 12) + 1);
}

export function addMonths(month: IsoMonth, n: number): IsoMonth {
  return monthFromIndex(monthIndex(month) + n);
}

export function monthsBetween(from: IsoMonth, to: IsoMonth): number {
  return monthIndex(to) - monthIndex(from);
}

/** Inclusive list of months from..to (empty when to < from). */
export function monthRange(from: IsoMonth, to: IsoMonth): IsoMonth[] {
  const out: IsoMonth[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthFromIndex(i));
  return out;
}

export function monthOf(date: IsoDate): IsoMonth {
  return date.slice(0, 7);
}

export function firstDay(month: IsoMonth): IsoDate {
  return `${month}-01`;
}

export function lastDay(month: IsoMonth): IsoDate {
  const { year, month: m } = parseMonth(month);
  return formatDate(year, m, daysInMonth(year, m));
}

/** Day `day` of the month, clamped to the month's last day (the 31st of February is the 28th/29th). */
export function dayOfMonth(month: IsoMonth, day: number): IsoDate {
  const { year, month: m } = parseMonth(month);
  return formatDate(year, m, Math.min(day, daysInMonth(year, m)));
}

export function dayNumber(date: IsoDate): number {
  const { year, month, day } = parseDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function dateFromDayNumber(n: number): IsoDate {
  const d = new Date(n * DAY_MS);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return dateFromDayNumber(dayNumber(date) + n);
}

/** Days from `from` to `to` (to - from); negative when to is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** Adds calendar months to a date, clamping the day (2024-01-31 + 1 month = 2024-02-29). */
export function addMonthsToDate(date: IsoDate, n: number): IsoDate {
  const { day } = parseDate(date);
  return dayOfMonth(addMonths(monthOf(date), n), day);
}
