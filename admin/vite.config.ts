import { fileURLToPath } from "node:url";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react(), bundleBudget({ initialLimitBytes: 500 * 1024 })],
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

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|wasm|ttf)$/;
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
// Compressed in the thread pool, in parallel: quality 11 over ~6 MB takes seconds.
const brotli = (body: Buffer) =>
  brotliAsync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });

/**
 * Writes a brotli and a gzip copy beside every compressible file (the server sends them with
 * Content-Encoding), prints the size a browser transfers for every emitted file, and fails the build
 * when the initial load (entry chunks, their static imports and CSS) transfers more than the budget.
 */
export function bundleBudget({ initialLimitBytes }: { initialLimitBytes: number }): Plugin {
  return {
    name: "ordo-bundle-budget",
    apply: "build",
    // writeBundle sees the final code (Vite rewrites chunks in its own generateBundle, e.g. the preload
    // helper), so the compressed copies match the files they sit beside.
    async writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      const files = bundle as unknown as Record<string, ChunkLike>;
      const gz = new Map<string, number>();
      const br = new Map<string, number>();
      const compress = async ([name, f]: [string, ChunkLike]) => {
        const raw = f.type === "chunk" ? (f.code ?? "") : (f.source ?? "");
        const body = typeof raw === "string" ? Buffer.from(raw) : Buffer.from(raw);
        if (!COMPRESSIBLE.test(name) || body.length < 1024) {
          gz.set(name, body.length);
          br.set(name, body.length);
          return;
        }
        const [gzipped, brotlied] = await Promise.all([gzipAsync(body, { level: 9 }), brotli(body)]);
        gz.set(name, gzipped.length);
        br.set(name, brotlied.length);
        writeFileSync(join(dir, `${name}.gz`), gzipped);
        writeFileSync(join(dir, `${name}.br`), brotlied);
      };
      await Promise.all(Object.entries(files).map(compress));
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
      const lines = rows.map(
        ([name, size]) => `  ${initial.has(name) ? "*" : " "} ${kb(br.get(name) ?? size)} ${kb(size)}  ${name}`,
      );
      const sum = (sizes: Map<string, number>) => [...initial].reduce((n, name) => n + (sizes.get(name) ?? 0), 0);
      const initialTotal = sum(br);
      const largestLazy = rows.filter(([n]) => !initial.has(n) && n.endsWith(".js"))[0];
      console.log(
        `\nTransferred sizes, brotli and gzip (* = initial load):\n         brotli        gzip\n${lines.join("\n")}`,
      );
      const budget = kb(initialLimitBytes).trim();
      console.log(`Initial load: ${kb(initialTotal).trim()} brotli, ${kb(sum(gz)).trim()} gzip / budget ${budget}`);
      if (largestLazy) console.log(`Largest lazy chunk (gzip): ${kb(largestLazy[1]).trim()}  ${largestLazy[0]}`);
      if (initialTotal > initialLimitBytes) {
        this.error(`initial load is ${kb(initialTotal).trim()} as transferred (brotli), over the ${budget} budget`);
      }
    },
  };
}
