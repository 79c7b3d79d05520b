/**
 * The job queue is polled across tenants by every server, so its pending-jobs index cannot lead with
 * tenant_id; it is partial and stays tiny (only queued and running jobs). Under Citus the jobs table
 * would be a local or reference table.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX jobs_pending_idx ON jobs (status, created_at) WHERE status IN ('queued', 'running')");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX IF EXISTS jobs_pending_idx");
}
