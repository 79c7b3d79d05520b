// A consultant opens the shipped gap notice, previews it in both languages against the demo employee
// who leaves, sees a Liquid error from the server on save, and the young-staff template's segment in the
// rule builder's condition editor.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launch, type Browser } from "./support/browser";
import { startOrdo, type RunningServer } from "./support/server";

const ADMIN = { email: "admin@ordo.local", password: process.env.ORDO_ADMIN_PASSWORD ?? "ordo-admin" };

let server: RunningServer;
let browser: Browser;
let page: Page;
let token: string;

const api = async (path: string) => {
  const res = await fetch(`${server.url}/api${path}`, {
    headers: { Authorization: `Bearer ${token}`, "X-Tenant": "demo" },
  });
  return res.json();
};
const shot = (name: string) => browser.shot(`reminder-templates-${name}`);

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

describe("reminder templates in the admin", () => {
  it("previews the gap notice in both languages, refuses an unknown placeholder, shows the segment", async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="email"]', ADMIN.email);
    await page.fill('input[name="password"]', ADMIN.password);
    await page.click('button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });

    await page.goto(`${server.url}/reminder-templates`);
    await page.getByText("si-gap-options").waitFor();
    await shot("01-list");

    await page.goto(`${server.url}/reminder-templates/si-gap-options`);
    await page.getByTestId("liquid-reminder-templates/si-gap-options/body/zh-CN.liquid").waitFor();
    await page.locator(".monaco-editor").first().waitFor();
    await shot("02-texts");

    // The demo employee who leaves (demo activity on first start): wait until it has run.
    let leaving: { id: string; employeeNo: string; name: string } | undefined;
    await expect
      .poll(
        async () => {
          const list = await api(
            `/employees?filter=${encodeURIComponent(JSON.stringify({ status: "active" }))}&range=[0,99]`,
          );
          leaving = (list as { id: string; employeeNo: string; name: string; leaveDate: string | null }[]).find(
            (e) => e.leaveDate,
          );
          return !!leaving;
        },
        { timeout: 120_000 },
      )
      .toBe(true);
    await page.getByTestId("tab-preview").click();
    const picker = page.getByTestId("preview-employee").locator("input");
    await picker.fill(leaving!.employeeNo);
    await page.getByRole("option", { name: new RegExp(leaving!.employeeNo) }).click();
    const zh = page.getByTestId("preview-zh-CN");
    await expect
      .poll(() => zh.getByTestId("preview-body").textContent(), { timeout: 30_000 })
      .toContain("您的社保将于");
    const en = page.getByTestId("preview-en");
    await expect.poll(() => en.getByTestId("preview-body").textContent()).toContain("Your social insurance");
    expect(await zh.getByTestId("preview-body").textContent()).toContain("补缴");
    await shot("03-preview");

    // An unknown placeholder typed into the Chinese subject: the server's 400 is shown at that text.
    await page.getByTestId("tab-texts").click();
    const subject = page.getByTestId("liquid-reminder-templates/si-gap-options/subject/zh-CN.liquid");
    await subject.locator(".view-lines").click();
    await page.keyboard.press("End");
    await page.keyboard.insertText(" {{ salary }}");
    await page.getByTestId("save-template").click();
    await expect.poll(() => page.getByTestId("error-subject-zh-CN").textContent()).toContain("salary");
    await shot("04-unknown-placeholder");

    // Completion from the fact catalogue: the members of backPayment after a dot.
    const enSubject = page.getByTestId("liquid-reminder-templates/si-gap-options/subject/en.liquid");
    await enSubject.locator(".view-lines").click();
    await page.keyboard.press("End");
    await page.keyboard.insertText(" {{ backPayment.");
    const suggest = enSubject.locator(".suggest-widget");
    await expect.poll(() => suggest.textContent(), { timeout: 30_000 }).toContain("payBy");
    await shot("05-completion");
    await page.keyboard.press("Escape");

    // HR's payment-deadline notice as a daily digest: one message a day however many cities are due.
    await page.goto(`${server.url}/reminder-templates/hr-payment-deadline`);
    await page.getByTestId("template-digest").locator("input").check();
    await page.getByTestId("save-template").click();
    await expect.poll(async () => (await api("/reminder-templates/hr-payment-deadline")).digest).toBe(true);

    await page.goto(`${server.url}/reminder-templates/si-gap-young-housing`);
    await page.getByTestId("tab-segment").click();
    await page.getByTestId("conditions-builder").waitFor();
    expect(await page.getByTestId("condition").count()).toBe(1);
    await shot("06-segment");
    expect(browser.problems).toEqual([]);
  });
});
