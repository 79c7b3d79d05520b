import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const ARTIFACTS = join(import.meta.dirname, "..", "..", "..", "test-artifacts", "e2e");

export interface Browser {
  context: BrowserContext;
  page: Page;
  shot: (name: string) => Promise<void>;
  close: () => Promise<void>;
  problems: string[];
}

export async function launch(locale = "en-US"): Promise<Browser> {
  // The folder is emptied once per run (global-setup.ts), so every e2e file's screenshots stay.
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "ordo-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    acceptDownloads: true,
    locale,
    viewport: { width: 1400, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Generous: a loaded 2-core machine may take a while to parse Monaco or start a run.
  page.setDefaultTimeout(60_000);
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  // The server's Content-Security-Policy must let the whole app run: Chromium reports what it blocks.
  page.on("console", (m) => {
    if (
      m.type() === "error" &&
      /Content Security Policy|Refused to (load|execute|apply|create|connect|frame)/i.test(m.text())
    )
      problems.push(`csp: ${m.text()}`);
  });
  // Nothing may come from outside the Ordo server (no CDN for Monaco, no telemetry).
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (
      !["127.0.0.1", "localhost"].includes(u.hostname) &&
      !u.protocol.startsWith("blob") &&
      !u.protocol.startsWith("data")
    )
      problems.push(`external request: ${r.url()}`);
  });
  return {
    context,
    page,
    problems,
    shot: async (name) => {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
