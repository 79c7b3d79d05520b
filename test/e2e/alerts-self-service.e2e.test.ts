import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

// HR works the alerts inbox (bulk resolve with a note, snooze from the show page, the history), and the
// employee reads their status card and contributions chart on a 375 px wide phone.
const ADMIN = { email: "admin@ordo.local", password: "ordo-admin" };
const EMPLOYEE = { email: "employee@demo.local", password: "ordo-employee" };

let server: RunningServer;
let browser: Browser;
let page: Page;
type Row = Record<string, any>;

async function apiLogin(email: string, password: string) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  return (await res.json()).token as string;
}
async function api(path: string, token: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, "X-Tenant": "demo", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}
async function uiLogin(email: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
}

beforeAll(async () => {
  server = await startOrdo();
  browser = await launch("en-US");
  page = browser.page;
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail")
    await browser.shot(`fail-alerts-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("alerts inbox", () => {
  it("resolves two alerts in bulk with a note", async () => {
    const token = await apiLogin(ADMIN.email, ADMIN.password);
    // The demo's history comes from queued monthly runs: wait until it has raised a few alerts.
    const openCount = async () =>
      (await api(`/alerts?filter=${encodeURIComponent(JSON.stringify({ view: "open" }))}&range=[0,9]`, token)).body
        ?.length ?? 0;
    await expect.poll(openCount, { timeout: 90_000, interval: 1000 }).toBeGreaterThanOrEqual(2);
    // ...and until it has stopped raising them, so the rows ticked in the page are the API's first two.
    let last = -1;
    let steady = 0;
    await expect
      .poll(
        async () => {
          const n = (await api(`/alerts?filter=${encodeURIComponent(JSON.stringify({ view: "open" }))}`, token)).body
            ?.length;
          steady = n === last ? steady + 1 : 0;
          last = n;
          return steady;
        },
        { timeout: 120_000, interval: 1500 },
      )
      .toBeGreaterThanOrEqual(3);
    await uiLogin(ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/alerts`);
    const rows = page.locator("tbody tr");
    await rows.first().waitFor();
    await browser.shot("alerts-01-inbox");
    const ids: string[] = [];
    for (const i of [0, 1]) {
      await rows.nth(i).locator('input[type="checkbox"]').check();
    }
    const open = await api(`/alerts?filter=${encodeURIComponent(JSON.stringify({ view: "open" }))}&range=[0,1]`, token);
    ids.push(...open.body.map((a: Row) => a.id));
    await page.getByTestId("alert-bulk-resolve").click();
    await page.getByTestId("alert-note").fill("filed with the bureau");
    await browser.shot("alerts-02-bulk-dialog");
    await page.getByTestId("alert-confirm").click();
    await page.getByTestId("alert-dialog-resolve").waitFor({ state: "detached" });
    for (const id of ids) {
      const one = await api(`/alerts/${id}`, token);
      expect(one.body.resolved, id).toBe(true);
      const history = await api(`/alerts/${id}/events`, token);
      expect(history.body[0]).toMatchObject({ action: "resolved", note: "filed with the bureau" });
    }
  });

  it("snoozes one alert from its page and shows the history", async () => {
    const token = await apiLogin(ADMIN.email, ADMIN.password);
    const open = await api(`/alerts?filter=${encodeURIComponent(JSON.stringify({ view: "open" }))}&range=[0,0]`, token);
    const id = open.body[0].id as string;
    await page.goto(`${server.url}/alerts/${id}/show`);
    await page.getByTestId("alert-action-snooze").click();
    await page.getByTestId("alert-until").fill("2099-01-01");
    await page.getByTestId("alert-note").fill("after the audit");
    await page.getByTestId("alert-confirm").click();
    await page.getByTestId("alert-history").getByText("after the audit").waitFor();
    await browser.shot("alerts-03-history");
    expect((await api(`/alerts/${id}`, token)).body).toMatchObject({ state: "snoozed", snoozedUntil: "2099-01-01" });
  });
});

describe("self-service on a phone", () => {
  it("shows the status card and the contributions chart within 375 px", async () => {
    const admin = await apiLogin(ADMIN.email, ADMIN.password);
    const employee = await apiLogin(EMPLOYEE.email, EMPLOYEE.password);
    const me = await api("/me/summary", employee);
    expect((await api(`/employees/${me.body.employee.id}/hire`, admin, {})).status).toBe(200);
    const month = new Date().toISOString().slice(0, 7);
    expect((await api("/monthly-runs?wait=true", admin, { month })).status).toBe(200);

    await page.evaluate(() => sessionStorage.clear());
    await page.setViewportSize({ width: 375, height: 812 });
    await uiLogin(EMPLOYEE.email, EMPLOYEE.password);
    await page.getByTestId("my-status-card").waitFor();
    expect(await page.locator('[data-testid^="my-action-"]').count()).toBeGreaterThan(0);
    await page.getByTestId("my-contributions-chart").locator("svg").first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await browser.shot("self-01-phone");
    await page.evaluate(() => localStorage.setItem("RaStore.locale", JSON.stringify("zh-CN")));
    await page.reload();
    await page.getByText("当前要点").first().waitFor();
    await browser.shot("self-02-phone-zh");
  });

  it("loaded nothing from outside the server and threw no page errors", () => {
    expect(browser.problems).toEqual([]);
  });
});
