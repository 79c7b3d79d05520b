/**
 * The main thread's side of pglite-worker.mjs: the few PGlite methods knex-pglite calls (`waitReady`,
 * `query`, `close`), plus `exec` and `dumpDataDir`, each a message to the worker that owns the database.
 * Statements still run one at a time (PGlite is single-connection), but none of them runs on this thread.
 */
import { Worker } from "node:worker_threads";

type Pending = { resolve: (v: any) => void; reject: (e: Error) => void };
type PlainError = { message: string; name?: string; stack?: string } & Record<string, unknown>;

/** The database error as thrown in the worker: an Error with its fields (code, detail, constraint, …). */
function toError(plain: PlainError): Error {
  const err = new Error(plain.message);
  for (const [k, v] of Object.entries(plain)) if (k !== "message" && k !== "stack") (err as any)[k] = v;
  if (plain.stack) err.stack = plain.stack;
  return err;
}

export class PGliteThread {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(opts: { dataDir?: string; loadDataDir?: ArrayBuffer }) {
    const { loadDataDir } = opts;
    this.worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), {
      workerData: { dataDir: opts.dataDir, loadDataDir },
      transferList: loadDataDir ? [loadDataDir] : [],
    });
    this.waitReady = new Promise((resolve, reject) => {
      const onMessage = (m: { ready?: boolean; error?: PlainError }) => {
        if (m.ready === undefined) return;
        this.worker.off("message", onMessage);
        if (m.ready) resolve();
        else reject(toError(m.error!));
      };
      this.worker.on("message", onMessage);
    });
    this.worker.on("message", (m: { id?: number; ok?: boolean; result?: unknown; error?: PlainError }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(toError(m.error!));
    });
    this.worker.on("error", (err) => this.failAll(err));
    this.worker.on("exit", (code) => this.failAll(new Error(`the PGlite worker stopped (exit code ${code})`)));
    this.waitReady.catch(() => {});
  }

  private failAll(err: Error) {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private call<T>(op: string, payload: Record<string, unknown> = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the database is closed"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...payload });
    });
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: Record<string, unknown>) {
    await this.waitReady;
    return this.call<{ rows: T[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number }>("query", {
      sql,
      params,
      options,
    });
  }

  async exec(sql: string) {
    await this.waitReady;
    return this.call<unknown[]>("exec", { sql });
  }

  /** A tarball of the data directory (tests clone a migrated template with it). */
  async dumpDataDir(): Promise<Blob> {
    await this.waitReady;
    return new Blob([await this.call<ArrayBuffer>("dump")]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.waitReady.catch(() => {});
    if (!this.closed) await this.call("close").catch(() => {});
    this.closed = true;
    await this.worker.terminate();
  }
}
