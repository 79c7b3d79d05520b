/** `npm start` on a PGlite directory: migrated and seeded once, data kept across a restart. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { newEmployee } from "../support/factories";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

async function startServer(dataDir: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      ORDO_ADMIN_DIST: join(dataDir, "no-admin"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 100_000; // initdb takes 3–8 s on an idle machine, far more on a loaded one
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok)
        return {
          base,
          health: await r.json(),
          output: () => out,
          stop: () =>
            new Promise((res) => {
              child.once("exit", res);
              child.kill("SIGTERM");
            }),
        };
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill("SIGKILL");
  throw new Error(`server did not start: ${out}`);
}

describe("PGlite directory", () => {
  it("keeps data across a restart and seeds only once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ordo-data-"));
    const creds = { ORDO_ADMIN_EMAIL: "boss@example.com", ORDO_ADMIN_PASSWORD: "correct-horse-battery" };
    try {
      const first = await startServer(dir, creds);
      expect(first.health).toEqual({ status: "ok", db: "pglite" });
      expect(first.output()).toContain("boss@example.com");
      const login = await fetch(`${first.base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "boss@example.com", password: "correct-horse-battery" }),
      });
      expect(login.status).toBe(200);
      const { token } = await login.json();
      const h = { authorization: `Bearer ${token}`, "x-tenant": "demo", "content-type": "application/json" };
      const created = await fetch(`${first.base}/api/employees`, {
        method: "POST",
        headers: h,
        body: JSON.stringify(newEmployee("P001", { name: "持久", insuredCity: "440300", employmentType: "seasonal" })),
      });
      expect(created.status).toBe(201);
      const { id } = await created.json();
      const count1 = (await fetch(`${first.base}/api/employees`, { headers: h })).headers.get("content-range");
      await first.stop();

      const second = await startServer(dir, creds);
      const again = await fetch(`${second.base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "boss@example.com", password: "correct-horse-battery" }),
      });
      const h2 = { ...h, authorization: `Bearer ${(await again.json()).token}` };
      const got = await fetch(`${second.base}/api/employees/${id}`, { headers: h2 });
      expect(got.status).toBe(200);
      expect((await got.json()).name).toBe("持久");
      expect((await fetch(`${second.base}/api/employees`, { headers: h2 })).headers.get("content-range")).toBe(count1);
      expect(second.output()).not.toContain("seeded demo data");
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
