import { describe, expect, it } from "vitest";
import {
  calculateBackPayment,
  calculateDifferenceBackPayment,
  calculateLateFee,
  referencePolicySet,
  referenceTables,
  withRows,
  type PolicyRow,
} from "../../policies";

const policy = referencePolicySet();

describe("late fee (Art. 86, 0.05% a day)", () => {
  it("1000.00 × 0.05% × 31 days = 15.50", () => {
    expect(calculateLateFee("1000.00", "2024-09-25", "2024-10-26")).toEqual({
      deadline: "2024-09-25",
      arrearsFrom: "2024-09-26",
      days: 31,
      fee: "15.50",
    });
  });

  it("no fee on or before the deadline; across a leap day", () => {
    expect(calculateLateFee("1000", "2024-09-25", "2024-09-25").fee).toBe("0.00");
    expect(calculateLateFee("1000", "2024-09-25", "2024-09-01").days).toBe(0);
    expect(calculateLateFee("1000", "2024-02-25", "2024-03-25").days).toBe(29);
    expect(calculateLateFee("333.33", "2024-01-25", "2024-01-26").fee).toBe("0.17"); // 0.166665 rounds half up
  });
});

describe("back-payment for missed months", () => {
  it("Beijing 2024-09..10 at 10000, paid 2024-11-25 (hand-checked)", () => {
    const r = calculateBackPayment(policy, {
      city: "110000",
      months: { from: "2024-09", to: "2024-10" },
      wage: 10000,
      paymentDate: "2024-11-25",
    });
    // employer 1600 + 980 + 50 + 20 + 0 = 2650; employee 800 + 203 + 50 = 1053; owed 3703 a month
    expect(r.months.map((m) => [m.month, m.employer, m.employee, m.owed, m.lateFee.days, m.lateFee.fee])).toEqual([
      ["2024-09", "2650.00", "1053.00", "3703.00", 61, "112.94"], // 3703 × 0.0005 × 61 = 112.9415
      ["2024-10", "2650.00", "1053.00", "3703.00", 31, "57.40"], //  3703 × 0.0005 × 31 = 57.3965
    ]);
    expect(r.totals).toEqual({
      employer: "5300.00",
      employee: "2106.00",
      owed: "7406.00",
      lateFee: "170.34",
      total: "7576.34",
    });
    expect(r.months[0].lateFee.arrearsFrom).toBe("2024-09-26");
  });

  it("takes a wage per month and excludes the housing fund by default", () => {
    const r = calculateBackPayment(policy, {
      city: "110000",
      months: ["2024-10", "2024-09"],
      wage: { "2024-09": 1000, "2024-10": 10000 },
      paymentDate: "2024-09-01",
    });
    expect(r.months.map((m) => m.month)).toEqual(["2024-09", "2024-10"]);
    expect(r.months[0].items.find((i) => i.insurance === "pension")!.base).toBe("6821.00");
    expect(r.months[0].items.map((i) => i.insurance)).not.toContain("housing_fund");
    expect(r.totals.lateFee).toBe("0.00");
    expect(() =>
      calculateBackPayment(policy, {
        city: "110000",
        months: ["2024-11"],
        wage: { "2024-09": 1 },
        paymentDate: "2024-12-01",
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_WAGE" }));
  });
});

describe("差额补缴 after a late notice (Shanghai 2025: published 2025-09-18, effective 2025-07-01)", () => {
  const isShanghai2025 = (r: PolicyRow) => r.key.city === "310000" && r.effectiveFrom === "2025-07-01";
  const beforeTables = withRows(referenceTables, {
    "si-base-limits": referenceTables
      .find((t) => t.def.key === "si-base-limits")!
      .rows.filter((r) => !isShanghai2025(r)),
  });

  it("charges the difference for July and August: September is collected at the new limits", () => {
    const r = calculateDifferenceBackPayment(beforeTables, policy, {
      city: "310000",
      wage: 5000,
      publicationDate: "2025-09-18",
    });
    expect([r.fromMonth, r.throughMonth]).toEqual(["2025-07", "2025-08"]);
    // lower 7384 → 7460: +76 × (16 + 9 + 0.5) % employer, + work injury 11.94 − 11.81; × (8 + 2 + 0.5) % employee
    expect(r.months[0].items.find((i) => i.insurance === "pension")).toEqual({
      insurance: "pension",
      baseBefore: "7384.00",
      baseAfter: "7460.00",
      employer: "12.16",
      employee: "6.08",
    });
    expect(r.months.map((m) => [m.month, m.employer, m.employee])).toEqual([
      ["2025-07", "19.51", "7.98"],
      ["2025-08", "19.51", "7.98"],
    ]);
    expect(r.totals).toEqual({ employer: "39.02", employee: "15.96", total: "54.98" });
  });

  it("covers exactly fromMonth..throughMonth when both are given, and refuses a reversed range", () => {
    const r = calculateDifferenceBackPayment(beforeTables, policy, {
      city: "310000",
      wage: 40000,
      fromMonth: "2025-07",
      throughMonth: "2025-09",
    });
    // 36921 → 37302: the whole difference of rounded line amounts, 97.76 employer and 40.00 employee a month.
    expect(r.months.map((m) => [m.month, m.employer, m.employee])).toEqual([
      ["2025-07", "97.76", "40.00"],
      ["2025-08", "97.76", "40.00"],
      ["2025-09", "97.76", "40.00"],
    ]);
    expect(() =>
      calculateDifferenceBackPayment(beforeTables, policy, {
        city: "310000",
        wage: 40000,
        fromMonth: "2025-09",
        throughMonth: "2025-07",
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });

  it("is zero for wages inside both ranges and follows the upper limit above it", () => {
    expect(
      calculateDifferenceBackPayment(beforeTables, policy, {
        city: "310000",
        wage: 20000,
        publicationDate: "2025-09-18",
      }).totals.total,
    ).toBe("0.00");
    const high = calculateDifferenceBackPayment(beforeTables, policy, {
      city: "310000",
      wage: 40000,
      publicationDate: "2025-09-18",
      insurances: ["pension"],
    });
    expect(high.months[0]).toMatchObject({ employer: "60.96", employee: "30.48" }); // 37302 − 36921 = 381
  });
});
