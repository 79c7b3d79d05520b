// The cities Ordo knows, by GB/T 2260 administrative-division code. Municipalities carry their
// province-level code (北京 110000, not the 110100 of its districts), as the shipped policy data does.
// Pure data: the admin bundles this file, so no imports.

export interface CityName {
  /** GB/T 2260 code: six digits, the first not zero. */
  code: string;
  zh: string;
  en: string;
}

export const CITY_PATTERN = "^[1-9]\\d{5}$";

export const CITIES: readonly CityName[] = [
  // Municipalities (直辖市)
  { code: "110000", zh: "北京", en: "Beijing" },
  { code: "120000", zh: "天津", en: "Tianjin" },
  { code: "310000", zh: "上海", en: "Shanghai" },
  { code: "500000", zh: "重庆", en: "Chongqing" },
  // Provincial capitals (省会 / 首府)
  { code: "130100", zh: "石家庄", en: "Shijiazhuang" },
  { code: "140100", zh: "太原", en: "Taiyuan" },
  { code: "150100", zh: "呼和浩特", en: "Hohhot" },
  { code: "210100", zh: "沈阳", en: "Shenyang" },
  { code: "220100", zh: "长春", en: "Changchun" },
  { code: "230100", zh: "哈尔滨", en: "Harbin" },
  { code: "320100", zh: "南京", en: "Nanjing" },
  { code: "330100", zh: "杭州", en: "Hangzhou" },
  { code: "340100", zh: "合肥", en: "Hefei" },
  { code: "350100", zh: "福州", en: "Fuzhou" },
  { code: "360100", zh: "南昌", en: "Nanchang" },
  { code: "370100", zh: "济南", en: "Jinan" },
  { code: "410100", zh: "郑州", en: "Zhengzhou" },
  { code: "420100", zh: "武汉", en: "Wuhan" },
  { code: "430100", zh: "长沙", en: "Changsha" },
  { code: "440100", zh: "广州", en: "Guangzhou" },
  { code: "450100", zh: "南宁", en: "Nanning" },
  { code: "460100", zh: "海口", en: "Haikou" },
  { code: "510100", zh: "成都", en: "Chengdu" },
  { code: "520100", zh: "贵阳", en: "Guiyang" },
  { code: "530100", zh: "昆明", en: "Kunming" },
  { code: "540100", zh: "拉萨", en: "Lhasa" },
  { code: "610100", zh: "西安", en: "Xi'an" },
  { code: "620100", zh: "兰州", en: "Lanzhou" },
  { code: "630100", zh: "西宁", en: "Xining" },
  { code: "640100", zh: "银川", en: "Yinchuan" },
  { code: "650100", zh: "乌鲁木齐", en: "Ürümqi" },
  // Cities specifically designated in the state plan (计划单列市)
  { code: "210200", zh: "大连", en: "Dalian" },
  { code: "330200", zh: "宁波", en: "Ningbo" },
  { code: "350200", zh: "厦门", en: "Xiamen" },
  { code: "370200", zh: "青岛", en: "Qingdao" },
  { code: "440300", zh: "深圳", en: "Shenzhen" },
];

/** The cities the shipped reference policy data (policies/data) covers. */
export const REFERENCE_CITY_CODES: readonly string[] = ["110000", "310000", "440100", "440300", "330100", "510100"];

const byCode = new Map(CITIES.map((c) => [c.code, c]));

export const cityByCode = (code: string): CityName | undefined => byCode.get(code);

export const isKnownCity = (code: unknown): code is string => typeof code === "string" && byCode.has(code);

/** The city's name in the locale ("zh…" is Chinese, anything else English); the code itself when unknown. */
export function cityName(code: string, locale: string): string {
  const c = byCode.get(code);
  return c ? (locale.startsWith("zh") ? c.zh : c.en) : code;
}
