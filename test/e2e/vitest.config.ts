import { defineConfig } from "vitest/config";

// End-to-end: a real Ordo server (spawned) and headless Chromium driven by playwright-core.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
