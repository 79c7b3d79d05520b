/**
 * A 60,000-row CSV import is stored in chunks of rows beside the draft (migration 015): the table reads,
 * lists, exports, diffs and publishes exactly as if the rows were inline, an inline save afterwards
 * replaces the chunks, and a refused import leaves none behind. Not timed: bench/import-health.ts measures.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

const ROWS = 60_000;
// Each case moves 60,000 rows through HTTP a few times: minutes on a loaded two-core machine.
const SLOW = { timeout: 180_000 };
const base = "/api/policy-tables/large";
let t: TestApp;
let admin: Record<string, string>;

const city = (i: number) => String(110000 + (i % 50));
const band = (i: number) => 1 + Math.floor(i / 50);
function csvOf(n: number, amount = (i: number) => `${1000 + i}.50`): string {
  const lines = ["city,band,amount,rate,effectiveFrom,effectiveTo,source,confidence,note"];
  for (let i = 0; i < n; i++)
    lines.push(`${city(i)},${band(i)},${amount(i)},0.${i % 100},2024-01-01,,import,H,${i === 7 ? "seven" : ""}`);
  return `${lines.join("\n")}\n`;
}
const chunkCount = async () =>
  Number((await t.db("document_draft_chunks").where({ kind: "policy-table", key: "large" }).count({ n: "*" }))[0]!.n);
const importCsv = (csv: string, revision?: number) =>
  t
    .request()
    .post(`${base}/import${revision === undefined ? "" : `?revision=${revision}`}`)
    .set(admin)
    .set("content-type", "text/csv")
    .send(csv);

beforeAll(async () => {
  t = await startTestApp({ ORDO_BODY_LIMIT: "20mb" });
  admin = await t.admin();
  const created = await t
    .request()
    .post("/api/policy-tables")
    .set(admin)
    .send({
      key: "large",
      name: "Large",
      keyColumns: { city: { type: "string", pattern: "^\\d{6}$" }, band: { type: "integer", minimum: 1 } },
      valueColumns: { amount: { type: "string", pattern: "^\\d+(\\.\\d+)?$" }, rate: { type: "number" } },
      rows: [],
    });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});
afterAll(() => t.close());

describe("a 60,000-row policy-table import", () => {
  it("succeeds and reads back row for row, in order", SLOW, async () => {
    const res = await importCsv(csvOf(ROWS), 1);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body).toMatchObject({ imported: ROWS, rowCount: ROWS, revision: 2 });
    expect(res.body.rows).toBeUndefined();
    expect(res.body.$chunks).toBeUndefined();
    expect(await chunkCount()).toBe(60);

    const got = await t.request().get(base).set(admin);
    expect(got.status).toBe(200);
    expect(got.body.$chunks).toBeUndefined();
    const rows = got.body.rows as { key: { city: string; band: number }; values: { amount: string }; note?: string }[];
    expect(rows).toHaveLength(ROWS);
    for (const i of [0, 7, 999, 1000, 1001, 29_999, 59_999]) {
      expect(rows[i]!.key).toEqual({ city: city(i), band: band(i) });
      expect(rows[i]!.values.amount).toBe(`${1000 + i}.50`);
    }
    expect(rows[7]!.note).toBe("seven");
    const list = await t.request().get('/api/policy-tables?filter={"q":"large"}').set(admin);
    expect(list.body.find((r: { key: string }) => r.key === "large")).toMatchObject({ rowCount: ROWS });
  });

  it("exports, diffs and publishes the imported rows", SLOW, async () => {
    const csv = await t.request().get(`${base}/export`).set(admin).buffer(true);
    expect(csv.status).toBe(200);
    expect(String(csv.text).trim().split("\n")).toHaveLength(ROWS + 1);

    const published = await t.request().post(`${base}/publish`).set(admin).send({ effectiveFrom: "2024-01-01" });
    expect(published.status, JSON.stringify(published.body).slice(0, 300)).toBe(201);
    expect(published.body.content.rows).toHaveLength(ROWS);
    const lookup = await t
      .request()
      .get("/api/policy-lookup")
      .query({ table: "large", key: JSON.stringify({ city: city(59_999), band: band(59_999) }), date: "2025-06-01" })
      .set(admin);
    expect(lookup.status, JSON.stringify(lookup.body)).toBe(200);
    expect(lookup.body.row.values.amount).toBe(`${1000 + 59_999}.50`);

    // A second import changing every 1,000th amount: the diff against version 1 finds exactly those.
    const again = await importCsv(csvOf(ROWS, (i) => `${1000 + i}.${i % 1000 === 0 ? "75" : "50"}`));
    expect(again.status, JSON.stringify(again.body).slice(0, 300)).toBe(200);
    expect(await chunkCount()).toBe(60); // the first import's chunks are gone
    const diff = await t.request().get(`${base}/versions/1/diff/draft`).set(admin);
    expect(diff.status).toBe(200);
    expect(diff.body.added).toHaveLength(0);
    expect(diff.body.removed).toHaveLength(0);
    expect(diff.body.modified).toHaveLength(ROWS / 1000);
  });

  it("a stale import is refused and leaves no chunks; an inline save replaces the chunked rows", SLOW, async () => {
    const before = (await t.request().get(base).set(admin)).body;
    const stale = await importCsv(csvOf(10), before.revision - 1);
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe("STALE_REVISION");
    expect(await chunkCount()).toBe(60);

    const put = await t
      .request()
      .put(base)
      .set(admin)
      .send({ revision: before.revision, rows: before.rows.slice(0, 3) });
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(200);
    expect(put.body.rows).toHaveLength(3);
    expect(await chunkCount()).toBe(0);
    expect((await t.request().get(base).set(admin)).body.rows).toEqual(before.rows.slice(0, 3));

    const bad = await importCsv(`${csvOf(5)}110000,x,1,0.1,2024-01-01,,import,H,\n`);
    expect(bad.status).toBe(400);
    expect(await chunkCount()).toBe(0);
  });
});
