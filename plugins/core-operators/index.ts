// json-rules-engine 7.3.1's default operators with the same semantics (engine-default-operators.js):
// numeric operators are false unless the fact parses as a number; contains / doesNotContain are
// false unless the fact is a list; in / notIn look the fact up in the value with indexOf.
import { definePlugin } from "../../rules";

// json-rules-engine's numberValidator (`parseFloat(v).toString() !== "NaN"`) without the string:
// only NaN prints as "NaN". "12abc" passes, as it does there.
const isNumberLike = (v: unknown) => !Number.isNaN(Number.parseFloat(v as string));

export default definePlugin({
  name: "core-operators",
  setup(api) {
    api.addOperator("equal", (a, b) => a === b, {
      description: { "zh-CN": "事实严格等于比较值", en: "fact is strictly equal to value" },
    });
    api.addOperator("notEqual", (a, b) => a !== b, {
      description: { "zh-CN": "事实严格不等于比较值", en: "fact is not strictly equal to value" },
    });
    api.addOperator("in", (a, b) => (b as unknown[]).indexOf(a) > -1, {
      description: { "zh-CN": "事实是列表中的某个值", en: "fact is one of the values in the list" },
      valueType: "array",
    });
    api.addOperator("notIn", (a, b) => (b as unknown[]).indexOf(a) === -1, {
      description: { "zh-CN": "事实不是列表中的任何值", en: "fact is none of the values in the list" },
      valueType: "array",
    });
    api.addOperator("contains", (a, b) => Array.isArray(a) && a.indexOf(b) > -1, {
      description: { "zh-CN": "事实（列表）包含该值", en: "fact (a list) contains the value" },
      factType: "array",
    });
    api.addOperator("doesNotContain", (a, b) => Array.isArray(a) && a.indexOf(b) === -1, {
      description: {
        "zh-CN": "事实（列表）不包含该值（事实不是列表时为假）",
        en: "fact (a list) does not contain the value (false when the fact is not a list)",
      },
      factType: "array",
    });
    const numeric = { factType: "number" };
    api.addOperator("lessThan", (a: any, b: any) => isNumberLike(a) && a < b, {
      description: { "zh-CN": "事实 < 比较值", en: "fact < value" },
      ...numeric,
    });
    api.addOperator("lessThanInclusive", (a: any, b: any) => isNumberLike(a) && a <= b, {
      description: { "zh-CN": "事实 <= 比较值", en: "fact <= value" },
      ...numeric,
    });
    api.addOperator("greaterThan", (a: any, b: any) => isNumberLike(a) && a > b, {
      description: { "zh-CN": "事实 > 比较值", en: "fact > value" },
      ...numeric,
    });
    api.addOperator("greaterThanInclusive", (a: any, b: any) => isNumberLike(a) && a >= b, {
      description: { "zh-CN": "事实 >= 比较值", en: "fact >= value" },
      ...numeric,
    });
  },
});
