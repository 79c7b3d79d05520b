import { describe, expect, it } from "vitest";
import { actionOptions, actionSeverity, chartRows } from "../../admin/src/self-service/status";
import { actionBody, actionReady } from "../../admin/src/alerts/body";
import { en } from "../../admin/src/i18n/en";
import { zhCN } from "../../admin/src/i18n/zhCN";
import { ALERT_MESSAGES, codesOf, placeholdersOf } from "../../domain/index";

const keys = (o: unknown, prefix = ""): string[] =>
  o && typeof o === "object" ? Object.entries(o).flatMap(([k, v]) => keys(v, `${prefix}${k}.`)) : [prefix.slice(0, -1)];

describe("self-service status card", () => {
  it("formats an action's params for the reader", () => {
    const unpaid = { code: "unpaid_ask_hr", params: { months: ["2025-02", "2025-03"] } };
    expect(actionOptions(unpaid, "zh-CN")).toEqual({ months: "2025年2月、2025年3月", smart_count: 2 });
    expect(actionOptions(unpaid, "en")).toEqual({ months: "Feb 2025, Mar 2025", smart_count: 2 });
    const window = { code: "back_payment_window", params: { windowMonths: 6, deadline: "2025-09-30", city: "440100" } };
    expect(actionOptions(window, "zh-CN")).toEqual({ windowMonths: 6, deadline: "2025年9月30日", city: "广州" });
    const flexible = { code: "flexible_employment", params: { minBase: "7162.00", minMonthly: "1432.40" } };
    expect(actionOptions(flexible, "en")).toEqual({ minBase: "¥7,162.00", minMonthly: "¥1,432.40" });
    expect(actionSeverity("all_paid")).toBe("success");
    expect(actionSeverity("no_back_payment")).toBe("warning");
    expect(actionSeverity("gap_started")).toBe("info");
  });

  it("has a text in both languages for every action the server answers", () => {
    const codes = [
      "all_paid",
      "due_soon",
      "not_enrolled",
      "unpaid_ask_hr",
      "gap_starts",
      "gap_started",
      "flexible_employment",
      "back_payment_window",
      "no_back_payment",
    ];
    for (const c of codes) {
      expect(en.ordo.self.actions).toHaveProperty(c);
      expect(zhCN.ordo.self.actions).toHaveProperty(c);
    }
    // The no-window text never offers a back-payment figure.
    expect(en.ordo.self.actions.no_back_payment).not.toMatch(/%\{/);
  });

  it("charts the ledger oldest first with exact amounts in the tooltip and unpaid months flagged", () => {
    const rows = chartRows(
      [
        { month: "2025-03", employer: "3180.00", employee: "1263.00" },
        { month: "2025-01", employer: "3180.00", employee: "1263.00" },
      ],
      ["2025-03"],
      "zh-CN",
    );
    expect(rows.map((r) => [r.month, r.label, r.unpaid])).toEqual([
      ["2025-01", "2025年1月", false],
      ["2025-03", "2025年3月", true],
    ]);
    expect(rows[0]).toMatchObject({ employer: 3180, employerText: "¥3,180.00", employeeText: "¥1,263.00" });
  });
});

describe("alert actions in the admin", () => {
  it("sends only what an action takes", () => {
    expect(actionBody("resolve", { note: "  ", until: "2099-01-01", assigneeId: "x" })).toEqual({});
    expect(actionBody("snooze", { note: " later ", until: "2099-01-01" })).toEqual({
      note: "later",
      until: "2099-01-01",
    });
    expect(actionBody("assign", { assigneeId: "" })).toEqual({ assigneeId: null });
    expect(actionReady("snooze", { until: "2025-01-01" }, "2025-06-01")).toBe(false);
    expect(actionReady("snooze", { until: "2025-06-02" }, "2025-06-01")).toBe(true);
    expect(actionReady("snooze", {}, "2025-06-01")).toBe(false);
    expect(actionReady("resolve", {}, "2025-06-01")).toBe(true);
  });

  it("labels the inbox in zh-CN and en alike", () => {
    expect(keys(zhCN.ordo.alerts).sort()).toEqual(keys(en.ordo.alerts).sort());
    expect(keys(zhCN.ordo.self).sort()).toEqual(keys(en.ordo.self).sort());
    for (const state of codesOf("alertState")) expect(zhCN.ordo.alerts.views).toHaveProperty(state);
    for (const a of codesOf("alertEventAction")) expect(zhCN.ordo.alerts.events).toHaveProperty(a);
  });
});

describe("the alert message catalogue", () => {
  it("names known alert types, with the same placeholders in zh-CN and en", () => {
    const types = new Set(codesOf("alertType"));
    for (const [type, variants] of Object.entries(ALERT_MESSAGES)) {
      expect(types.has(type), type).toBe(true);
      for (const v of variants) expect(placeholdersOf(v.zh).sort(), type).toEqual(placeholdersOf(v.en).sort());
    }
  });
});
