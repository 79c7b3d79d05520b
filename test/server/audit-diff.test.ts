/**
 * The audit log's change, computed with the event loop let in (changeOfAsync, boundedAsync), is the same
 * as the plain computation: sparse rows of a table, key order ignored, secrets masked, summaries of a
 * change too large to keep whole.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bounded, boundedAsync, changeOf, changeOfAsync } from "../../server/audit/diff";
import { yieldEvery } from "../../server/util/yield";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const rows = (n: number, rate: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => ({ key: { city: String(110000 + i) }, values: { rate: rate(i) } }));

const cases: [string, unknown, unknown][] = [
  ["one rate in a row", { rows: rows(50, () => "1") }, { rows: rows(50, (i) => (i === 3 ? "2" : "1")) }],
  ["rows added", { rows: rows(3, () => "1") }, { rows: rows(5, () => "1") }],
  ["rows removed", { rows: rows(5, () => "1") }, { rows: rows(2, () => "1") }],
  ["key order only", { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }],
  ["a secret", { url: "https://x", secret: "old" }, { url: "https://x", secret: "new" }],
  ["a created record", null, { name: "张三", password: "p" }],
  ["bookkeeping only", { name: "a", updatedAt: "1" }, { name: "a", updatedAt: "2" }],
  ["scalars in an array", { tags: ["a", "b"] }, { tags: ["a", "c"] }],
];

describe("audit changes computed with yields", () => {
  it.each(cases)("equal the plain computation: %s", async (_name, before, after) => {
    expect(await changeOfAsync(before, after, yieldEvery(0))).toEqual(changeOf(before, after));
  });

  it("summarise a change too large to keep whole as the plain computation does", async () => {
    const before = { rows: rows(10, () => "1") };
    const after = { rows: rows(20_000, () => "2") };
    const change = await changeOfAsync(before, after, yieldEvery(10));
    expect(change).toEqual(changeOf(before, after));
    const summary = await boundedAsync(change, sha256, yieldEvery(10));
    expect(summary).toEqual(bounded(change, sha256));
    expect(summary.after).toMatchObject({ truncated: true });
  });
});
