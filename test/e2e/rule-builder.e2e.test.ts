// A consultant builds the "HR 30 days before leaving" rule of the shipped offboarding pack in the visual
// rule builder (clicks and form fields only, never typing into Monaco), saves it, and publishes it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

// The consultant the server creates on first start (support/server.ts leaves ORDO_ADMIN_* at their defaults).
const ADMIN = { email: "admin@ordo.local", password: process.env.ORDO_ADMIN_PASSWORD ?? "ordo-admin" };
const KEY = "e2e-leaving-builder";

const pack = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "rules", "packs", "social-insurance", "offboarding.json"), "utf8"),
);
/** The rule as a consultant would have typed it in JSON. */
const HR_RULE = pack.rules.find((r: { name: string }) => r.name === "hr-30-days-before-leaving");

let server: RunningServer;
let browser: Browser;
let page: Page;
let token: string;

async function api(path: string, body?: unknown, method = body === undefined ? "GET" : "POST") {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "X-Tenant": "demo", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Opens a select (MUI) by its test id and picks the option with that value. */
async function pick(scope: ReturnType<Page["locator"]> | Page, testId: string, value: string) {
  await scope.getByTestId(testId).locator('[role="combobox"]').click();
  await page.locator(`ul[role="listbox"] li[data-value="${value}"]`).click();
  await page.locator('ul[role="listbox"]').waitFor({ state: "detached" });
}

const shot = (name: string) => browser.shot(`rule-builder-${name}`);

beforeAll(async () => {
  server = await startOrdo();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  token = (await login.json()).token;
  browser = await launch("en-US");
  page = browser.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") await shot(`fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("visual rule builder", () => {
  it(
    "builds the leaving-employee rule without typing JSON, saves " + "the JSON a consultant would type, publishes",
    async () => {
      // An empty rule set (its input facts declared, no rules) and a test case the publish will run.
      const created = await api("/rule-sets", {
        key: KEY,
        name: "Leaving (built visually)",
        facts: pack.facts,
        rules: [],
        testCases: [
          {
            name: "HR is told 30 days ahead",
            facts: pack.testCases[0].facts,
            expectEvents: [HR_RULE.event],
          },
        ],
      });
      expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);

      await page.goto(`${server.url}/login`);
      await page.fill('input[name="email"]', ADMIN.email);
      await page.fill('input[name="password"]', ADMIN.password);
      await page.click('button[type="submit"]');
      await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });

      await page.goto(`${server.url}/rule-sets/${KEY}`);
      await page.getByTestId("mode-visual").click();
      await page.getByTestId("builder-empty").waitFor();
      await page.getByTestId("builder-add-rule").click();

      await page.getByTestId("builder-rule-name").fill(HR_RULE.name);
      await page.getByTestId("builder-rule-priority").fill(String(HR_RULE.priority));

      // When: enrolled equals true.
      const builder = page.getByTestId("conditions-builder");
      await builder.locator(".ruleGroup-addRule").first().click();
      const first = builder.getByTestId("condition").nth(0);
      await pick(first, "condition-fact", "enrolled");
      await first.locator(".rule-operators [role='combobox']").click();
      await page.locator('ul[role="listbox"] li[data-value="equal"]').click();
      await pick(first, "condition-value", "true");

      // A second condition left without a fact: the server's error shows on that condition.
      await builder.locator(".ruleGroup-addRule").first().click();
      await page.getByTestId("save-rule-set").click();
      const second = builder.locator('[data-testid="condition"][data-pointer="/rules/0/conditions/all/1"]');
      await second.getByTestId("condition-problems").waitFor();
      expect(await builder.getByTestId("condition").nth(0).getByTestId("condition-problems").count()).toBe(0);
      await shot("01-error-on-condition");
      await second.locator(".rule-remove").click();
      await expect.poll(() => builder.getByTestId("condition").count()).toBe(1);

      // Then: raise the HR alert, its params from the action's schema.
      await pick(page, "builder-event-type", "raise-alert");
      const p = HR_RULE.event.params;
      await page.getByTestId("event-param-type").fill(p.type);
      await pick(page, "event-param-severity", p.severity);
      await page.getByTestId("event-param-dueFrom-source").click();
      await pick(page, "event-param-dueFrom", p.dueFrom.fact);
      await page.getByTestId("event-param-dueInDays").fill(String(p.dueInDays));
      await page.getByTestId("event-param-message").fill(p.message);
      await shot("02-rule-built-en");

      await page.getByTestId("save-rule-set").click();
      await page.getByTestId("dirty").waitFor({ state: "detached" });
      await expect.poll(async () => (await api(`/rule-sets/${KEY}`)).body.revision).toBeGreaterThan(1);

      // What was saved is the rule as a consultant would have typed it, and it passes validation.
      const saved = (await api(`/rule-sets/${KEY}`)).body;
      expect(saved.rules).toEqual([HR_RULE]);
      const checked = await api(`/rule-sets/${KEY}/test`, {});
      expect(checked.status, JSON.stringify(checked.body)).toBe(200);
      expect(checked.body.passed, JSON.stringify(checked.body.results)).toBe(true);

      // The JSON editor shows the same document (two-way sync): switch side by side and back.
      await page.getByTestId("mode-split").click();
      const lines = page.locator(".monaco-editor .view-lines").first();
      await lines.waitFor();
      // Monaco draws only the visible lines: go to the end of the document (a key press, no typing).
      await lines.click();
      await page.keyboard.press("Control+End");
      await expect.poll(() => lines.textContent()).toContain("leave_upcoming");
      await shot("03-side-by-side");

      await page.getByTestId("tab-versions").click();
      await page.getByTestId("publish").click();
      await page.fill('input[name="note"]', "built in the visual builder");
      await page.getByTestId("confirm-publish").click();
      await page.getByTestId("versions").getByText("built in the visual builder").waitFor();
      await shot("04-published");
      const versions = await api(`/rule-sets/${KEY}/versions`);
      expect(versions.status).toBe(200);
      const list = Array.isArray(versions.body) ? versions.body : versions.body.data;
      expect(list.length).toBe(1);

      // The same builder in Chinese.
      await page.evaluate(() => localStorage.setItem("RaStore.locale", JSON.stringify("zh-CN")));
      await page.goto(`${server.url}/rule-sets/${KEY}`);
      await page.getByTestId("mode-visual").click();
      await page.getByTestId("rule-builder").getByText("全部满足").first().waitFor();
      // Read back from the saved JSON: the builder shows the rule it was built as.
      expect(await page.getByTestId("builder-rule-name").inputValue()).toBe(HR_RULE.name);
      await expect.poll(() => page.getByTestId("condition-fact").first().textContent()).toContain("enrolled");
      expect(await page.getByTestId("event-param-dueInDays").inputValue()).toBe("-30");
      await shot("05-rule-built-zh");
      expect(browser.problems).toEqual([]);
    },
  );

  it("is read-only for an HR admin", async () => {
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="email"]', "hr@demo.local");
    await page.fill('input[name="password"]', "ordo-hr-2024");
    await page.click('button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
    await page.goto(`${server.url}/rule-sets/${KEY}`);
    await page.getByTestId("read-only-reason").waitFor();
    await page.getByTestId("mode-visual").click();
    await page.getByTestId("rule-builder").waitFor();
    expect(await page.getByTestId("builder-rule-name").isDisabled()).toBe(true);
    expect(await page.getByTestId("event-param-dueInDays").isDisabled()).toBe(true);
    expect(await page.getByTestId("builder-add-rule").count()).toBe(0);
    expect(await page.locator(".ruleGroup-addRule").isDisabled()).toBe(true);
    await shot("06-read-only-hr");
  });
});
