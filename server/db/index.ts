/**
 * The database layer: the only code that imports knex, pg or PGlite.
 * PGlite (embedded Postgres, run in a worker thread: see pglite-worker.mjs) by default; PostgreSQL
 * through pg when DATABASE_URL says so.
 * One SQL dialect, the same migrations.
 */
import knex from "knex";
import type { Knex } from "knex";
import pg from "pg";
import { mkdirSync } from "node:fs";
import ClientPgLite from "knex-pglite";
import { PGliteThread } from "./pglite-thread";
import { parsers } from "./type-parsers.mjs";
import { migrationSource } from "./migrations/index";
import type { DatabaseKind } from "../config";

export type { Knex };

export interface Database {
  readonly knex: Knex;
  readonly kind: DatabaseKind;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: a tarball of the data directory (used to clone a migrated template in tests). */
  dump?(): Promise<Blob | File>;
  /** Raw SQL with $1… parameters over the same pool (the queue, pg-boss, runs on it). */
  readonly sql: SqlExecutor;
}

/** pg-boss's `db` contract: one call may hold several statements (its migrations) when no values are given. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

let pgParsersSet = false;
function setPgParsers() {
  if (pgParsersSet) return;
  for (const [oid, parse] of Object.entries(parsers))
    pg.types.setTypeParser(Number(oid), parse as (v: string) => unknown);
  pgParsersSet = true;
}

export interface OpenOptions {
  kind: DatabaseKind;
  url?: string;
  /** PGlite: a directory, or undefined for memory. */
  dataDir?: string;
  /** PGlite: start from a dumped data directory (tests). */
  loadDataDir?: Blob | File;
  poolMax?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.kind === "postgres") {
    setPgParsers();
    const db = knex({
      client: "pg",
      connection: opts.url,
      pool: {
        min: 0,
        max: opts.poolMax ?? 10,
        afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
          conn.query("SET TIME ZONE 'UTC'", (err) => done(err ?? null, conn));
        },
      },
    });
    return wrap(db, "postgres");
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pglite = new PGliteThread({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir ? await opts.loadDataDir.arrayBuffer() : undefined,
  });
  await pglite.waitReady;
  const db = knex({
    client: ClientPgLite as unknown as typeof knex.Client,
    dialect: "postgres",
    connection: () => ({ pglite }),
  } as Knex.Config);
  const database = wrap(db, "pglite");
  return {
    ...database,
    dump: () => pglite.dumpDataDir(),
    async close() {
      await database.close();
      await pglite.close();
    },
  };
}

/**
 * Raw SQL for pg-boss over knex's pool, one borrowed connection a call. On PGlite the pool is its one
 * connection, so the calls are serialised with knex's own queries and never land inside another's
 * transaction; given a knex transaction, the calls run inside it (a job queued with the row it runs).
 */
export function sqlOf(db: Knex): SqlExecutor {
  const client = db.client as { acquireConnection(): Promise<any>; releaseConnection(c: unknown): Promise<void> };
  return {
    async executeSql(text, values) {
      const conn = await client.acquireConnection();
      try {
        if (!(conn instanceof PGliteThread)) {
          const res = await (conn as pg.Client).query(text, values as unknown[] | undefined);
          return Array.isArray(res) ? (res[res.length - 1] ?? { rows: [] }) : res;
        }
        // PGlite's extended protocol takes one statement; a text without values may hold several.
        if (values?.length) return await conn.query(text, values);
        const results = await conn.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      } finally {
        await client.releaseConnection(conn);
      }
    },
  };
}

function wrap(db: Knex, kind: DatabaseKind): Database {
  return {
    knex: db,
    kind,
    sql: sqlOf(db),
    async migrate() {
      await db.migrate.latest({ migrationSource });
    },
    async close() {
      await db.destroy();
    },
  };
}

/** PostgreSQL (a pool: a write beside an open transaction commits at once); PGlite has one connection. */
export const hasConnectionPool = (db: Knex): boolean =>
  (db.client as { config?: { client?: unknown } }).config?.client === "pg";
