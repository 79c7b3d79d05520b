import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react(), bundleBudget({ initialLimitBytes: 1.5 * 1024 * 1024 })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Our own plugin reports gzip sizes per chunk and the initial-load total.
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
  },
  worker: { format: "es" },
  server: {
    proxy: { "/api": "http://localhost:3000" },
  },
});

interface ChunkLike {
  type: "chunk" | "asset";
  fileName: string;
  isEntry?: boolean;
  imports?: string[];
  code?: string;
  source?: string | Uint8Array;
  viteMetadata?: { importedCss?: Set<string> };
}

const kb = (n: number) => `${(n / 1024).toFixed(1).padStart(9)} kB`;

/**
 * Prints the gzipped size of every emitted file and fails the build when the initial load
 * (entry chunks, everything they import statically, and their CSS) exceeds the budget.
 */
export function bundleBudget({ initialLimitBytes }: { initialLimitBytes: number }): Plugin {
  return {
    name: "ordo-bundle-budget",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = bundle as unknown as Record<string, ChunkLike>;
      const gz = new Map<string, number>();
      for (const [name, f] of Object.entries(files)) {
        const body = f.type === "chunk" ? (f.code ?? "") : (f.source ?? "");
        gz.set(name, gzipSync(typeof body === "string" ? Buffer.from(body) : body).length);
      }
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name) || !files[name]) return;
        initial.add(name);
        const f = files[name];
        for (const css of f.viteMetadata?.importedCss ?? []) initial.add(css);
        for (const dep of f.imports ?? []) visit(dep);
      };
      for (const [name, f] of Object.entries(files)) if (f.type === "chunk" && f.isEntry) visit(name);

      const rows = [...gz.entries()].sort((a, b) => b[1] - a[1]);
      const lines = rows.map(([name, size]) => `  ${initial.has(name) ? "*" : " "} ${kb(size)}  ${name}`);
      const initialTotal = [...initial].reduce((sum, n) => sum + (gz.get(n) ?? 0), 0);
      const largestLazy = rows.filter(([n]) => !initial.has(n) && n.endsWith(".js"))[0];
      console.log(`\nGzipped bundle sizes (* = initial load):\n${lines.join("\n")}`);
      console.log(`Initial load (gzipped): ${kb(initialTotal).trim()} / budget ${kb(initialLimitBytes).trim()}`);
      if (largestLazy) console.log(`Largest lazy chunk (gzipped): ${kb(largestLazy[1]).trim()}  ${largestLazy[0]}`);
      if (initialTotal > initialLimitBytes) {
        this.error(
          `initial load is ${kb(initialTotal).trim()} gzipped, over the ${kb(initialLimitBytes).trim()} budget`,
        );
      }
    },
  };
}
