/** Provenance: a row may carry the day its notice was published (publishedOn), beside its effective date. */
import { describe, expect, it } from "vitest";
import { diffTables, parseRowsCsv, referenceTables, rowsToCsv, siBaseLimits, validateTable } from "../../policies";

const limits = referenceTables.find((t) => t.def.key === "si-base-limits")!;

describe("publishedOn", () => {
  it("the shipped Shanghai 2025 limits show the late notice: published 2025-09-18, effective 2025-07-01", () => {
    const rows = limits.rows.filter((r) => r.key.city === "310000" && r.effectiveFrom === "2025-07-01");
    const social = rows.filter((r) => r.key.insurance !== "housing_fund");
    expect(social).toHaveLength(5);
    for (const r of social) expect(r.publishedOn).toBe("2025-09-18");
    expect(validateTable(siBaseLimits, limits.rows)).toEqual([]);
  });

  it("is validated as a date", () => {
    const row = { ...limits.rows[0]!, publishedOn: "2025-02-30" };
    expect(validateTable(siBaseLimits, [row])).toEqual([
      expect.objectContaining({ pointer: "/rows/0/publishedOn", code: "DATE" }),
    ]);
  });

  it("round-trips through CSV, which writes the column only when a row has it", () => {
    const csv = rowsToCsv(siBaseLimits, limits.rows);
    expect(csv.split("\n")[0]).toMatch(/,note,publishedOn$/);
    const back = parseRowsCsv(siBaseLimits, csv);
    expect(back.errors).toEqual([]);
    expect(back.rows.filter((r) => r.publishedOn).length).toBe(limits.rows.filter((r) => r.publishedOn).length);
    const without = limits.rows.filter((r) => !r.publishedOn);
    expect(rowsToCsv(siBaseLimits, without).split("\n")[0]).toMatch(/,note$/);
    expect(parseRowsCsv(siBaseLimits, rowsToCsv(siBaseLimits, without)).errors).toEqual([]);
  });

  it("counts as a change in a version diff", () => {
    const before = limits.rows.slice(0, 1).map(({ publishedOn: _, ...r }) => r);
    const after = [{ ...before[0]!, publishedOn: "2022-06-20" }];
    expect(diffTables(before, after).modified[0]!.changes).toEqual([
      { column: "publishedOn", before: undefined, after: "2022-06-20" },
    ]);
  });
});
