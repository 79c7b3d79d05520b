export const CITIES = [
  { code: "110000", zh: "北京", en: "Beijing" },
  { code: "310000", zh: "上海", en: "Shanghai" },
  { code: "440100", zh: "广州", en: "Guangzhou" },
  { code: "440300", zh: "深圳", en: "Shenzhen" },
  { code: "330100", zh: "杭州", en: "Hangzhou" },
  { code: "510100", zh: "成都", en: "Chengdu" },
];

export const cityName = (code: string, locale: string) => {
  const c = CITIES.find((x) => x.code === code);
  return c ? (locale.startsWith("zh") ? c.zh : c.en) : code;
};

export const thisMonth = () => new Date().toISOString().slice(0, 7);
