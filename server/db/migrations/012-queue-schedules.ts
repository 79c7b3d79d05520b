/**
 * The queue (pg-boss, in its own `pgboss` schema, installed by pg-boss itself at start) and what Ordo
 * keeps beside it: per-tenant cron schedules, and on each user-visible job its attempts, the server that
 * ran it last, a singleton key and a checkpoint (a monthly run resumes after its last committed chunk when retried).
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("schedules", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("job_type").notNullable();
    t.text("cron").notNullable();
    t.text("timezone").notNullable().defaultTo("Asia/Shanghai");
    t.jsonb("params").notNullable().defaultTo("{}");
    t.boolean("enabled").notNullable().defaultTo(true);
    /** The last fire time handed to the queue (the tick's cursor: a fire time is queued once). */
    t.timestamp("last_fired_at", { useTz: true });
    t.jsonb("custom").notNullable().defaultTo("{}");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["tenant_id", "id"]);
    t.unique(["tenant_id", "job_type"], { indexName: "schedules_tenant_job_type_key" });
  });
  await knex.schema.alterTable("jobs", (t) => {
    t.integer("attempts").notNullable().defaultTo(0);
    t.text("worker");
    t.jsonb("checkpoint");
    t.text("singleton_key");
    // When the job was handed to pg-boss; a row written without the queue (in a caller's transaction) is
    // handed over by the next sweep (queue.ts).
    t.timestamp("sent_at", { useTz: true });
  });
  await knex.raw(
    "CREATE INDEX jobs_unsent_idx ON jobs (tenant_id, created_at) WHERE status = 'queued' AND sent_at IS NULL",
  );
  // One queued or running job per (tenant, type, key) — one run of a tenant-month — whichever server asks.
  await knex.raw(
    `CREATE UNIQUE INDEX jobs_singleton_idx ON jobs (tenant_id, type, singleton_key)
     WHERE singleton_key IS NOT NULL AND status IN ('queued', 'running')`,
  );
  // No server polls the jobs table any more (pg-boss does the queueing): 005's cross-tenant index goes.
  await knex.raw("DROP INDEX IF EXISTS jobs_pending_idx");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX IF EXISTS jobs_unsent_idx");
  await knex.raw("DROP INDEX IF EXISTS jobs_singleton_idx");
  await knex.raw("CREATE INDEX jobs_pending_idx ON jobs (status, created_at) WHERE status IN ('queued', 'running')");
  await knex.schema.alterTable("jobs", (t) => {
    t.dropColumn("sent_at");
    t.dropColumn("singleton_key");
    t.dropColumn("attempts");
    t.dropColumn("worker");
    t.dropColumn("checkpoint");
  });
  await knex.schema.dropTableIfExists("schedules");
}
