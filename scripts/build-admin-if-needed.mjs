#!/usr/bin/env node
// Builds the admin SPA when admin/dist is missing or older than any source file under admin/,
// so `npm install && npm start` is enough. The vite config prints gzipped sizes per chunk and
// fails the build when the initial load goes over budget.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const admin = join(repo, "admin");
const stamp = join(admin, "dist", "index.html");
const skip = new Set(["dist", "node_modules", ".vite"]);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

if (!existsSync(join(admin, "vite.config.ts"))) {
  console.log("[admin] no admin/vite.config.ts: nothing to build");
  process.exit(0);
}
const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const sourcesAt = newestMtime(admin);
if (builtAt && builtAt >= sourcesAt && !process.argv.includes("--force")) {
  console.log("[admin] admin/dist is up to date");
  process.exit(0);
}
console.log(builtAt ? "[admin] sources changed: rebuilding admin/dist" : "[admin] admin/dist missing: building");
const vite = join(repo, "node_modules", "vite", "bin", "vite.js");
// Always a production build: under a test runner NODE_ENV is "test", which gives React's development build.
const result = spawnSync(process.execPath, [vite, "build", "--config", "admin/vite.config.ts"], {
  cwd: repo,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
process.exit(result.status ?? 1);
