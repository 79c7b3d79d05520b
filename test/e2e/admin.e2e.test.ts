import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

const ADMIN = { email: "admin@ordo.local", password: "ordo-admin" };
const EMPLOYEE = { email: "employee@demo.local", password: "ordo-employee" };

let server: RunningServer;
let browser: Browser;
let page: Page;

async function apiLogin(email: string, password: string) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const body = await res.json();
  return body.token as string;
}

async function api(path: string, token: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, "X-Tenant": "demo", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A small rule set of our own, so the walk does not depend on what the demo seed ships. */
const E2E_RULE_SET = {
  key: "e2e-late-enrolment",
  name: "E2E late enrolment",
  description: "created by the e2e walk",
  industry: "manufacturing",
  facts: { monthlyWage: { type: "number" }, daysSinceHire: { type: "integer" } },
  rules: [
    {
      name: "late-enrolment",
      priority: 1,
      conditions: {
        all: [
          { fact: "daysSinceHire", operator: "greaterThan", value: 30 },
          { fact: "monthlyWage", operator: "greaterThanInclusive", value: 0 },
        ],
      },
      event: { type: "late-enrolment", params: { severity: "high" } },
    },
  ],
  testCases: [
    {
      name: "late",
      facts: { monthlyWage: 10000, daysSinceHire: 45 },
      expectEvents: [{ type: "late-enrolment", params: { severity: "high" } }],
    },
    { name: "on time", facts: { monthlyWage: 10000, daysSinceHire: 10 }, expectEvents: [] },
  ],
};

async function uiLogin(email: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
}

/** Replaces the whole Monaco document (single line, so no auto-indent or auto-closing). */
async function setMonacoText(selector: string, text: string) {
  await page.click(`${selector} .monaco-editor .view-lines`);
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

beforeAll(async () => {
  server = await startOrdo();
  browser = await launch("en-US");
  page = browser.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") await browser.shot(`fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("Ordo admin", () => {
  it("logs in and shows the dashboard", async () => {
    await uiLogin(ADMIN.email, ADMIN.password);
    await page.getByText("Welcome", { exact: false }).waitFor();
    await browser.shot("01-dashboard");
  });

  it("calculates Beijing 2024-09 contributions against the published policy tables", async () => {
    await page.goto(`${server.url}/si/contributions`);
    await page.waitForFunction(
      () => !!(document.querySelector('input[name="month"]') as HTMLInputElement | null)?.value,
    );
    await page.fill('input[name="month"]', "2024-09");
    await page.fill('input[name="wage"]', "40000");
    await page.getByTestId("calculate").click();
    const pension = page.locator('[data-testid="contribution-result"] tr[data-insurance="pension"]');
    await pension.waitFor();
    const cells = (await pension.locator("td").allInnerTexts()).map((t) => t.trim());
    expect(cells).toEqual(["Pension", "¥35,283.00", "16%", "¥5,645.28", "8%", "¥2,822.64"]);
    await browser.shot("01b-contribution-calculator");
  });

  it("creates an employee through the generated form", async () => {
    await page.goto(`${server.url}/employees/create`);
    await page.fill("#employeeNo", "E2E-001");
    await page.fill("#name", "测试员工");
    // A city is picked by name (the code is the hint beside it).
    await page.fill("#insuredCity", "Shanghai");
    await page.locator('li[role="option"]', { hasText: "310000" }).click();
    await page.fill("#hireDate", "2025-03-01");
    await page.fill("#monthlyWage", "12000");
    await page.click("#employmentType");
    await page.click('li[data-value="full_time"]');
    await browser.shot("02-employee-create");
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/employees\/[^/]+\/show$/, { timeout: 30_000 });
    await page.getByText("E2E-001").first().waitFor();
    await browser.shot("03-employee-show");
  });

  it("adds a custom field and sees it in the form", async () => {
    await page.goto(`${server.url}/custom-fields/employees`);
    await page.fill("#name", "badgeNo");
    await page.fill("#labelEn", "Badge number");
    await page.fill("#labelZh", "工牌号");
    await page.click('button[type="submit"]');
    await page.getByTestId("custom-fields-table").getByText("badgeNo").waitFor();
    await browser.shot("04-custom-fields");
    await page.goto(`${server.url}/employees/create`);
    await page.locator("#badgeNo").waitFor();
    expect(await page.locator('label[for="badgeNo"]').textContent()).toContain("Badge number");
    await browser.shot("05-form-with-custom-field");
  });

  it("edits a rule set in Monaco: a mistake is flagged, the fix saves, tests run, publish works", async () => {
    const token = await apiLogin(ADMIN.email, ADMIN.password);
    const created = await api("/rule-sets", token, E2E_RULE_SET);
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    const { body: full } = await api(`/rule-sets/${E2E_RULE_SET.key}`, token);
    const doc = {
      name: full.name,
      description: full.description ?? "",
      industry: full.industry ?? "",
      facts: full.facts ?? {},
      rules: full.rules,
    };

    await page.goto(`${server.url}/rule-sets/${encodeURIComponent(full.key)}`);
    const editor = `[data-testid="monaco-rule-sets/${full.key}.json"]`;
    await page.locator(`${editor} .monaco-editor`).waitFor({ timeout: 30_000 });

    // A mistake: an operator that does not exist.
    const bad = structuredClone(doc);
    const leaf = findLeaf(bad.rules[0].conditions);
    leaf.operator = "notAnOperator";
    await setMonacoText(editor, JSON.stringify(bad));
    await page.locator(`${editor} .squiggly-error`).first().waitFor({ timeout: 15_000 });
    await page.getByTestId("save-rule-set").click();
    await page.getByTestId("problems").waitFor();
    await browser.shot("06-rule-set-error");

    await setMonacoText(editor, JSON.stringify(doc, null, 0));
    // The JSON worker re-validates the fixed text: wait for the squiggles to go, not for a fixed time.
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .squiggly-error`).length === 0, editor);
    await page.getByTestId("save-rule-set").click();
    await page.getByTestId("dirty").waitFor({ state: "detached" });
    // The one-line document comes back pretty-printed from the saved draft.
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .view-line`).length > 10, editor);
    await browser.shot("07-rule-set-fixed");

    await page.getByTestId("tab-tests").click();
    await page.getByTestId("run-tests").click();
    await page.getByTestId("tests-summary").waitFor();
    expect(await page.locator('[data-testid="test-results"] tr[data-passed="false"]').count()).toBe(0);
    await browser.shot("08-rule-set-tests");

    await page.getByTestId("tab-versions").click();
    await page.getByTestId("publish").click();
    await page.fill('input[name="note"]', "e2e publish");
    await page.getByTestId("confirm-publish").click();
    await page.getByTestId("versions").getByText("e2e publish").waitFor();
    await browser.shot("09-rule-set-published");
  });

  it("runs lifecycle actions on an employee and shows the enrolment and the alerts", async () => {
    await page.goto(`${server.url}/employees?filter=${encodeURIComponent(JSON.stringify({ q: "E2E-001" }))}`);
    await page.getByText("E2E-001").first().click();
    await page.waitForURL(/\/show$/);
    await page.getByRole("tab", { name: "Lifecycle actions" }).click();
    await page.getByTestId("lifecycle-hire").click();
    await page.getByTestId("lifecycle-confirm").click();
    await page.locator('[data-testid="lifecycle-result"][data-action="hire"]').waitFor();
    await page.getByTestId("lifecycle-enrollments").locator("tbody tr").first().waitFor();
    await page.getByTestId("lifecycle-alerts").waitFor();
    await page.getByTestId("lifecycle-result").scrollIntoViewIfNeeded();
    await browser.shot("10-lifecycle-hire");

    await page.getByTestId("lifecycle-leave").click();
    await page.getByTestId("lifecycle-confirm").click();
    await page.locator('[data-testid="lifecycle-result"][data-action="leave"]').waitFor();
    // The offboarding pack tells HR ahead of the leave date.
    await page.locator('[data-testid="lifecycle-alerts"] [data-alert-type="leave_upcoming"]').first().waitFor();
    await page.getByTestId("lifecycle-result").scrollIntoViewIfNeeded();
    await browser.shot("11-lifecycle-leave");
  });

  it("runs the monthly run with a progress bar until it is done", async () => {
    // The demo employee's own hire, so the run writes a ledger row they can see afterwards.
    const token = await apiLogin(ADMIN.email, ADMIN.password);
    const me = await api("/me/summary", await apiLogin(EMPLOYEE.email, EMPLOYEE.password));
    expect((await api(`/employees/${me.body.employee.id}/hire`, token, {})).status).toBe(200);

    await page.goto(`${server.url}/monthly-runs`);
    await page.waitForFunction(
      () => !!(document.querySelector('input[name="month"]') as HTMLInputElement | null)?.value,
    );
    await page.getByTestId("start-run").click();
    await page.getByTestId("monthly-run").waitFor();
    await page.locator('[data-testid="monthly-run"][data-status="done"]').waitFor({ timeout: 90_000 });
    await page.getByTestId("monthly-run-result").waitFor();
    await browser.shot("12-monthly-run");
  });

  it("an employee sees only their own records", async () => {
    await page.evaluate(() => sessionStorage.clear()); // the admin keeps its session per tab
    await uiLogin(EMPLOYEE.email, EMPLOYEE.password);
    await page.getByTestId("my-status").waitFor();
    await page.getByTestId("my-contributions").locator("tbody tr").first().waitFor();
    await page.getByTestId("my-pension").waitFor();
    await browser.shot("13-self-service");
    // No HR menus, and the HR API refuses them.
    expect(await page.locator('a[href="/employees"]').count()).toBe(0);
    const token = await apiLogin(EMPLOYEE.email, EMPLOYEE.password);
    const me = await api("/me/summary", token);
    expect(me.status).toBe(200);
    expect(me.body.contributions.length).toBeGreaterThan(0);
    expect(me.body.contributions.every((c: { employeeId: string }) => c.employeeId === me.body.employee.id)).toBe(true);
    const shown = await page.getByTestId("my-contributions").locator("tbody tr").count();
    expect(shown).toBe(me.body.contributions.length);
    for (const resource of ["employees", "contributions"]) {
      const list = await api(`/${resource}`, token);
      if (list.status === 200) {
        const own = (r: { id: string; employeeId?: string }) =>
          (resource === "employees" ? r.id : r.employeeId) === me.body.employee.id;
        expect(list.body.every(own), resource).toBe(true);
      } else {
        expect(list.status, resource).toBe(403);
      }
    }

    // The same page in Chinese.
    await page.evaluate(() => localStorage.setItem("RaStore.locale", JSON.stringify("zh-CN")));
    await page.reload();
    await page.getByText("我的社保").first().waitFor();
    await page.getByTestId("my-contributions").locator("tbody tr").first().waitFor();
    await browser.shot("14-self-service-zh");
  });

  it("loaded nothing from outside the server and threw no page errors", () => {
    expect(browser.problems).toEqual([]);
  });
});

type Cond = Record<string, unknown>;
function findLeaf(node: Cond): Cond {
  for (const k of ["all", "any"]) if (Array.isArray(node[k])) return findLeaf((node[k] as Cond[])[0]);
  if (node.not) return findLeaf(node.not as Cond);
  return node;
}
