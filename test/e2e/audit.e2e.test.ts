// The audit trail in the admin: an employee's History tab lists its entries with the change before /
// after; an entry written by a lifecycle operation shows the decision behind it.
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
    await browser.shot(`audit-fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("audit trail in the admin", () => {
  it("an employee's History tab shows the wage edit before / after, and the entry its decision", async () => {
    const [employee] = (await api("/employees?range=[0,0]")).body;
    const edited = await api(`/employees/${employee.id}`, { monthlyWage: "24680.00" }, "PUT");
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const changed = await api(`/employees/${employee.id}/wage-change`, {
      wage: "25000",
      effectiveMonth: "2025-04",
      at: "2025-04-02",
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);

    await page.goto(`${server.url}/employees/${employee.id}/show/history`);
    const history = page.getByTestId("record-history");
    await history.waitFor();
    await expect.poll(() => history.locator("tbody tr").filter({ hasText: "update" }).count()).toBeGreaterThan(0);
    const updateRow = history.locator("tbody tr").filter({ hasText: "update" }).first();
    await updateRow.locator("button").click();
    const change = history.getByTestId("audit-change").first();
    await change.waitFor();
    expect(await change.textContent()).toContain("/monthlyWage");
    expect(await change.textContent()).toContain("24680.00");

    const wageRow = history.locator("tbody tr").filter({ hasText: "wage-change" }).first();
    await wageRow.getByRole("link", { name: "Why" }).click();
    const decision = page.getByTestId("audit-decision");
    await decision.waitFor();
    expect(await decision.textContent()).toContain("wage-change");
    expect(await decision.textContent()).toContain("25000.00");
  });

  it("the audit log lists entries newest first", async () => {
    await page.goto(`${server.url}/audit`);
    await page.locator("table tbody tr").first().waitFor();
    // The server's first-start demo activity may still be writing: the wage edit is listed, and the rows
    // run from newest to oldest.
    await page.locator("table tbody tr").filter({ hasText: "wage-change" }).first().waitFor();
    const seqs = (await page.locator("table tbody tr td:first-child").allTextContents()).map(Number);
    expect(seqs.length).toBeGreaterThan(1);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });
});
