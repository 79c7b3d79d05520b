// Ordo's domain constants as data, in one place shared by the server, the policies and the admin
// (like json-rules-engine's default operators). Pure data and tiny functions: no imports beyond
// this folder, so the admin bundle stays free of server code.
export * from "./cities";

/** A code with its zh-CN and en labels. */
export interface Labelled<C extends string = string> {
  code: C;
  zh: string;
  en: string;
}

/** `{ code: label }` for one language, as i18n message tables want them. */
export const labelsIn = <C extends string>(items: readonly Labelled<C>[], lang: "zh" | "en") =>
  Object.fromEntries(items.map((i) => [i.code, i[lang]])) as Record<C, string>;

// Dates are "YYYY-MM-DD" and months "YYYY-MM": the patterns as strings for JSON schemas, as RegExps for code.
export const DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";
export const MONTH_PATTERN = "^\\d{4}-(0[1-9]|1[0-2])$";
export const DATE = new RegExp(DATE_PATTERN);
export const MONTH = new RegExp(MONTH_PATTERN);

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** A "YYYY-MM-DD" string naming a real day (no 2023-02-29, no 2024-04-31). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== "string" || !DATE.test(value)) return false;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  const last = m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return m >= 1 && m <= 12 && d >= 1 && d <= last;
}

export const isMonth = (value: unknown): value is string => typeof value === "string" && MONTH.test(value);

/** Social insurance (五险) and the housing fund (公积金); `social: false` marks the housing fund. */
export const INSURANCES = [
  { code: "pension", zh: "养老保险", en: "Pension", social: true },
  { code: "medical", zh: "医疗保险", en: "Medical", social: true },
  { code: "unemployment", zh: "失业保险", en: "Unemployment", social: true },
  { code: "work_injury", zh: "工伤保险", en: "Work injury", social: true },
  { code: "maternity", zh: "生育保险", en: "Maternity", social: true },
  { code: "housing_fund", zh: "住房公积金", en: "Housing fund", social: false },
] as const satisfies readonly (Labelled & { social: boolean })[];

export type Insurance = (typeof INSURANCES)[number]["code"];
export const INSURANCE_CODES: readonly Insurance[] = INSURANCES.map((i) => i.code);
/** The five social insurances: enrolments, back-payments and late fees concern these. */
export const SOCIAL_INSURANCE_CODES: readonly Insurance[] = INSURANCES.filter((i) => i.social).map((i) => i.code);

/** Statutory retirement-age categories (male staff, female cadres, female workers). */
export const RETIREMENT_CATEGORIES = [
  { code: "male", zh: "男职工", en: "Male employee" },
  { code: "female_cadre", zh: "女干部", en: "Female cadre / staff" },
  { code: "female_worker", zh: "女工人", en: "Female worker" },
] as const satisfies readonly Labelled[];

export type RetirementCategory = (typeof RETIREMENT_CATEGORIES)[number]["code"];

/**
 * The retirement category of a person. A woman's depends on her post; without one Ordo assumes a worker's
 * post (the earlier age, so no reminder comes too late) and says so, in the API and self-service alike.
 */
export function retirementCategoryOf(
  gender: string | null | undefined,
  post: string | null | undefined,
): { category: RetirementCategory | null; assumed: "post:worker" | null } {
  if (gender === "male") return { category: "male", assumed: null };
  if (gender !== "female") return { category: null, assumed: null };
  if (post === "cadre") return { category: "female_cadre", assumed: null };
  return { category: "female_worker", assumed: post === "worker" ? null : "post:worker" };
}
export const RETIREMENT_CATEGORY_CODES: readonly RetirementCategory[] = RETIREMENT_CATEGORIES.map((c) => c.code);
export * from "./enums";
export * from "./alert-messages";
