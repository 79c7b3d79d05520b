import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

const repo = join(import.meta.dirname, "..", "..", "..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
  log: () => string;
}

/** Builds admin/dist if needed, then starts `tsx server/main.ts` on a free port with an in-memory db. */
export async function startOrdo(): Promise<RunningServer> {
  const build = spawnSync(process.execPath, ["scripts/build-admin-if-needed.mjs"], { cwd: repo, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`admin build failed:\n${build.stdout}\n${build.stderr}`);
  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repo, "node_modules", "tsx", "dist", "cli.mjs"), "server/main.ts"],
    {
      cwd: repo,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: "memory", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/api/auth/me`);
      if (res.status < 500) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
