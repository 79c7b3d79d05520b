// Diffs show old and new values: a rule set's versions side by side as JSON, a policy table's changed row
// cell by cell (the column, its old value, its new value).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

const ADMIN = { email: "admin@ordo.local", password: process.env.ORDO_ADMIN_PASSWORD ?? "ordo-admin" };

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

/** Compares the latest version with the draft in the open Versions tab. */
async function compareLatestWithDraft() {
  await page.getByTestId("versions").waitFor();
  await page.getByTestId("diff-from").locator("xpath=..").locator('[role="combobox"]').click();
  await page.locator('ul[role="listbox"] li').nth(1).click();
  await page.locator('ul[role="listbox"]').waitFor({ state: "detached" });
  await page.getByTestId("diff-compare").click();
}

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
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', ADMIN.email);
  await page.fill('input[name="password"]', ADMIN.password);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail")
    await browser.shot(`versions-diff-fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("diffs with old and new values", () => {
  it("a rule set's version and its draft side by side as JSON", async () => {
    const rule = (threshold: number) => ({
      name: "high-wage",
      conditions: { all: [{ fact: "wage", operator: "greaterThan", value: threshold }] },
      event: { type: "raise-alert", params: { type: "high_wage", message: "high wage" } },
    });
    const created = await api("/rule-sets", {
      key: "e2e-diff",
      name: "Diff",
      facts: { wage: { type: "number" } },
      rules: [rule(30000)],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await api("/rule-sets/e2e-diff/publish", {})).status).toBe(201);
    const saved = await api("/rule-sets/e2e-diff", { revision: created.body.revision, rules: [rule(40000)] }, "PUT");
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    await page.goto(`${server.url}/rule-sets/e2e-diff`);
    await page.getByTestId("tab-versions").click();
    await compareLatestWithDraft();
    const diff = page.getByTestId("json-diff");
    await diff.locator(".monaco-diff-editor").waitFor();
    // Both sides are there, the old threshold on the left and the new one on the right.
    await expect.poll(() => diff.locator(".editor.original .view-lines").textContent()).toContain("30000");
    await expect.poll(() => diff.locator(".editor.modified .view-lines").textContent()).toContain("40000");
    await browser.shot("versions-diff-01-rule-set-json");
  });

  it("a policy table's changed row cell by cell", async () => {
    const table = (await api("/policy-tables/si-city-settings")).body;
    const rows = table.rows as { values: Record<string, unknown> }[];
    const before = String(rows[0]!.values.paymentDeadlineDay);
    const after = before === "20" ? "21" : "20";
    const changed = rows.map((r, i) =>
      i === 0 ? { ...r, values: { ...r.values, paymentDeadlineDay: Number(after) } } : r,
    );
    const put = await api("/policy-tables/si-city-settings", { revision: table.revision, rows: changed }, "PUT");
    expect(put.status, JSON.stringify(put.body).slice(0, 400)).toBe(200);

    await page.goto(`${server.url}/policy-tables/si-city-settings`);
    await page.getByTestId("tab-versions").click();
    await compareLatestWithDraft();
    const cells = page.getByTestId("diff-cells").first();
    await cells.waitFor();
    const text = await cells.textContent();
    expect(text).toContain("paymentDeadlineDay");
    expect(text).toContain(before);
    expect(text).toContain(after);
    await browser.shot("versions-diff-02-policy-cells");
    expect(browser.problems).toEqual([]);
  });
});
