/** Migrations as a static, ordered list: the same on PGlite and PostgreSQL. */
import type { Knex } from "knex";
import * as m001 from "./001-foundation";
import * as m002 from "./002-versioned-documents";
import * as m003 from "./003-list-indexes";
import * as m004 from "./004-lifecycle";
import * as m005 from "./005-job-queue";
import * as m006 from "./006-sessions";
import * as m007 from "./007-tenant-references";
import * as m008 from "./008-provisional-adjustments";
import * as m009 from "./009-base-declarations";
import * as m010 from "./010-payments";
import * as m011 from "./011-alert-lifecycle";
import * as m012 from "./012-queue-schedules";
import * as m014 from "./014-notifications";
import * as m015 from "./015-draft-chunks";
import * as m016 from "./016-report-indexes";
import * as m017 from "./017-batches";
import * as m018 from "./018-bureau-exports-remote";
import * as m019 from "./019-regions";
import * as m020 from "./020-pack-adoptions";
import * as m022 from "./022-audit-log";

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
  ["008-provisional-adjustments", m008],
  ["009-base-declarations", m009],
  ["010-payments", m010],
  ["011-alert-lifecycle", m011],
  ["012-queue-schedules", m012],
  ["014-notifications", m014],
  ["015-draft-chunks", m015],
  ["016-report-indexes", m016],
  ["017-batches", m017],
  ["018-bureau-exports-remote", m018],
  ["019-regions", m019],
  ["020-pack-adoptions", m020],
  ["022-audit-log", m022],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
