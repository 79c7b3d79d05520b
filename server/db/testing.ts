/**
 * Test databases: one migrated (and seeded) template per test run, and a fresh copy of it per test file.
 * PGlite: dumpDataDir / loadDataDir. PostgreSQL: CREATE DATABASE … TEMPLATE.
 */
import knex from "knex";
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { openDatabase, type Database } from "./index";

export type TemplateRef = { kind: "pglite"; file: string } | { kind: "postgres"; url: string; template: string };

const dbUrl = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export async function buildTemplate(
  opts: { postgresUrl?: string; dumpFile: string },
  prepare: (db: Database) => Promise<void>,
): Promise<{ ref: TemplateRef; drop(): Promise<void> }> {
  if (!opts.postgresUrl) {
    const db = await openDatabase({ kind: "pglite" });
    await db.migrate();
    await prepare(db);
    const dump = await db.dump!();
    await writeFile(opts.dumpFile, Buffer.from(await dump.arrayBuffer()));
    await db.close();
    return { ref: { kind: "pglite", file: opts.dumpFile }, drop: async () => {} };
  }
  const template = `ordo_tpl_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = knex({ client: "pg", connection: opts.postgresUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${template}`);
  const db = await openDatabase({ kind: "postgres", url: dbUrl(opts.postgresUrl, template), poolMax: 2 });
  await db.migrate();
  await prepare(db);
  await db.close();
  await admin.destroy();
  return {
    ref: { kind: "postgres", url: opts.postgresUrl, template },
    drop: async () => {
      const a = knex({ client: "pg", connection: opts.postgresUrl, pool: { min: 0, max: 1 } });
      const { rows } = await a.raw("SELECT datname FROM pg_database WHERE datname LIKE ?", [
        `ordo_%${template.slice(9)}%`,
      ]);
      for (const r of rows) await a.raw(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await a.raw(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await a.destroy();
    },
  };
}

/** A fresh database copied from the template; closing it also drops it (PostgreSQL). */
export async function openFromTemplate(ref: TemplateRef): Promise<Database> {
  if (ref.kind === "pglite") {
    const data = await readFile(ref.file);
    return openDatabase({ kind: "pglite", loadDataDir: new Blob([data]) });
  }
  const name = `ordo_t_${ref.template.slice(9)}_${randomBytes(4).toString("hex")}`;
  const admin = knex({ client: "pg", connection: ref.url, pool: { min: 0, max: 1 } });
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${ref.template}`);
      break;
    } catch (e) {
      if (attempt >= 20 || !/being accessed/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.destroy();
  const db = await openDatabase({ kind: "postgres", url: dbUrl(ref.url, name), poolMax: 5 });
  return {
    ...db,
    async close() {
      await db.close();
      const a = knex({ client: "pg", connection: ref.url, pool: { min: 0, max: 1 } });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}

/** A scratch PostgreSQL database of a test's own (created empty, dropped by `drop`), next to `adminUrl`. */
export async function scratchPostgres(
  adminUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = knex({ client: "pg", connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  return {
    url: dbUrl(adminUrl, name),
    drop: async () => {
      const a = knex({ client: "pg", connection: adminUrl, pool: { min: 0, max: 1 } });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}
