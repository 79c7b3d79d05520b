/**
 * evaluate-batch's fast path (answers encoded once per pattern of outcomes, one-pass fact and text
 * checks, its own compression level) must answer exactly what one `evaluate` per record answers:
 * a few hundred generated records through both, over rule sets with Unicode names, paths, priorities,
 * dynamic facts, replaceFactsInEventParams, allowUndefinedFacts false and more than 31 rules.
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

const AT = "2024-06-30";
const leaf = (fact: string, operator: string, value: unknown, extra: object = {}) => ({
  fact,
  operator,
  value,
  ...extra,
});

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Generated records; `奖金` is left out of about a third (an undefined fact when the rule set is strict). */
function records(n: number, seed: number) {
  const rnd = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const facts: Record<string, unknown> = {
      年龄: Math.floor(rnd() * 70),
      birthDate: `${1950 + Math.floor(rnd() * 55)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`,
      地址: { 城市: pick(["上海", "北京", "深圳"]), district: pick(["a", "b"]) },
      level: Math.floor(rnd() * 5),
      员工姓名: `员工${i}`,
      tags: pick([[], ["union"], ["manager", "union"]]),
    };
    if (rnd() < 0.66) facts.奖金 = Math.round(rnd() * 3000);
    return { facts };
  });
}

function ruleSet(options: object, extraRules = 0) {
  return {
    facts: {
      年龄: { type: "integer" },
      birthDate: { type: "string", format: "date" },
      地址: { type: "object" },
      level: { type: "integer" },
      奖金: { type: "number" },
      员工姓名: { type: "string" },
      tags: { type: "array", items: { type: "string" } },
    },
    options,
    sharedConditions: { 上海: { all: [leaf("地址", "equal", "上海", { path: "$.城市" })] } },
    rules: [
      {
        name: "成年上海",
        priority: 3,
        conditions: { all: [leaf("年龄", "greaterThanInclusive", 18), { condition: "上海" }] },
        event: {
          type: "record-decision",
          params: { who: { fact: "员工姓名" }, 城市: { fact: "地址", path: "$.城市" }, scheme: "pension" },
        },
      },
      {
        name: "奖金",
        priority: 2,
        // 奖金 is read only when level > 2 (a lower-priority condition): strict mode fails only those.
        conditions: {
          all: [leaf("level", "greaterThan", 2, { priority: 2 }), leaf("奖金", "greaterThan", 1000, { priority: 1 })],
        },
        event: { type: "bonus", params: { amount: { fact: "奖金" } } },
      },
      {
        name: "senior",
        conditions: { any: [leaf("age", "greaterThanInclusive", 60), leaf("tags", "contains", "manager")] },
        event: { type: "senior" },
      },
      {
        name: "not-北京",
        conditions: { not: leaf("地址", "equal", "北京", { path: "$.城市" }) },
        event: { type: "nb" },
      },
      ...Array.from({ length: extraRules }, (_, i) => ({
        name: `r${i}`,
        conditions: { all: [leaf("年龄", "greaterThan", i * 2)] },
        event: { type: `over-${i * 2}` },
      })),
    ],
  };
}

type Outcome = { rule: string; priority: number; result: boolean };

/** evaluate-batch once, then one evaluate per record; each item must equal that record's answer. */
async function compare(key: string, items: { facts: Record<string, unknown> }[]) {
  const batch = await t
    .request()
    .post(`/api/rule-sets/${key}/evaluate-batch`)
    .set(h)
    .send({ version: "draft", at: AT, items });
  expect(batch.status, JSON.stringify(batch.body).slice(0, 500)).toBe(200);
  expect(batch.body.items).toHaveLength(items.length);
  let errors = 0;
  for (let i = 0; i < items.length; i++) {
    const one = await t
      .request()
      .post(`/api/rule-sets/${key}/evaluate`)
      .set(h)
      .send({ facts: items[i]!.facts, at: AT, version: "draft" });
    if (one.status !== 200) {
      expect(one.status).toBe(400);
      errors++;
      expect(batch.body.items[i], `item ${i}`).toEqual({
        error: { code: one.body.code, message: one.body.message, pointer: `/items/${i}` },
      });
      continue;
    }
    expect(batch.body.items[i], `item ${i}`).toEqual({
      events: one.body.events,
      results: one.body.results.map((o: Outcome) => ({ rule: o.rule, priority: o.priority, result: o.result })),
    });
  }
  return { errors, body: batch.body };
}

describe("evaluate-batch fast path equals one evaluate per record", () => {
  it("cached answers (no replaced params), Unicode names, paths, priorities, dynamic facts", async () => {
    const created = await t
      .request()
      .post("/api/rule-sets")
      .set(h)
      .send({ key: "fast-plain", name: "fast-plain", ...ruleSet({}) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { body } = await compare("fast-plain", records(300, 7));
    // The records share patterns, so the cache served most of them; they still differ among themselves.
    expect(new Set(body.items.map((x: unknown) => JSON.stringify(x))).size).toBeGreaterThan(8);
  });

  it("replaceFactsInEventParams and allowUndefinedFacts false: params resolved, per-item UNDEFINED_FACT", async () => {
    const created = await t
      .request()
      .post("/api/rule-sets")
      .set(h)
      .send({
        key: "fast-strict",
        name: "fast-strict",
        ...ruleSet({ replaceFactsInEventParams: true, allowUndefinedFacts: false }),
      });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const items = records(300, 11);
    const { errors, body } = await compare("fast-strict", items);
    expect(errors).toBeGreaterThan(10);
    expect(errors).toBeLessThan(200);
    const named = body.items.find((x: { events?: { type: string }[] }) => x.events?.[0]?.type === "record-decision");
    expect(named.events[0].params).toMatchObject({ who: expect.stringMatching(/^员工\d+$/), 城市: "上海" });
    const failed = body.items.find((x: { error?: unknown }) => x.error);
    expect(failed.error.code).toBe("UNDEFINED_FACT");
    expect(failed.error.message).toContain("奖金");
  });

  it("strict without replaced params (cached answers between per-item errors), in Chinese too", async () => {
    const created = await t
      .request()
      .post("/api/rule-sets")
      .set(h)
      .send({ key: "fast-strict-plain", name: "fast-strict-plain", ...ruleSet({ allowUndefinedFacts: false }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { errors } = await compare("fast-strict-plain", records(200, 5));
    expect(errors).toBeGreaterThan(5);
    const zh = await t
      .request()
      .post("/api/rule-sets/fast-strict-plain/evaluate-batch")
      .set({ ...h, "accept-language": "zh-CN" })
      .send({ version: "draft", at: AT, items: [{ facts: { level: 4 } }] });
    expect(zh.body.items[0].error.message).toContain("缺少事实");
  });

  it("more than 31 rules (outcomes keyed as text), compressed at its own level", async () => {
    const created = await t
      .request()
      .post("/api/rule-sets")
      .set(h)
      .send({ key: "fast-many", name: "fast-many", ...ruleSet({}, 36) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await compare("fast-many", records(150, 3));
    const res = await t
      .request()
      .post("/api/rule-sets/fast-many/evaluate-batch")
      .set({ ...h, "accept-encoding": "gzip" })
      .send({ version: "draft", at: AT, items: records(50, 1) });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.body.items).toHaveLength(50);
  });

  it("a long compressed answer (many chunks) leaves no drain listener behind", async () => {
    const created = await t
      .request()
      .post("/api/rule-sets")
      .set(h)
      .send({ key: "fast-drain", name: "fast-drain", ...ruleSet({}, 36) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      // About 2 kB a record with 40 rules: 3,000 items are some 25 chunks of 256 kB.
      const items = records(3000, 9);
      const res = await t
        .request()
        .post("/api/rule-sets/fast-drain/evaluate-batch")
        .set({ ...h, "accept-encoding": "gzip" })
        .send({ version: "draft", at: AT, items });
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBe("gzip");
      expect(res.body.items).toHaveLength(3000);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("a bad item is still a 400 naming its index and pointer, before any answer", async () => {
    const items: { facts: Record<string, unknown> }[] = records(40, 2);
    items[33] = { facts: { ...items[33]!.facts, birthDate: "1990-02-30" } };
    const bad = await t
      .request()
      .post("/api/rule-sets/fast-plain/evaluate-batch")
      .set(h)
      .send({ version: "draft", at: AT, items });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("INVALID_FACTS");
    expect(bad.body.message).toContain("/items/33/facts/birthDate");
    const text = await t
      .request()
      .post("/api/rule-sets/fast-plain/evaluate-batch")
      .set(h)
      .send({ version: "draft", items: [{ facts: {} }, { facts: { 员工姓名: "a\ud800" } }] });
    expect(text.status).toBe(400);
    expect(text.body.code).toBe("INVALID_TEXT");
    expect(text.body.details.pointer).toBe("/items/1/facts/员工姓名");
  });
});
