import { describe, expect, it } from "vitest";
import { enumLabel, formatDate, formatMoney, formatMonth } from "../../admin/src/format";
import { enumLabels } from "../../domain/index";

describe("admin formatting", () => {
  it("groups money digits exactly, without a float", () => {
    expect(formatMoney("12345.67")).toBe("¥12,345.67");
    expect(formatMoney("4500")).toBe("¥4,500.00");
    expect(formatMoney("0.5")).toBe("¥0.50");
    expect(formatMoney("-1234567.891")).toBe("-¥1,234,567.891");
    // Past 2^53 a float would round; the string is grouped as it is.
    expect(formatMoney("90071992547409931.01")).toBe("¥90,071,992,547,409,931.01");
    expect(formatMoney(null)).toBe("");
  });

  it("writes months and dates in the reader's style", () => {
    expect(formatMonth("2024-05", "zh-CN")).toBe("2024年5月");
    expect(formatMonth("2024-05", "en")).toBe("May 2024");
    expect(formatDate("2024-06-30", "zh-CN")).toBe("2024年6月30日");
    expect(formatDate("2024-06-30", "en")).toBe("30 Jun 2024");
  });

  it("labels enum values from the declaration's labels", () => {
    const labels = enumLabels("employmentType");
    expect(enumLabel(labels, "full_time", "zh-CN")).toBe("全职");
    expect(enumLabel(labels, "full_time", "en")).toBe("Full time");
    expect(enumLabel(labels, "constructor", "zh-CN")).toBe("constructor");
    expect(enumLabel(labels, "unknown", "en")).toBe("unknown");
  });
});
