import { describe, expect, it } from "vitest";
import { compileRuleSet, createRegistry, type Condition } from "../../rules";
import { builtinPlugins } from "../../plugins";
import { monthsBetween, daysBetween, dayNumber } from "../../plugins/hr-dates/dates";

const registry = createRegistry(builtinPlugins);
const facts = {
  birthDate: { type: "string" },
  hireDate: { type: "string" },
  contractEnd: { type: "string" },
  other: { type: "string" },
};
const check = (condition: Condition, input: Record<string, unknown>, at = "2024-06-15") =>
  (
    compileRuleSet(
      { facts, rules: [{ conditions: { all: [condition] }, event: { type: "hit" } }] },
      registry,
    ).evaluateSync(input, { at }).results[0].conditions as { all: unknown[] }
  ).all[0];

describe("hr-dates", () => {
  it("date arithmetic", () => {
    expect(monthsBetween("2024-01-31", "2024-02-29")).toBe(1); // end of a shorter month completes the month
    expect(monthsBetween("2024-01-31", "2024-02-28")).toBe(0);
    expect(monthsBetween("2020-03-15", "2024-03-14")).toBe(47);
    expect(monthsBetween("2024-03-15", "2020-03-15")).toBe(-48);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(dayNumber("2023-02-29")).toBeUndefined();
    expect(dayNumber("2024-02-29T10:00:00Z")).toBe(dayNumber("2024-02-29"));
  });

  it("date operators compare ISO dates and are false for non-dates", () => {
    const run = (operator: string, a: unknown, b: unknown, params?: Record<string, unknown>) =>
      (
        check({ fact: "hireDate", operator, value: b, ...(params ? { params } : {}) }, { hireDate: a }) as {
          result: boolean;
        }
      ).result;
    expect(run("dateBefore", "2024-01-01", "2024-01-02")).toBe(true);
    expect(run("dateAfter", "2024-01-01", "2024-01-02")).toBe(false);
    expect(run("dateOnOrBefore", "2024-01-02", "2024-01-02")).toBe(true);
    expect(run("dateOnOrAfter", "2024-01-02", "2024-01-02")).toBe(true);
    expect(run("dateAfter", "2024-13-01", "2024-01-02")).toBe(false);
    expect(run("dateBefore", 20240101, "2024-01-02")).toBe(false);
    expect(run("withinDays", "2024-01-01", "2024-01-31", { days: 30 })).toBe(true);
    expect(run("withinDays", "2024-03-01", "2024-01-31", { days: 30 })).toBe(true); // 2024 is a leap year
    expect(run("withinDays", "2024-03-02", "2024-01-31", { days: 30 })).toBe(false);
  });

  it("today, age, monthsBetween and daysBetween use the evaluation date", () => {
    const value = (condition: Condition, input: Record<string, unknown>, at?: string) =>
      (check(condition, input, at) as { factValue: unknown }).factValue;
    expect(value({ fact: "today", operator: "equal", value: "" }, {}, "2024-06-15")).toBe("2024-06-15");
    expect(value({ fact: "age", operator: "greaterThan", value: 0 }, { birthDate: "1980-06-16" })).toBe(43);
    expect(value({ fact: "age", operator: "greaterThan", value: 0 }, { birthDate: "1980-06-15" })).toBe(44);
    expect(
      value(
        { fact: "age", params: { birthDate: "other" }, operator: "greaterThan", value: 0 },
        { other: "2000-01-01" },
      ),
    ).toBe(24);
    expect(
      value({ fact: "age", params: { birthDate: "2004-02-29" }, operator: "greaterThan", value: 0 }, {}, "2023-02-28"),
    ).toBe(19);
    expect(value({ fact: "age", operator: "greaterThan", value: 0 }, {})).toBeUndefined();
    expect(
      value(
        { fact: "monthsBetween", params: { from: "hireDate" }, operator: "greaterThan", value: 0 },
        { hireDate: "2023-12-15" },
      ),
    ).toBe(6);
    expect(
      value(
        { fact: "monthsBetween", params: { from: "hireDate", to: "contractEnd" }, operator: "greaterThan", value: 0 },
        { hireDate: "2023-12-15", contractEnd: "2024-12-14" },
      ),
    ).toBe(11);
    expect(
      value(
        { fact: "daysBetween", params: { from: "today", to: "contractEnd" }, operator: "lessThanInclusive", value: 30 },
        { contractEnd: "2024-07-01" },
      ),
    ).toBe(16);
  });
});
