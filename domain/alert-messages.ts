import { ENUMS } from "./enums";
import { cityByCode } from "./cities";
// Alert messages as data: one catalogue keyed by alert type, a zh-CN and an en text per variant, with the
// alert's params (stored in its `data`) in braces. An alert is stored as type + params and read in the
// reader's language; the stored `message` is only the fallback for types the catalogue does not know
// (a plugin's custom alert) or an alert whose params lack a placeholder the texts need. The texts are
// data (alert-messages.json), so a consultant corrects a wording without touching code.
import catalogue from "./alert-messages.json";

export interface AlertText {
  zh: string;
  en: string;
}

/** Variants of a type, most specific first: the first whose placeholders are all present is used. */
export const ALERT_MESSAGES: Record<string, readonly AlertText[]> = catalogue;

const PLACEHOLDER = /\{(\w+)\}/g;

/** The placeholder names of a text, in order. */
export const placeholdersOf = (text: string): string[] => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);

const present = (v: unknown) => v !== undefined && v !== null && v !== "";

/**
 * A param as the reader reads it: a code of the enum the param is named after (employmentType) by its
 * label, a city code in a `…City` param by the city's name; anything else as stored.
 */
function shown(name: string, value: unknown, locale: "zh-CN" | "en"): string {
  const text = String(value);
  const options = (ENUMS as Record<string, readonly { code: string; zh: string; en: string }[]>)[name];
  const option = options?.find((o) => o.code === text);
  if (option) return locale === "zh-CN" ? option.zh : option.en;
  if (/City$/.test(name)) {
    const city = cityByCode(text);
    if (city) return locale === "zh-CN" ? city.zh : city.en;
  }
  return text;
}

/**
 * The alert's message in a locale: the catalogue text of its type with its params filled in; `fallback`
 * (the stored message) when the type is not in the catalogue or no variant has all its params.
 */
export function renderAlertMessage(
  type: string,
  params: Record<string, unknown> | null | undefined,
  locale: "zh-CN" | "en",
  fallback: string,
): string {
  const p = params ?? {};
  for (const v of ALERT_MESSAGES[type] ?? []) {
    const text = locale === "zh-CN" ? v.zh : v.en;
    if (!placeholdersOf(text).every((name) => present(p[name]))) continue;
    return text.replace(PLACEHOLDER, (_, name: string) => shown(name, p[name], locale));
  }
  // A catalogued type whose params fall short: a Chinese reader gets the type's name and whom it is about
  // rather than the English text it was stored with (a plugin's own type keeps its stored text).
  if (locale === "zh-CN" && ALERT_MESSAGES[type] && !/[\u4e00-\u9fff]/.test(fallback)) {
    const label = ENUMS.alertType.find((t) => t.code === type)?.zh;
    if (label) return present(p.employeeName) ? `${label}：${String(p.employeeName)}` : label;
  }
  return fallback;
}

/**
 * The params an English message was filled from, read back with the catalogue's en texts (for alerts
 * stored before messages were rendered per reader); undefined when no variant matches.
 */
export function parseAlertMessage(type: string, message: string): Record<string, string> | undefined {
  for (const v of ALERT_MESSAGES[type] ?? []) {
    const names = placeholdersOf(v.en);
    const pattern = v.en
      .split(PLACEHOLDER)
      .map((part, i) => (i % 2 === 1 ? "(.+?)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("");
    const m = new RegExp(`^${pattern}$`, "s").exec(message);
    if (m) return Object.fromEntries(names.map((n, i) => [n, m[i + 1]!]));
  }
  return undefined;
}
