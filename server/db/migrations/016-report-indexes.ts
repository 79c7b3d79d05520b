/**
 * Reports at scale and on a schedule. A schedule may name its target (a report, for report
 * deliveries): one schedule per (tenant, job type, target). The ledger's heap rows are wide (each holds
 * its per-insurance items), so the cost reports (per city / org unit by month, back-payments) read a
 * covering index instead: tenant first, the month range, and what they sum (index-only scans).
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("schedules", (t) => t.text("target"));
  await knex.raw("ALTER TABLE schedules DROP CONSTRAINT IF EXISTS schedules_tenant_job_type_key");
  await knex.raw("DROP INDEX IF EXISTS schedules_tenant_job_type_key");
  await knex.raw(
    "CREATE UNIQUE INDEX schedules_tenant_job_type_target_key ON schedules (tenant_id, job_type, target) " +
      "NULLS NOT DISTINCT",
  );
  await knex.raw(
    `CREATE INDEX contributions_tenant_month_cost_idx ON contributions (tenant_id, month, city)
     INCLUDE (employer, employee, employee_id, status, back_paid, provisional, late_fee)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX IF EXISTS schedules_tenant_job_type_target_key");
  await knex.schema.alterTable("schedules", (t) => t.dropColumn("target"));
  await knex.raw("CREATE UNIQUE INDEX schedules_tenant_job_type_key ON schedules (tenant_id, job_type)");
  await knex.raw("DROP INDEX IF EXISTS contributions_tenant_month_cost_idx");
}
