/**
 * Compile once: requests of one rule set and one policy table compile no new validators. Counted two
 * ways: every ajv `compile` call in the process (a spy on the class), and the schema caches of the
 * ajv instances (none may grow with the number of requests).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { compiledSchemaCount } from "../../rules/index";
import { compiledColumnCount, validateTable, type TableDef } from "../../policies/index";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let h: Record<string, string>;
const instances = new Set<Ajv>();
// Every compile in the process is counted, and every instance that compiled is remembered.
const real = Ajv.prototype.compile;
const calls = { n: 0 };
Ajv.prototype.compile = function (this: Ajv, ...args: Parameters<Ajv["compile"]>) {
  calls.n++;
  instances.add(this);
  return real.apply(this, args);
} as Ajv["compile"];
const schemaCacheSize = () =>
  [...instances].reduce((n, a) => n + ((a as unknown as { _cache: Map<unknown, unknown> })._cache?.size ?? 0), 0);

const facts = {
  hireDate: { type: "string", format: "date" },
  wage: { type: "number", minimum: 0 },
  city: { type: "string", enum: ["110000", "310000"] },
  grade: { type: "object", properties: { level: { type: "integer" } }, required: ["level"] },
};
const rules = [
  {
    name: "high wage",
    conditions: { all: [{ fact: "wage", operator: "greaterThan", value: 30000 }] },
    event: { type: "raise-alert", params: { type: "high_wage", message: "High wage" } },
  },
];
const table: TableDef = {
  key: "grades",
  name: "Allowance by grade",
  keyColumns: { grade: { type: "integer", minimum: 1 } },
  valueColumns: { amount: { type: "string", pattern: "^\\d+(\\.\\d+)?$" } },
};
const row = { key: { grade: 1 }, values: { amount: "10" }, effectiveFrom: "2024-01-01", effectiveTo: null };

beforeAll(async () => {
  t = await startTestApp({ ORDO_PLUGINS: "core-operators,hr-dates,record-decision,social-insurance" });
  h = await t.admin("demo");
  const created = await t.request().post("/api/rule-sets").set(h).send({ key: "wages", name: "Wages", facts, rules });
  expect(created.status).toBe(201);
  const published = await t.request().post("/api/rule-sets/wages/publish").set(h).send({ effectiveFrom: "2024-01-01" });
  expect(published.status).toBe(201);
});
afterAll(async () => {
  Ajv.prototype.compile = real;
  await t.close();
});

const body = (i: number) => ({
  at: "2025-03-01",
  facts: { hireDate: "2024-02-29", wage: 1000 + i, city: "110000", grade: { level: 2 } },
});

describe("compile once", () => {
  it("2,000 evaluate requests of one rule set compile a constant number of validators", async () => {
    const first = await t.request().post("/api/rule-sets/wages/evaluate").set(h).send(body(0));
    expect(first.status).toBe(200);
    const bad = await t
      .request()
      .post("/api/rule-sets/wages/evaluate")
      .set(h)
      .send({ facts: { hireDate: "29/02/2024", wage: -1 } });
    expect(bad.status).toBe(400); // the cached validators still validate
    // Warm-up of each route (request-body schemas are compiled on first use).
    expect((await t.request().post("/api/rule-sets/wages/apply").set(h).send(body(39999))).status).toBe(200);
    expect(bad.body.details.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      "/facts/hireDate",
      "/facts/wage",
    ]);
    const before = { calls: calls.n, cache: schemaCacheSize(), facts: compiledSchemaCount() };
    for (let i = 1; i <= 2000; i++) {
      const res = await t.request().post("/api/rule-sets/wages/evaluate").set(h).send(body(i));
      if (res.status !== 200) throw new Error(`request ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    for (let i = 0; i < 50; i++) {
      const res = await t
        .request()
        .post("/api/rule-sets/wages/apply")
        .set(h)
        .send(body(40000 + i));
      expect(res.status).toBe(200);
    }
    const after = { calls: calls.n, cache: schemaCacheSize(), facts: compiledSchemaCount() };
    console.info(`ajv compile calls: ${before.calls} before, ${after.calls} after 2,050 requests`);
    expect(after).toEqual(before);
  }, 300_000);

  it("validating one policy table's rows again and again compiles its columns once", async () => {
    const rejected = (i: number) =>
      t
        .request()
        .post("/api/policy-tables")
        .set(h)
        .send({ ...table, rows: [{ ...row, values: { amount: `ten${i}` }, source: "t", confidence: "H" }] });
    expect((await rejected(0)).status).toBe(400);
    const before = { calls: calls.n, cache: schemaCacheSize(), columns: compiledColumnCount() };
    for (let i = 1; i <= 100; i++) expect((await rejected(i)).status).toBe(400);
    for (let i = 0; i < 2000; i++) {
      const def = JSON.parse(JSON.stringify(table)) as TableDef; // as read again from storage
      expect(validateTable(def, [{ ...row, source: "t", confidence: "H" }])).toEqual([]);
    }
    expect({ calls: calls.n, cache: schemaCacheSize(), columns: compiledColumnCount() }).toEqual(before);
  }, 120_000);
});
