// One HR user's session for a browser test: a fresh Ordo, an API token for setting up and checking data, and
// a browser that signs in through the login page in the user's language.
import type { Page } from "playwright-core";
import { launch, type Browser } from "./browser";
import { startOrdo, type RunningServer } from "./server";

export const DEMO_HR = { email: "hr@demo.local", password: "ordo-hr-2024" };

export interface Session {
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** The API as the user, in the demo tenant; throws with the answer on a status of 300 or more. */
  api: <T = any>(method: string, path: string, body?: unknown) => Promise<T>;
  /** Signs in through the login page with the admin set to the session's language. */
  signIn: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startSession(user = DEMO_HR, locale: "zh-CN" | "en" = "zh-CN"): Promise<Session> {
  const server = await startOrdo();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(user),
  });
  const { token } = await login.json();
  const browser = await launch(locale === "zh-CN" ? "zh-CN" : "en-US");
  const page = browser.page;
  return {
    server,
    browser,
    page,
    async api(method, path, body) {
      const res = await fetch(`${server.url}/api${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, "X-Tenant": "demo", "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    async signIn() {
      await page.goto(`${server.url}/login`);
      await page.evaluate((l) => localStorage.setItem("RaStore.locale", JSON.stringify(l)), locale);
      await page.reload();
      await page.fill('input[name="email"]', user.email);
      await page.fill('input[name="password"]', user.password);
      await page.click('button[type="submit"]');
      await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
    },
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}
