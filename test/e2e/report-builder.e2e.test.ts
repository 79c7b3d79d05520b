// A consultant builds "employer cost by city, by month" for a year in the report builder (clicks and form
// fields only, no JSON), sees the bar chart, saves the report and exports it as XLSX; then pins it.
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

const ADMIN = { email: "admin@ordo.local", password: process.env.ORDO_ADMIN_PASSWORD ?? "ordo-admin" };
const KEY = "employer-cost-by-city";

let server: RunningServer;
let browser: Browser;
let page: Page;
let token: string;

async function api(path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, "X-Tenant": "demo", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function pick(scope: ReturnType<Page["locator"]> | Page, testId: string, value: string) {
  await scope.getByTestId(testId).locator("xpath=..").locator('[role="combobox"]').first().click();
  await page.locator(`ul[role="listbox"] li[data-value="${value}"]`).click();
  await page.locator('ul[role="listbox"]').waitFor({ state: "detached" });
}

const shot = (name: string) => browser.shot(`report-builder-${name}`);

beforeAll(async () => {
  server = await startOrdo();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  token = (await login.json()).token;
  browser = await launch("zh-CN");
  page = browser.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") await shot(`fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("report builder", () => {
  it("builds employer cost by city and month for a year without JSON, charts, saves and exports XLSX", async () => {
    // The year the demo ledger covers (its monthly runs are queue jobs: wait for the first ledger rows).
    const lastMonth = async () =>
      (
        await api("/reports/run", {
          spec: { dataset: "contributions", measures: [{ fn: "max", field: "month", key: "last" }] },
        })
      ).body?.rows?.[0]?.last ?? null;
    await expect.poll(lastMonth, { timeout: 90_000, interval: 1000 }).not.toBeNull();
    const year = String(await lastMonth()).slice(0, 4);

    await page.goto(`${server.url}/login`);
    await page.fill('input[name="email"]', ADMIN.email);
    await page.fill('input[name="password"]', ADMIN.password);
    await page.click('button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
    await page.evaluate(() => localStorage.setItem("RaStore.locale", JSON.stringify("zh-CN")));

    await page.goto(`${server.url}/reports/create`);
    await page.getByTestId("report-key").fill(KEY);
    await page.getByTestId("report-name").fill(`${year} 年各城市单位缴费（按月）`);
    await pick(page, "report-dataset", "contributions");

    await page.getByTestId("report-add-dimension").click();
    await pick(page, "report-dimension-field-0", "city");
    await page.getByTestId("report-add-dimension").click();
    await pick(page, "report-dimension-field-1", "month");
    await pick(page, "report-dimension-bucket-1", "month");

    // The default measure is a count: make it the sum of the employer's share.
    await pick(page, "report-measure-fn-0", "sum");
    await pick(page, "report-measure-field-0", "employer");

    // Only that year: month from January through December.
    const builder = page.getByTestId("conditions-builder");
    for (const [op, value] of [
      ["greaterThanInclusive", `${year}-01`],
      ["lessThanInclusive", `${year}-12`],
    ] as const) {
      await builder.locator(".ruleGroup-addRule").first().click();
      const condition = builder.getByTestId("condition").last();
      await condition.getByTestId("condition-fact").locator('[role="combobox"]').click();
      await page.locator('ul[role="listbox"] li[data-value="month"]').click();
      await condition.locator(".rule-operators [role='combobox']").click();
      await page.locator(`ul[role="listbox"] li[data-value="${op}"]`).click();
      await condition.getByTestId("condition-value").fill(value);
    }

    await pick(page, "report-chart-type", "bar");
    await pick(page, "report-chart-x", "month_month");
    await pick(page, "report-chart-series", "city");
    await page.getByTestId("report-chart").locator(".recharts-bar-rectangle").first().waitFor();
    await page.getByTestId("report-totals").waitFor();
    expect(await page.getByTestId("report-table").textContent()).toContain("合计");
    await shot("01-built-zh");

    await page.getByTestId("report-save").click();
    await page.waitForURL((u) => u.pathname === `/reports/${KEY}`);
    const saved = (await api(`/reports/${KEY}`)).body;
    expect(saved.dataset).toBe("contributions");
    expect(saved.dimensions).toEqual([{ field: "city" }, { field: "month", bucket: "month" }]);
    expect(saved.measures).toEqual([{ fn: "sum", field: "employer" }]);
    expect(saved.filters.all.map((c: { value: string }) => c.value)).toEqual([`${year}-01`, `${year}-12`]);
    expect(saved.chart).toMatchObject({ type: "bar", x: "month_month", series: "city" });

    // What the chart shows is what the ledger holds: the run's total equals the year's employer sum.
    const run = await api(`/reports/${KEY}/run`, {});
    expect(run.status).toBe(200);
    expect(Number(run.body.totals.sum_employer)).toBeGreaterThan(0);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("report-export-xlsx").click(),
    ]);
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file!) as never);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe("参保城市");
    expect(sheet.rowCount).toBe(run.body.rows.length + 2);
    expect(String(sheet.getRow(sheet.rowCount).getCell(3).value)).toBe(String(Number(run.body.totals.sum_employer)));
    await shot("02-saved");
    expect(browser.problems).toEqual([]);
  });
});
