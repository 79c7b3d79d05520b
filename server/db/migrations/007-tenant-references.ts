/**
 * References stay inside their tenant: composite foreign keys (tenant_id, x_id) → (tenant_id, id), so a
 * row can only point at a record of its own tenant. The referenced tables' primary keys already are
 * (tenant_id, id), which is the unique key these foreign keys need; the referencing columns are indexed
 * with tenant_id leading (001, 002, 004).
 *
 * Deleting a referenced record is refused (NO ACTION, checked at the end of the statement, so deleting a
 * whole tenant still cascades): an employee with enrollments, ledger rows, alerts, reminders or
 * decisions is history, and the API answers 409 STILL_REFERENCED instead of leaving dangling ids.
 * decision_id is written by the actions before the decision row (one transaction), so those keys are
 * checked at commit.
 */
import type { Knex } from "knex";

interface Reference {
  table: string;
  column: string;
  target: string;
  nullable: boolean;
  deferred?: boolean;
}

export const TENANT_REFERENCES: Reference[] = [
  { table: "org_units", column: "parent_id", target: "org_units", nullable: true },
  { table: "employees", column: "org_unit_id", target: "org_units", nullable: true },
  { table: "enrollments", column: "employee_id", target: "employees", nullable: false },
  { table: "contributions", column: "employee_id", target: "employees", nullable: false },
  { table: "alerts", column: "employee_id", target: "employees", nullable: true },
  { table: "reminders", column: "employee_id", target: "employees", nullable: true },
  { table: "decisions", column: "employee_id", target: "employees", nullable: true },
  { table: "enrollments", column: "decision_id", target: "decisions", nullable: true, deferred: true },
  { table: "alerts", column: "decision_id", target: "decisions", nullable: true, deferred: true },
  { table: "reminders", column: "decision_id", target: "decisions", nullable: true, deferred: true },
];

const constraintName = (r: Reference) => `${r.table}_${r.column}_fkey`;
const dangling = (r: Reference) =>
  `${r.column} IS NOT NULL AND NOT EXISTS ` +
  `(SELECT 1 FROM ${r.target} t WHERE t.tenant_id = ${r.table}.tenant_id AND t.id = ${r.table}.${r.column})`;

export async function up(knex: Knex): Promise<void> {
  for (const r of TENANT_REFERENCES) {
    // Ids that name nothing in their tenant (written before this check existed) mean nothing: cleared.
    if (r.nullable) await knex.raw(`UPDATE ${r.table} SET ${r.column} = NULL WHERE ${dangling(r)}`);
    await knex.raw(
      `ALTER TABLE ${r.table} ADD CONSTRAINT ${constraintName(r)} FOREIGN KEY (tenant_id, ${r.column}) ` +
        `REFERENCES ${r.target} (tenant_id, id)${r.deferred ? " DEFERRABLE INITIALLY DEFERRED" : ""} NOT VALID`,
    );
    // Ledger rows of an employee deleted before this migration are kept as they are (the key holds for
    // every new write); a database without such rows gets a fully validated key.
    const orphans = await knex.raw(`SELECT 1 FROM ${r.table} WHERE ${dangling(r)} LIMIT 1`);
    if (orphans.rows.length === 0) await knex.raw(`ALTER TABLE ${r.table} VALIDATE CONSTRAINT ${constraintName(r)}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const r of [...TENANT_REFERENCES].reverse())
    await knex.raw(`ALTER TABLE ${r.table} DROP CONSTRAINT IF EXISTS ${constraintName(r)}`);
}
