import { cityByCode, REFERENCE_CITY_CODES } from "../../../domain/index";

export { cityName } from "../../../domain/index";

/** A city as GET /api/si/cities answers it; `months` are the ranges with policy (`to: null` = open). */
export interface City {
  code: string;
  zh: string | null;
  en: string | null;
  months?: { from: string; to: string | null }[];
}

/** Used until /api/si/cities answers (and if it fails): the cities the reference data covers. */
export const CITIES: City[] = REFERENCE_CITY_CODES.map((code) => ({ code, zh: null, en: null, ...cityByCode(code) }));

export const thisMonth = () => new Date().toISOString().slice(0, 7);

export const addMonths = (month: string, n: number) => {
  const [y, m] = month.split("-").map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
};
