/** Builds one migrated, seeded template database per run; each server test file starts from a copy. */
import type { TestProject } from "vitest/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTemplate, type TemplateRef } from "../../server/db/testing";
import { seedDemo } from "../../server/seed";
import { createLogger } from "../../server/logger";
import { installQueue } from "../../server/jobs/queue";
import { TEST_ADMIN } from "./constants";

declare module "vitest" {
  export interface ProvidedContext {
    dbTemplate: TemplateRef;
  }
}

export async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "ordo-test-"));
  const url = process.env.DATABASE_URL;
  const postgresUrl = url?.startsWith("postgres") ? url : undefined;
  const logger = createLogger("silent");
  const { ref, drop } = await buildTemplate({ postgresUrl, dumpFile: join(dir, "template.tar") }, async (db) => {
    await seedDemo(db.knex, logger, {
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
      employees: 30,
    });
    await installQueue(db.knex, logger, ["monthly-run"]); // pg-boss's schema, in the template
  });
  project.provide("dbTemplate", ref);
  return async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  };
}
