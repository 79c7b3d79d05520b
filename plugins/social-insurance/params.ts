// Event params may point at facts: `{ "fact": "hireDate" }` is replaced by that input fact, and
// `{ "fact": "x", "path": "a.b" }` by a property of it. Messages use `{name}` placeholders for facts
// and resolved params. Dates are computed here so rule authors write offsets, not arithmetic.
import { isCalendarDate, isMonth } from "../../domain/index";
import { addDays, addMonths, firstDay, lastDay, monthOf } from "../../policies/index";

type Facts = Readonly<Record<string, unknown>>;

const isRef = (v: unknown): v is { fact: string; path?: string } =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  typeof (v as { fact?: unknown }).fact === "string" &&
  Object.keys(v).every((k) => k === "fact" || k === "path");

export function resolveParam(value: unknown, facts: Facts): unknown {
  if (isRef(value)) {
    let out: unknown = facts[value.fact];
    for (const part of value.path ? value.path.split(".") : [])
      out = (out as Record<string, unknown> | undefined)?.[part];
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => resolveParam(v, facts));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveParam(v, facts)]));
  }
  return value;
}

export function resolveParams(params: Record<string, unknown> | undefined, facts: Facts): Record<string, unknown> {
  return resolveParam(params ?? {}, facts) as Record<string, unknown>;
}

export function fill(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    values[name] === undefined || values[name] === null ? m : String(values[name]),
  );
}

export { isCalendarDate as isDate, isMonth };

/** `dueDate`, else `dueFrom` (default: the evaluation date) plus `dueInDays`, else undefined. */
export function dueDateOf(p: Record<string, unknown>, at: string): string | null {
  if (isCalendarDate(p.dueDate)) return p.dueDate;
  if (typeof p.dueInDays === "number") {
    const due = addDays(isCalendarDate(p.dueFrom) ? p.dueFrom : at, p.dueInDays);
    // Advance notice (negative days before an event) that is already late is due now, not in the past;
    // a deadline after an event (positive days) keeps its real date, late or not.
    return p.dueInDays < 0 && due < at ? at : due;
  }
  return null;
}

/** A month param: "YYYY-MM", a date (its month), plus `offsetMonths`. */
export function monthParam(value: unknown, offsetMonths: unknown, fallback: string): string {
  const month = isMonth(value) ? value : isCalendarDate(value) ? monthOf(value) : fallback;
  return typeof offsetMonths === "number" ? addMonths(month, offsetMonths) : month;
}

export { firstDay, lastDay, monthOf, addMonths, addDays };
