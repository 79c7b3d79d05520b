// The region view in the admin: pick a region in the org tree of the retail tenant, its stores' cities side by
// side as of a date, a value's source on hover, English labels, and the region/store cost report in the list.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

const ADMIN = { email: "admin@ordo.local", password: "ordo-admin" };

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startOrdo();
  browser = await launch("zh-CN");
  page = browser.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail")
    await browser.shot(`regions-fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const setDate = async (at: string) => {
  await page.fill('input[name="at"]', at);
};

describe("region view", () => {
  it("shows a region's cities side by side with their sources, in zh-CN and en", async () => {
    await page.goto(`${server.url}/login`);
    await page.evaluate(() => localStorage.setItem("RaStore.locale", JSON.stringify("zh-CN")));
    await page.reload();
    await page.fill('input[name="email"]', ADMIN.email);
    await page.fill('input[name="password"]', ADMIN.password);
    await page.click('button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
    await page.evaluate(() => sessionStorage.setItem("ordo.tenant", "retail"));
    await page.goto(`${server.url}/regions`);

    const tree = page.getByTestId("org-tree");
    await expect.poll(() => tree.getByText("零售总部").count()).toBe(1);
    await tree.getByText("华东区").click();
    const grid = page.getByTestId("region-policy-grid");
    await expect.poll(() => grid.getByTestId("city-310000").textContent()).toContain("上海");
    expect(await grid.getByTestId("city-330100").textContent()).toContain("杭州西湖店");
    expect(await grid.locator("thead th").count()).toBe(3);

    await setDate("2025-06-30");
    const wageRow = grid.locator("tr", { hasText: "最低工资" });
    await expect.poll(() => wageRow.textContent()).toContain("¥2690");
    await setDate("2025-07-01");
    await expect.poll(() => wageRow.textContent()).toContain("¥2740");
    expect(await grid.locator("tr", { hasText: "缴费截止日" }).textContent()).toContain("每月 25 日");

    await wageRow.getByText("¥2740").hover();
    await expect.poll(() => page.getByRole("tooltip").textContent()).toContain("rsj.sh.gov.cn");
    expect(await page.getByRole("tooltip").textContent()).toContain("min-wage");
    await page.getByText("在每个数值下显示来源").click();
    await expect.poll(() => wageRow.textContent()).toContain("2025-07-01 – 至今");
    await browser.shot("regions-zh");
    expect(await page.getByTestId("region-reminders").textContent()).toContain(
      "杭州：2025-07-25 截止，2025-07-20 提醒",
    );

    await page.evaluate(() => localStorage.setItem("RaStore.locale", JSON.stringify("en")));
    await page.reload();
    await page.getByTestId("org-tree").getByText("华南区").click();
    await expect.poll(() => grid.getByTestId("city-440300").textContent()).toContain("Shenzhen");
    expect(await grid.locator("tr", { hasText: "Minimum wage" }).count()).toBe(1);
    expect(await page.getByTestId("region-reminders").textContent()).toContain("Reminders before");

    await page.goto(`${server.url}/reports`);
    await expect.poll(() => page.getByText("区域与门店用工成本对比").count()).toBeGreaterThan(0);
    expect(browser.problems).toEqual([]);
  });
});
