/**
 * PGlite in a worker thread. PGlite is Postgres compiled to WASM: every statement runs in the thread that
 * owns it, so on the main thread a 10 MB jsonb write held every other request for about a second. Here the
 * main thread only posts SQL and receives rows (see pglite-thread.ts); it keeps answering meanwhile.
 * Plain JavaScript so that it starts without a TypeScript loader (under tsx, vitest or plain node).
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { parsers } from "./type-parsers.mjs";

/** A database error as plain data: message, name and its fields (code, detail, constraint, …). */
function plainError(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const out = { message: e.message, name: e.name, stack: e.stack };
  for (const [k, v] of Object.entries(e)) if (v === null || typeof v !== "object") out[k] = v;
  return out;
}

const { dataDir, loadDataDir } = workerData ?? {};
let db;
try {
  db = await PGlite.create(dataDir, {
    extensions: { pg_trgm, btree_gin },
    parsers,
    loadDataDir: loadDataDir ? new Blob([loadDataDir]) : undefined,
  });
  await db.exec("SET TIME ZONE 'UTC'");
  parentPort.postMessage({ ready: true });
} catch (err) {
  parentPort.postMessage({ ready: false, error: plainError(err) });
}

const ops = {
  query: (m) => db.query(m.sql, m.params, m.options),
  exec: (m) => db.exec(m.sql, m.options),
  dump: async () => {
    const buf = await (await db.dumpDataDir("none")).arrayBuffer();
    return { value: buf, transfer: [buf] };
  },
  close: () => db.close(),
};

parentPort.on("message", async (m) => {
  try {
    const out = await ops[m.op](m);
    if (out?.transfer) parentPort.postMessage({ id: m.id, ok: true, result: out.value }, out.transfer);
    else parentPort.postMessage({ id: m.id, ok: true, result: out });
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, error: plainError(err) });
  }
});
