/**
 * Money, dates and months as a reader expects them: ¥12,345.67; 2024年6月30日 / 30 Jun 2024;
 * 2024年5月 / May 2024. Money stays a decimal string throughout: grouping is done on the digits,
 * never through a binary float.
 */
const isZh = (locale: string) => locale.toLowerCase().startsWith("zh");

export function formatMoney(value: unknown): string {
  if (value == null || value === "") return "";
  const text = String(value).trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const [, sign = "", whole, frac = ""] = m;
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cents = frac.length >= 2 ? frac : frac.padEnd(2, "0");
  return `${sign}¥${grouped}.${cents}`;
}

const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function formatMonth(value: unknown, locale: string): string {
  const m = typeof value === "string" ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  if (!m) return value == null ? "" : String(value);
  const month = Number(m[2]);
  return isZh(locale) ? `${m[1]}年${month}月` : `${EN_MONTHS[month - 1]} ${m[1]}`;
}

export function formatDate(value: unknown, locale: string): string {
  const m = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  if (!m) return value == null ? "" : String(value);
  const [, y, mo, d] = m;
  return isZh(locale) ? `${y}年${Number(mo)}月${Number(d)}日` : `${Number(d)} ${EN_MONTHS[Number(mo) - 1]} ${y}`;
}

/** The label of an enum value in a locale, from the entity declaration's labels; the code otherwise. */
export function enumLabel(
  labels: Record<string, { "zh-CN"?: string; en?: string }> | undefined,
  value: unknown,
  locale: string,
): string {
  if (value == null) return "";
  const entry = labels && Object.hasOwn(labels, String(value)) ? labels[String(value)] : undefined;
  return (isZh(locale) ? entry?.["zh-CN"] : entry?.en) ?? String(value);
}
