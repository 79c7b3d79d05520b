/**
 * The admin as a new HR team meets it: the first page, what the browser downloads, read-only authoring
 * for HR admins, and a guard on unsaved work.
 */
import { readFileSync } from "node:fs";
import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launch } from "./support/browser";
import { type RunningServer, startOrdo } from "./support/server";

const HR = { email: "hr@demo.local", password: "ordo-hr-2024" };
const ADMIN = { email: "admin@ordo.local", password: "ordo-admin" };

let server: RunningServer;
let browser: Browser;
let page: Page;

async function logIn(who: { email: string; password: string }) {
  await page.goto(`${server.url}/login`);
  await page.fill("input[name=email]", who.email);
  await page.fill("input[name=password]", who.password);
  await page.click("button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

async function logOut() {
  await page.evaluate(() => {
    sessionStorage.clear();
    localStorage.clear();
  });
}

beforeAll(async () => {
  server = await startOrdo();
  browser = await launch("zh-CN");
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("first load", () => {
  it("shows the login form after one redirect, with compressed JavaScript under 500 kB", async () => {
    const navigations: string[] = [];
    const scripts: Response[] = [];
    const onNav = (f: { url(): string }) => f === page.mainFrame() && navigations.push(f.url());
    const onResponse = (r: Response) => r.url().endsWith(".js") && scripts.push(r);
    page.on("framenavigated", onNav);
    page.on("response", onResponse);
    const t0 = Date.now();
    await page.goto(`${server.url}/`);
    await page.waitForSelector("input[name=password]");
    const ms = Date.now() - t0;
    // The form is up: give a redirect loop, if any, a moment to show itself.
    await page.waitForTimeout(1000);
    page.off("framenavigated", onNav);
    const paths = navigations.map((u) => new URL(u).pathname);
    console.log(`login form after ${ms} ms; navigations ${paths.join(" → ")}`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(paths.filter((p) => p === "/login").length).toBeLessThanOrEqual(2);
    expect(paths.length).toBeLessThanOrEqual(3);

    await logIn(HR);
    await page.waitForSelector('[data-testid="alerts-by-type"]');
    page.off("response", onResponse);
    let transferred = 0;
    const seen = new Set<string>();
    for (const r of scripts) {
      if (seen.has(r.url())) continue; // the same file again, from the cache
      seen.add(r.url());
      const headers = await r.allHeaders();
      expect(["br", "gzip"], r.url()).toContain(headers["content-encoding"]);
      transferred += Number(headers["content-length"] ?? 0);
    }
    console.log(`login + dashboard JavaScript: ${seen.size} files, ${Math.round(transferred / 1024)} kB`);
    expect(transferred).toBeGreaterThan(0);
    expect(transferred).toBeLessThan(500 * 1024);
    await browser.shot("delivery-dashboard");
  });
});

describe("Chinese throughout", () => {
  it("shows employment types, statuses and cities by their Chinese names, money with separators", async () => {
    await page.goto(`${server.url}/employees`);
    await page.waitForSelector("table tbody tr td");
    const text = (await page.textContent("table tbody")) ?? "";
    expect(text).toContain("全职");
    expect(text).toContain("在职");
    expect(text).toMatch(/北京|上海|广州|深圳|杭州|成都/);
    expect(text).not.toMatch(/full_time|\bactive\b|\b110000\b/);
    expect(text).toMatch(/¥\d{1,3}(,\d{3})*\.\d{2}/);
    await browser.shot("delivery-employees-zh");
  });

  it("exports every employee as CSV, a formula-like name made harmless", async () => {
    const token = await page.evaluate(() => sessionStorage.getItem("ordo.token"));
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const created = await fetch(`${server.url}/api/employees`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        employeeNo: "F0001",
        name: "=1+1",
        insuredCity: "110000",
        hireDate: "2024-03-01",
        monthlyWage: "9000",
        employmentType: "full_time",
      }),
    });
    expect(created.status).toBe(201);
    const list = await fetch(`${server.url}/api/employees?range=[0,0]`, { headers: auth });
    const total = Number(list.headers.get("content-range")?.split("/")[1]);
    await page.goto(`${server.url}/employees`);
    await page.waitForSelector("table tbody tr td");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByText("导出").click()]);
    const csv = readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\n");
    expect(csv.length - 1).toBe(total);
    expect(csv.some((line) => line.includes("'=1+1"))).toBe(true);
    expect(csv.some((line) => /(^|,)=1\+1/.test(line))).toBe(false);
  });
});

describe("authoring rights", () => {
  it("gives an HR admin a read-only rule editor with the reason in Chinese", async () => {
    const editor = '[data-testid="monaco-rule-sets/enrollment.json"]';
    await page.goto(`${server.url}/rule-sets/enrollment`);
    await page.waitForSelector(`${editor} .view-lines`);
    expect(await page.getAttribute(editor, "data-readonly")).toBe("true");
    expect(await page.textContent('[data-testid="read-only-reason"]')).toContain("只有实施顾问可以修改");
    const before = await page.textContent(`${editor} .view-lines`);
    await page.click(`${editor} .view-lines`);
    await page.keyboard.insertText("typed by HR");
    await page.waitForTimeout(300);
    expect(await page.textContent(`${editor} .view-lines`)).toBe(before);
    expect(await page.isDisabled('[data-testid="save-rule-set"]')).toBe(true);
    await browser.shot("delivery-hr-read-only");
  });

  it("asks a consultant before leaving an editor with unsaved changes", async () => {
    await logOut();
    await logIn(ADMIN);
    const editor = '[data-testid="monaco-rule-sets/enrollment.json"]';
    await page.goto(`${server.url}/rule-sets/enrollment`);
    await page.waitForSelector(`${editor} .view-lines`);
    await page.click(`${editor} .view-lines`);
    await page.keyboard.press("End");
    await page.keyboard.insertText(" ");
    await page.waitForSelector('[data-testid="dirty"]');
    const asked: string[] = [];
    page.once("dialog", async (d) => {
      asked.push(d.message());
      await d.dismiss();
    });
    await page.click('a[href="/policy-tables"]');
    await page.waitForTimeout(1000);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("尚未保存");
    expect(new URL(page.url()).pathname).toBe("/rule-sets/enrollment");
  });
});

describe("problems", () => {
  it("met no page error and no outside request", () => {
    expect(browser.problems).toEqual([]);
  });
});
