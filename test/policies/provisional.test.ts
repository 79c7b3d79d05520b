/** Months past the last published period: carried forward, and marked as such (provisional, carriedFrom). */
import { describe, expect, it } from "vitest";
import { calculateContributions, createPolicySet, referenceTables, withRows } from "../../policies";

// As the server loads a tenant's tables: the latest row of a key stays in force after its end.
const carried = createPolicySet(referenceTables, { carryForward: true });

describe("provisional months", () => {
  it("Beijing 2026-07 is priced at the 2025-07..2026-06 limits and says so", () => {
    const r = calculateContributions(carried, { city: "110000", month: "2026-07", wage: 40000 });
    expect(r).toMatchObject({ provisional: true, carriedFrom: "2025-07", carriedThrough: "2026-06" });
    expect(r.items.find((i) => i.insurance === "pension")!.base).toBe("35811.00");
  });

  it("a month inside a published period is not provisional", () => {
    for (const month of ["2024-09", "2025-06", "2026-06"])
      expect(calculateContributions(carried, { city: "110000", month, wage: 10000 })).toMatchObject({
        provisional: false,
        carriedFrom: null,
        carriedThrough: null,
      });
  });

  it("only the insurances asked for count: an ended rate row of a type not charged is not a carry", () => {
    const rates = referenceTables.find((t) => t.def.key === "si-rates")!;
    // Shanghai's unemployment rate ends 2025-12 in this copy; every other row is as shipped.
    const tables = withRows(referenceTables, {
      "si-rates": rates.rows.map((r) =>
        r.key.city === "310000" && r.key.insurance === "unemployment" && r.effectiveTo === null
          ? { ...r, effectiveTo: "2025-12-31" }
          : r,
      ),
    });
    const set = createPolicySet(tables, { carryForward: true });
    const pension = calculateContributions(set, {
      city: "310000",
      month: "2026-01",
      wage: 10000,
      insurances: ["pension"],
    });
    expect(pension.provisional).toBe(false);
    const all = calculateContributions(set, { city: "310000", month: "2026-01", wage: 10000 });
    expect(all).toMatchObject({ provisional: true, carriedFrom: "2025-01", carriedThrough: "2025-12" });
  });
});
