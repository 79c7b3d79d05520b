import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  addMonthsToDate,
  daysBetween,
  dayOfMonth,
  isValidDate,
  lastDay,
  monthRange,
  monthsBetween,
} from "../../policies";

describe("dates (string/UTC arithmetic)", () => {
  it("validates calendar dates", () => {
    expect(["2024-02-29", "2000-02-29", "2023-12-31"].every(isValidDate)).toBe(true);
    expect(["2023-02-29", "1900-02-29", "2024-04-31", "2024-1-01", "2024-13-01"].some(isValidDate)).toBe(false);
  });

  it("adds months and days across year ends and leap days", () => {
    expect(addMonths("2024-11", 3)).toBe("2025-02");
    expect(addMonths("2024-01", -1)).toBe("2023-12");
    expect(monthsBetween("2024-07", "2025-06")).toBe(11);
    expect(addMonthsToDate("2024-01-31", 1)).toBe("2024-02-29");
    expect(addDays("2024-02-28", 2)).toBe("2024-03-01");
    expect(daysBetween("2024-03-30", "2024-03-31")).toBe(1); // no DST effect
    expect(daysBetween("2023-12-31", "2024-12-31")).toBe(366);
    expect(lastDay("2023-02")).toBe("2023-02-28");
    expect(dayOfMonth("2024-02", 31)).toBe("2024-02-29");
    expect(monthRange("2024-11", "2025-02")).toEqual(["2024-11", "2024-12", "2025-01", "2025-02"]);
    expect(monthRange("2025-02", "2024-11")).toEqual([]);
  });
});
