/** The ordo CLI against a real listening server: export, diff, dry-run and apply a bundle into another tenant. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { TEST_ADMIN } from "../support/constants";

const run = promisify(execFile);
let t: TestApp;
let url: string;
let dir: string;

beforeAll(async () => {
  t = await startTestApp();
  url = await t.listen();
  dir = await mkdtemp(join(tmpdir(), "ordo-cli-"));
  const [tenant] = await t.db("tenants").insert({ slug: "ci-target", name: "CI target" }).returning("id");
  const admin = await t.db("users").whereRaw("lower(email) = ?", [TEST_ADMIN.email.toLowerCase()]).first("id");
  await t.db("user_tenants").insert({ user_id: admin.id, tenant_id: tenant.id });
}, 60_000);
afterAll(() => t.close());

/** Runs scripts/ordo.mjs with the admin's credentials in the environment; answers exit code and output. */
async function ordo(...args: string[]) {
  const env = { ...process.env, ORDO_EMAIL: TEST_ADMIN.email, ORDO_PASSWORD: TEST_ADMIN.password };
  try {
    const { stdout, stderr } = await run(process.execPath, ["scripts/ordo.mjs", ...args, "--url", url], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

it("exports, diffs, dry-runs and applies a bundle through the API", { timeout: 120_000 }, async () => {
  const file = join(dir, "demo.json");
  const exported = await ordo("bundle", "export", "--tenant", "demo", "--file", file);
  expect(exported.code, exported.stderr).toBe(0);
  const bundle = JSON.parse(await readFile(file, "utf8"));
  expect(bundle.hash).toMatch(/^[0-9a-f]{64}$/);

  const before = await ordo("bundle", "diff", "--tenant", "ci-target", "--file", file, "--exit-code");
  expect(before.code, before.stderr).toBe(3);
  expect(JSON.parse(before.stdout).counts.added).toBeGreaterThan(0);

  const dry = await ordo("bundle", "import", "--tenant", "ci-target", "--file", file, "--mode", "dry-run");
  expect(dry.code, dry.stderr).toBe(0);
  expect(JSON.parse(dry.stdout).applied).toBe(false);
  expect(
    Number(
      (
        await t
          .db("documents")
          .whereIn("tenant_id", t.db("tenants").where({ slug: "ci-target" }).select("id"))
          .count({ n: "*" })
      )[0]!.n,
    ),
  ).toBe(0);

  const applied = await ordo("bundle", "import", "--tenant", "ci-target", "--file", file, "--mode", "apply");
  expect(applied.code, applied.stderr).toBe(0);
  expect(JSON.parse(applied.stdout).applied).toBe(true);

  const after = await ordo("bundle", "diff", "--tenant", "ci-target", "--file", file, "--exit-code");
  expect(after.code, after.stderr).toBe(0);
  expect(JSON.parse(after.stdout).identical).toBe(true);
});

it("reports the server's refusal and exits 1; wrong usage exits 2", { timeout: 60_000 }, async () => {
  const file = join(dir, "bad.json");
  await writeFile(
    file,
    JSON.stringify({
      assets: { ruleSets: [{ key: "x", name: "X", effectiveFrom: "2020-01-01", content: { rules: "no" } }] },
    }),
  );
  const bad = await ordo("bundle", "import", "--tenant", "demo", "--file", file, "--mode", "apply");
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain("INVALID_BUNDLE_ASSET");
  const wrongPassword = await ordo("bundle", "export", "--tenant", "demo", "--password", "wrong");
  expect(wrongPassword.code).toBe(1);
  const usage = await ordo("bundle", "import", "--tenant", "demo");
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain("--file");
});
