// The zh-CN walk: every screen of the HR admin and of self-service in Chinese, with no stray English.
// Words a Chinese HR team reads as they are (Ordo, Excel, JSON, SMTP, Webhook…), identifiers (keys such
// as si-gap-options, e-mail addresses, codes) and the demo's own data are allowed; any other English word
// on a screen is a label, value or message that was not translated, and the test names it with its page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

const ADMIN = { email: "admin@ordo.local", password: process.env.ORDO_ADMIN_PASSWORD ?? "ordo-admin" };
const EMPLOYEE = { email: "employee@demo.local", password: "ordo-employee" };

/** Words that stay as they are in a Chinese UI: product and format names, protocol names, units. */
const ALLOWED = new Set(
  [
    "Ordo",
    "JSON",
    "CSV",
    "Excel",
    "XLSX",
    "SMTP",
    "Webhook",
    "Webhooks",
    "Standard",
    "WeCom",
    "DingTalk",
    "Cron",
    "IANA",
    "Asia",
    "Shanghai",
    "Liquid",
    "Markdown",
    "Demo",
    "Manufacturing",
    "Retail",
    "Admin",
    "API",
    "URL",
    "ID",
    "HR",
    "GB",
  ].map((w) => w.toLowerCase()),
);

let server: RunningServer;
let browser: Browser;
let page: Page;
let token: string;

/** Keys of the tenant's authored documents (rule sets, templates, reports…): identifiers, not words. */
const KEYS = new Set<string>();

/** English words on the page that are neither allowed nor part of an identifier or address. */
async function strayEnglish(): Promise<string[]> {
  // What a reader sees: innerText leaves out hidden elements, textContent would not.
  // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the point
  const text = await page.evaluate(() => document.body.innerText);
  const found = new Set<string>();
  for (const token of text.split(/[\s，。：；、（）()“”"'`「」【】[\]{}<>|·•…,;:!?]+/)) {
    // Identifiers and addresses: keys with dashes or underscores, e-mails, codes with digits, paths.
    if (/[-_@./\d]/.test(token) || !/[A-Za-z]{3,}/.test(token)) continue;
    // camelCase names (a policy table's columns) and document keys are identifiers too.
    if (/^[a-z]+[A-Z][A-Za-z]*$/.test(token) || KEYS.has(token)) continue;
    const word = token.replace(/[^A-Za-z]/g, "");
    if (word.length < 3 || ALLOWED.has(word.toLowerCase())) continue;
    found.add(token);
  }
  return [...found];
}

async function visit(path: string, ready: () => Promise<unknown>): Promise<[string, string[]]> {
  await page.goto(`${server.url}${path}`);
  await ready();
  // Lists and charts fill in after their requests: give them a moment to settle.
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.waitForTimeout(300);
  return [path, await strayEnglish()];
}

async function login(user: { email: string; password: string }) {
  await page.evaluate(() => localStorage.clear()).catch(() => undefined);
  await page.goto(`${server.url}/login`);
  await page.evaluate(() => localStorage.setItem("RaStore.locale", JSON.stringify("zh-CN")));
  await page.reload();
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', user.password);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
}

beforeAll(async () => {
  server = await startOrdo();
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  token = (await res.json()).token;
  browser = await launch("zh-CN");
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("zh-CN walk", () => {
  it("every HR screen reads in Chinese", async () => {
    await login(ADMIN);
    const api = async (path: string) =>
      (
        await fetch(`${server.url}/api${path}`, {
          headers: { Authorization: `Bearer ${token}`, "X-Tenant": "demo", "Accept-Language": "zh-CN" },
        })
      ).json();
    const entities = (await api("/entities")) as { name: string }[];
    for (const kind of ["rule-sets", "policy-tables", "reminder-templates", "reports"])
      for (const d of (await api(`/${kind}?range=%5B0%2C999%5D`)) as { key: string }[]) KEYS.add(d.key);
    for (const p of (await api("/packs")) as { key: string }[]) KEYS.add(p.key);
    const [employee] = (await api("/employees?range=%5B0%2C0%5D")) as { id: string }[];
    const menu = () => page.getByText("仪表盘").first().waitFor();
    const pages: [string, () => Promise<unknown>][] = [
      ["/", menu],
      ...entities.map((e) => [`/${e.name}`, menu] as [string, () => Promise<unknown>]),
      [`/employees/${employee!.id}/show`, menu],
      ["/rule-sets", menu],
      ["/policy-tables", menu],
      ["/policy-tables/si-base-limits", menu],
      ["/reports", menu],
      ["/reports/cost-by-city-month", () => page.getByTestId("report-table").waitFor()],
      ["/reminder-templates", menu],
      ["/si/contributions", menu],
      ["/si/back-payment", menu],
      ["/si/pension", menu],
      ["/monthly-runs", menu],
      ["/payment-imports", menu],
      ["/packs", () => page.locator("[data-pack]").first().waitFor()],
      ["/channels", menu],
      ["/inbox", menu],
    ];
    const findings: [string, string[]][] = [];
    for (const [path, ready] of pages) findings.push(await visit(path, ready));
    await browser.shot("zh-walk-01-last-hr-page");
    const stray = findings.filter(([, words]) => words.length);
    expect(stray, `English on zh-CN screens: ${JSON.stringify(stray)}`).toEqual([]);
  });

  it("self-service reads in Chinese", async () => {
    await login(EMPLOYEE);
    const found = [
      await visit("/", () => page.getByText("我的社保").first().waitFor()),
      await visit("/inbox", () => page.getByText("我的社保").first().waitFor()),
    ];
    await browser.shot("zh-walk-02-self-service");
    expect(found.filter(([, w]) => w.length)).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
