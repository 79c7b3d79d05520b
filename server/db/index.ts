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

function wrap(db: Knex, kind: DatabaseKind): Database {
  return {
    knex: db,
    kind,
    async migrate() {
      await db.migrate.latest({ migrationSource });
    },
    async close() {
      await db.destroy();
    },
  };
}
