/** Migrations as a static, ordered list: the same on PGlite and PostgreSQL. */
import type { Knex } from "knex";
import * as m001 from "./001-foundation";
import * as m002 from "./002-versioned-documents";
import * as m003 from "./003-list-indexes";
import * as m004 from "./004-lifecycle";
import * as m005 from "./005-job-queue";
import * as m006 from "./006-sessions";
import * as m007 from "./007-tenant-references";
import * as m012 from "./012-queue-schedules";

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: [string, Migration][] = [
  ["001-foundation", m001],
  ["002-versioned-documents", m002],
  ["003-list-indexes", m003],
  ["004-lifecycle", m004],
  ["005-job-queue", m005],
  ["006-sessions", m006],
  ["007-tenant-references", m007],
  ["012-queue-schedules", m012],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
