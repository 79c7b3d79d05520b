// HR imports the bureau's payment file in the admin: the preview lists each row matched, mismatched or
// unknown; applying pays only the matched rows, and their "not received" alerts resolve.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

const HR = { email: "hr@demo.local", password: "ordo-hr-2024" };

let server: RunningServer;
let browser: Browser;
let page: Page;
let token: string;

async function api(path: string) {
  const res = await fetch(`${server.url}/api${path}`, {
    headers: { Authorization: `Bearer ${token}`, "X-Tenant": "demo" },
  });
  return res.json();
}
const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));

beforeAll(async () => {
  server = await startOrdo();
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(HR),
  });
  token = (await res.json()).token;
  browser = await launch("zh-CN");
  page = browser.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail")
    await browser.shot(`payment-import-fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("payment file import", () => {
  it("previews matched, mismatched and unknown rows and pays only the matched ones", async () => {
    // A month not received (the demo's monthly runs are queue jobs: wait for them) and another ledger row.
    type Row = { id: string; employeeId: string; month: string; employer: string; employee: string; status: string };
    const rows = async (filter: object) =>
      (await api(`/contributions?filter=${enc(filter)}&range=${enc([0, 99])}`)) as Row[];
    await expect
      .poll(async () => (await rows({ status: "not_received" })).length, { timeout: 90_000, interval: 1000 })
      .toBeGreaterThan(0);
    const [a] = await rows({ status: "not_received" });
    const b = (await rows({})).find((r) => r.id !== a!.id && r.employeeId !== a!.employeeId);
    const no = async (employeeId: string) =>
      ((await api(`/employees/${employeeId}`)) as { employeeNo: string }).employeeNo;
    const csv = [
      "员工编号,费款所属期,单位缴纳,个人缴纳",
      `${await no(a!.employeeId)},${a!.month},${a!.employer},${a!.employee}`,
      `${await no(b!.employeeId)},${b!.month},${b!.employer},1.00`,
      `NOBODY,${a!.month},100.00,50.00`,
    ].join("\n");
    const file = join(tmpdir(), `ordo-payments-${Date.now()}.csv`);
    writeFileSync(file, csv);

    await page.goto(`${server.url}/login`);
    await page.evaluate(() => localStorage.setItem("RaStore.locale", JSON.stringify("zh-CN")));
    await page.reload();
    await page.fill('input[name="email"]', HR.email);
    await page.fill('input[name="password"]', HR.password);
    await page.click('button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });

    await page.goto(`${server.url}/payment-imports`);
    await page.getByTestId("payment-file").setInputFiles(file);
    await page.getByTestId("preview-payments").click();
    const preview = page.getByTestId("payment-preview");
    await preview.waitFor();
    expect(await preview.locator('tr[data-status="matched"]').count()).toBe(1);
    expect(await preview.locator('tr[data-status="mismatched"]').count()).toBe(1);
    expect(await preview.locator('tr[data-status="unknown"]').count()).toBe(1);
    // The mismatched row shows both figures: the ledger's and the file's.
    const mismatched = await preview.locator('tr[data-status="mismatched"]').textContent();
    expect(mismatched).toContain("1.00");
    await browser.shot("payment-import-01-preview-zh");

    await page.getByTestId("apply-payments").click();
    await page.getByTestId("payment-result").waitFor();
    await browser.shot("payment-import-02-applied");
    const ledger = (id: string) => api(`/contributions/${id}`) as Promise<{ status: string }>;
    expect((await ledger(a!.id)).status).toBe("paid");
    // The mismatched row is reported, not applied.
    expect((await ledger(b!.id)).status).toBe(b!.status);
    const alerts = (await api(
      `/alerts?filter=${enc({ type: "not_received", employeeId: a!.employeeId })}&range=${enc([0, 99])}`,
    )) as { resolved: boolean; data: { month?: string; previousMonth?: string } }[];
    const forMonth = alerts.filter((x) => (x.data.previousMonth ?? x.data.month) === a!.month);
    expect(forMonth.length).toBeGreaterThan(0);
    expect(forMonth.every((x) => x.resolved)).toBe(true);
    expect(browser.problems).toEqual([]);
  });
});
