/** The Liquid filters of reminder templates, and HTML escaping in email bodies only. */
import { describe, expect, it } from "vitest";
import { cityZh, dateEn, dateZh, money, monthEn, monthZh } from "../../server/reminders/filters";
import { renderText } from "../../server/reminders/liquid";

describe("reminder filters", () => {
  it("money: ¥, thousands separators, two decimals, half-up, decimal strings and numbers", () => {
    expect(money("4500")).toBe("¥4,500.00");
    expect(money(4500)).toBe("¥4,500.00");
    expect(money("1234567.895")).toBe("¥1,234,567.90");
    expect(money("0.1")).toBe("¥0.10");
    expect(money("-1000.5")).toBe("-¥1,000.50");
    expect(money("999.999")).toBe("¥1,000.00");
    // decimal.js, not floats: 0.1 + 0.2 style values stay exact
    expect(money("0.30000000000000004")).toBe("¥0.30");
    expect(() => money("abc")).toThrow(/money expects an amount/);
    expect(() => money(null)).toThrow(/money expects an amount/);
  });

  it("dates and months in Chinese and English", () => {
    expect(dateZh("2024-06-30")).toBe("2024年6月30日");
    expect(dateEn("2024-06-30")).toBe("June 30, 2024");
    expect(monthZh("2024-05")).toBe("2024年5月");
    expect(monthZh("2024-12-01")).toBe("2024年12月");
    expect(monthEn("2024-05")).toBe("May 2024");
    expect(() => dateZh("2024-06")).toThrow(/date_zh expects a date/);
    expect(() => monthEn(7)).toThrow(/month_en expects a month/);
    expect(cityZh("440300")).toBe("深圳");
  });

  it("renders through liquidjs: filters by name, strict variables, escaping only when asked", async () => {
    const facts = { amount: "4500", month: "2024-05", name: "<b>王芳</b> & co" };
    expect(await renderText("{{ month | month_zh }}共计{{ amount | money }}", facts, false)).toBe(
      "2024年5月共计¥4,500.00",
    );
    expect(await renderText("{{ name }}", facts, true)).toBe("&lt;b&gt;王芳&lt;/b&gt; &amp; co");
    expect(await renderText("{{ name }}", facts, false)).toBe("<b>王芳</b> & co");
    await expect(renderText("{{ missing }}", facts, false)).rejects.toThrow(/undefined variable: missing/);
    await expect(renderText("{{ amount | nope }}", facts, false)).rejects.toThrow(/undefined filter: nope/);
    // A runaway loop is stopped by liquidjs's limits rather than holding the server.
    const loop = "{% for i in (1..10000) %}{% for j in (1..10000) %}x{% endfor %}{% endfor %}";
    await expect(renderText(loop, facts, false)).rejects.toThrow(/limit exceeded/);
  });
});
