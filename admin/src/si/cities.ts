/** A city as GET /api/si/cities answers it; `months` are the ranges with policy (`to: null` = open). */
export interface City {
  code: string;
  zh: string | null;
  en: string | null;
  months?: { from: string; to: string | null }[];
}

/** Used until /api/si/cities answers (and if it fails). */
export const CITIES: City[] = [
  { code: "110000", zh: "北京", en: "Beijing" },
  { code: "310000", zh: "上海", en: "Shanghai" },
  { code: "440100", zh: "广州", en: "Guangzhou" },
  { code: "440300", zh: "深圳", en: "Shenzhen" },
  { code: "330100", zh: "杭州", en: "Hangzhou" },
  { code: "510100", zh: "成都", en: "Chengdu" },
];

export const cityName = (code: string, locale: string) => {
  const c = CITIES.find((x) => x.code === code);
  return c ? ((locale.startsWith("zh") ? c.zh : c.en) ?? code) : code;
};

export const thisMonth = () => new Date().toISOString().slice(0, 7);

export const addMonths = (month: string, n: number) => {
  const [y, m] = month.split("-").map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
};
