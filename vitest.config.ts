import { defineConfig } from "vitest/config";

// Two projects: `unit` needs no database (no template build, worker threads), `int` starts the app
// on a copy of a migrated, seeded template database. `npm test` runs both; `npm run test:unit` the first.
const UNIT = [
  "test/admin/**/*.test.ts",
  "test/domain/**/*.test.ts",
  "test/rules/**/*.test.ts",
  "test/policies/**/*.test.ts",
  "test/plugins/social-insurance-params.test.ts",
  "test/admin/**/*.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: UNIT, pool: "threads" },
      },
      {
        extends: true,
        test: {
          name: "int",
          include: ["test/**/*.test.ts"],
          exclude: [...UNIT, "test/e2e/**", "node_modules/**"],
          globalSetup: ["test/support/global-setup.ts"],
          pool: "forks",
        },
      },
    ],
  },
});
