// 行业包 page: a tenant that changed a pack rule set sees the drift badge and the rule-by-rule diff against
// the pack's latest version; taking the pack's copy back shows the upgrade preview with its test cases first.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

const ADMIN = { email: "admin@ordo.local", password: process.env.ORDO_ADMIN_PASSWORD ?? "ordo-admin" };
const SEASONAL = "manufacturing-seasonal";

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
  browser = await launch("zh-CN");
  page = browser.page;
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', ADMIN.email);
  await page.fill('input[name="password"]', ADMIN.password);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail")
    await browser.shot(`packs-fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("packs page", () => {
  it("shows a local change as drift with its diff, previews the upgrade with test cases, applies it", async () => {
    const rec = (await api(`/rule-sets/${SEASONAL}`)).body;
    const rules = JSON.parse(JSON.stringify(rec.rules));
    const rule = rules.find((r: { name: string }) => r.name === "batch-deenroll-contract-end");
    rule.conditions.all.find((c: { operator: string }) => c.operator === "lessThanInclusive").value = 45;
    expect((await api(`/rule-sets/${SEASONAL}`, { revision: rec.revision, rules }, "PUT")).status).toBe(200);
    expect((await api(`/rule-sets/${SEASONAL}/publish`, {})).status).toBe(201);

    await page.goto(`${server.url}/packs`);
    const row = page.locator('[data-pack="manufacturing"]');
    await expect.poll(() => row.getByTestId("drift-badge").textContent()).toBe("有差异");
    await row.getByRole("button", { name: "差异与升级" }).click();
    const asset = page.locator(`[data-asset="rule-set/${SEASONAL}"]`);
    await expect.poll(() => asset.textContent()).toContain("本地已修改");
    // Each asset is labelled with its kind; the pack's policy table and custom field are listed too.
    expect(await asset.textContent()).toContain("规则集");
    const table = page.locator('[data-asset="policy-table/manufacturing-temporary-coverage"]');
    expect(await table.textContent()).toContain("政策表");
    const field = page.locator('[data-asset="custom-field/employees.contractEndDate"]');
    expect(await field.textContent()).toContain("自定义字段");
    expect(await asset.getByTestId("diff-modified").textContent()).toContain("batch-deenroll-contract-end");

    await asset.locator('input[type="checkbox"]').check();
    await page.getByRole("button", { name: "预览升级" }).click();
    const preview = page.getByTestId("upgrade-preview");
    await preview.waitFor();
    const results = preview.getByTestId("test-results").locator("tbody tr");
    expect(await results.count()).toBeGreaterThan(0);
    expect(await preview.locator('tr[data-passed="false"]').count()).toBe(0);
    const before = (await api(`/rule-sets/${SEASONAL}`)).body.latestVersion;
    expect(before).toBe(2);

    await preview.getByRole("button", { name: "确认升级" }).click();
    await expect.poll(() => row.getByTestId("drift-badge").textContent()).toBe("一致");
    expect((await api(`/rule-sets/${SEASONAL}`)).body.latestVersion).toBe(3);
  });
});
