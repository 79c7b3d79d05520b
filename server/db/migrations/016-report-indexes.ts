/**
 * Indexes the built-in reports need on large tenants. The ledger's heap rows are wide (each holds its
 * per-insurance items), so the cost reports (per city / org unit by month, back-payments) read a covering
 * index instead: tenant first, the month range, and what they sum, answered by an index-only scan.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX contributions_tenant_month_cost_idx ON contributions (tenant_id, month, city)
     INCLUDE (employer, employee, employee_id, status, back_paid, provisional, late_fee)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX IF EXISTS contributions_tenant_month_cost_idx");
}
