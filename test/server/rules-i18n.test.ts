/**
 * Chinese throughout, server side: the fact, operator and action catalogues and the rules diagnostics
 * (save errors and warnings, INVALID_FACTS) answer in the request's language (Accept-Language).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let h: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
});
afterAll(() => t.close());

const CJK = /[\u4e00-\u9fff]/;
const ZH = { "accept-language": "zh-CN,zh;q=0.9" };
const EN = { "accept-language": "en-US,en;q=0.8" };
type Entry = { name?: string; type?: string; description: string; params?: unknown };
const descriptions = (schema: unknown): string[] =>
  Array.isArray(schema)
    ? schema.flatMap(descriptions)
    : schema && typeof schema === "object"
      ? Object.entries(schema).flatMap(([k, v]) =>
          k === "description" && typeof v === "string" ? [v] : descriptions(v),
        )
      : [];

describe("plugin catalogues", () => {
  for (const path of ["/api/facts", "/api/operators", "/api/actions"]) {
    it(`${path} answers Chinese descriptions for zh-CN and English ones for en`, async () => {
      const zh = await t.request().get(path).set(h).set(ZH);
      const en = await t.request().get(path).set(h).set(EN);
      expect(zh.status).toBe(200);
      expect(zh.body.length).toBeGreaterThan(0);
      expect(zh.body.length).toBe(en.body.length);
      (zh.body as Entry[]).forEach((z, i) => {
        const e = (en.body as Entry[])[i]!;
        expect(z.name ?? z.type).toBe(e.name ?? e.type);
        expect(z.description, z.name ?? z.type).toMatch(CJK);
        expect(e.description).not.toBe(z.description);
        for (const text of descriptions(z.params)) expect(text, `${z.name ?? z.type}: ${text}`).toMatch(CJK);
      });
    });
  }

  it("answers English without Accept-Language", async () => {
    const res = await t.request().get("/api/operators").set(h);
    expect(res.body.find((o: Entry) => o.name === "greaterThan").description).toBe("fact > value");
  });
});

const rule = (conditions: unknown) => ({ conditions, event: { type: "record-decision" } });

describe("rule-set diagnostics", () => {
  it("an invalid save answers its message, details and field errors in Chinese", async () => {
    const body = {
      key: "i18n-bad",
      name: "Bad",
      facts: { wage: { type: "number" } },
      rules: [rule({ all: [{ fact: "wage", operator: "greaterThen", value: 1 }] })],
    };
    const zh = await t.request().post("/api/rule-sets").set(h).set(ZH).send(body);
    expect(zh.status).toBe(400);
    expect(zh.body.code).toBe("INVALID_RULE_SET");
    const pointer = "/rules/0/conditions/all/0/operator";
    const text = '未知的运算符 "greaterThen"。是否想写 "greaterThan"？';
    expect(zh.body.message).toBe(`${pointer}：${text}`);
    expect(zh.body.details.errors).toEqual([{ pointer, code: "UNKNOWN_OPERATOR", message: text }]);
    expect(zh.body.errors).toEqual({ [pointer]: text });

    const en = await t.request().post("/api/rule-sets").set(h).set(EN).send(body);
    expect(en.body.details.errors).toEqual([
      { pointer, code: "UNKNOWN_OPERATOR", message: 'Unknown operator "greaterThen". Did you mean "greaterThan"?' },
    ]);
    expect(en.body.message).toContain('Unknown operator "greaterThen"');
  });

  it("a save's warnings come in Chinese", async () => {
    const zh = await t
      .request()
      .post("/api/rule-sets")
      .set(h)
      .set(ZH)
      .send({ key: "i18n-warn", name: "Warn", facts: {}, rules: [rule({ all: [] })] });
    expect(zh.status, JSON.stringify(zh.body)).toBe(201);
    expect(zh.body.warnings).toEqual([
      { pointer: "/rules/0/conditions/all", code: "EMPTY_GROUP", message: '空的 "all" 始终为真。' },
    ]);
    const put = await t
      .request()
      .put("/api/rule-sets/i18n-warn")
      .set(h)
      .set(EN)
      .send({ revision: zh.body.revision, rules: [rule({ any: [] })] });
    expect(put.status).toBe(200);
    expect(put.body.warnings).toEqual([
      { pointer: "/rules/0/conditions/any", code: "EMPTY_GROUP", message: 'An empty "any" is always true.' },
    ]);
  });

  it("facts that do not match their schemas answer INVALID_FACTS in Chinese", async () => {
    const created = await t
      .request()
      .post("/api/rule-sets")
      .set(h)
      .send({
        key: "i18n-facts",
        name: "Facts",
        facts: { wage: { type: "number" } },
        rules: [rule({ all: [{ fact: "wage", operator: "greaterThan", value: 1 }] })],
      });
    expect(created.status).toBe(201);
    const res = await t
      .request()
      .post("/api/rule-sets/i18n-facts/evaluate")
      .set(h)
      .set(ZH)
      .send({ version: "draft", facts: { wage: "lots" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_FACTS");
    const text = '事实 "wage"必须是数字，而不是文本 "lots"。';
    expect(res.body.message).toBe(`/facts/wage：${text}`);
    expect(res.body.errors).toEqual({ "/facts/wage": text });
  });
});
