import { describe, expect, it } from "vitest";
import { analyzeContinuity, monthRange, type PaidMonth } from "../../policies";

// 2023 paid; 2024-01..02 missing; 2024-03..08 paid with 2024-05 back-paid
const paid: PaidMonth[] = [
  ...monthRange("2023-01", "2023-12").map((month) => ({ month })),
  ...monthRange("2024-03", "2024-08").map((month) => ({ month, backPaid: month === "2024-05" })),
];

describe("continuity", () => {
  it("counts cumulative months, the current run and gaps", () => {
    expect(analyzeContinuity(paid)).toEqual({
      cumulativeMonths: 18,
      backPaidMonths: 1,
      continuousMonths: 6,
      currentRun: { from: "2024-03", to: "2024-08", months: 6 },
      gaps: [{ from: "2024-01", to: "2024-02", months: 2 }],
    });
  });

  it("can exclude back-paid months from the run", () => {
    const r = analyzeContinuity(paid, { excludeBackPaid: true });
    expect(r.currentRun).toEqual({ from: "2024-06", to: "2024-08", months: 3 });
    expect(r.cumulativeMonths).toBe(18);
  });

  it("tolerates short breaks when asked (e.g. at most 3 months)", () => {
    const r = analyzeContinuity(paid, { toleratedGapMonths: 3 });
    expect(r.currentRun).toEqual({ from: "2023-01", to: "2024-08", months: 20 });
    expect(r.continuousMonths).toBe(18);
    expect(analyzeContinuity(paid, { toleratedGapMonths: 1 }).continuousMonths).toBe(6);
  });

  it("has no current run when asOf is unpaid; trailing gap listed", () => {
    const r = analyzeContinuity(paid, { asOf: "2024-10" });
    expect(r.currentRun).toBeNull();
    expect(r.continuousMonths).toBe(0);
    expect(r.gaps).toEqual([
      { from: "2024-01", to: "2024-02", months: 2 },
      { from: "2024-09", to: "2024-10", months: 2 },
    ]);
  });

  it("handles duplicates, unordered input, year boundaries and no months", () => {
    const r = analyzeContinuity([
      { month: "2025-01" },
      { month: "2024-12", backPaid: true },
      { month: "2024-12" },
      { month: "2024-11" },
    ]);
    expect(r).toMatchObject({ cumulativeMonths: 3, backPaidMonths: 0, continuousMonths: 3, gaps: [] });
    expect(analyzeContinuity([])).toEqual({
      cumulativeMonths: 0,
      backPaidMonths: 0,
      continuousMonths: 0,
      currentRun: null,
      gaps: [],
    });
    expect(() => analyzeContinuity([{ month: "2024-13" }])).toThrow(/YYYY-MM/);
  });
});
