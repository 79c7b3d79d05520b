/**
 * The value checks shared by bodies, query strings, path parameters and list filters, so Postgres never
 * sees a literal it refuses: calendar dates in a sane year range, months, UUIDs, decimals that fit
 * numeric(14,2), integers that fit int4, and text without NUL bytes or unpaired surrogates.
 */
import { daysInMonth } from "../../policies/dates";

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;
/** Largest int4: versions, revisions and other integer columns. */
export const INT4_MAX = 2_147_483_647;
/** Deepest JSON nesting a request may carry. */
export const MAX_JSON_DEPTH = 64;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:?\d{2})?$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** numeric(14,2): at most 12 integer digits and 2 decimals. */
export const MONEY_RE = /^-?\d{1,12}(\.\d{1,2})?$/;
/** A decimal input to a calculation (rates, indices): 12 integer digits, up to 6 decimals. */
export const DECIMAL_RE = /^-?\d{1,12}(\.\d{1,6})?$/;

const inYears = (y: number) => y >= MIN_YEAR && y <= MAX_YEAR;

export function isDate(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return inYears(y) && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function isMonth(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const m = MONTH_RE.exec(text);
  return !!m && inYears(Number(m[1])) && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

export function isDateTime(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const m = DATE_TIME_RE.exec(text);
  if (!m || !isDate(m[1])) return false;
  return Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4]) <= 59;
}

export const isUuid = (text: unknown): text is string => typeof text === "string" && UUID_RE.test(text);

export const isInt4 = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n >= -INT4_MAX - 1 && n <= INT4_MAX;

/** A string Postgres can store in text and jsonb: no NUL byte and no unpaired surrogate. */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && (s as string & { isWellFormed(): boolean }).isWellFormed();
}

const pointerPart = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * The first problem in a JSON value, walked without recursion (a 20,000-deep body must not overflow
 * the stack): a string or key that cannot be stored, or nesting deeper than `maxDepth`.
 */
export function textProblem(
  value: unknown,
  maxDepth = MAX_JSON_DEPTH,
): { pointer: string; problem: "text" | "depth" } | undefined {
  // Nearly every body is clean: one pass that builds no pointers says so; the walk below finds where.
  if (isClean(value, 0, maxDepth)) return undefined;
  const stack: [unknown, string, number][] = [[value, "", 0]];
  while (stack.length) {
    const [v, pointer, depth] = stack.pop()!;
    if (typeof v === "string") {
      if (!isStorableText(v)) return { pointer: pointer || "/", problem: "text" };
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (depth >= maxDepth) return { pointer: pointer || "/", problem: "depth" };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${pointer}/${i}`, depth + 1]);
      continue;
    }
    for (const [k, item] of Object.entries(v)) {
      const at = `${pointer}/${pointerPart(k)}`;
      if (!isStorableText(k)) return { pointer: at, problem: "text" };
      stack.push([item, at, depth + 1]);
    }
  }
  return undefined;
}

/**
 * Whether `textProblem` would find nothing, without building pointers (a 10,000-item batch spends
 * more on those strings than on its evaluation). Recursion stops at `maxDepth`, so it cannot overflow.
 */
function isClean(v: unknown, depth: number, maxDepth: number): boolean {
  if (typeof v === "string") return isStorableText(v);
  if (typeof v !== "object" || v === null) return true;
  if (depth >= maxDepth) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!isClean(v[i], depth + 1, maxDepth)) return false;
    return true;
  }
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!isStorableText(k) || !isClean((v as Record<string, unknown>)[k], depth + 1, maxDepth)) return false;
  }
  return true;
}
