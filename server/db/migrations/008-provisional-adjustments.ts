/**
 * Provisional months and 差额补缴. A ledger row says whether it was priced past the last published
 * period of its city's policy (carried forward) and from which period, and keeps the declared wage it
 * was computed from, so a later notice can be settled without guessing. The settlement is its own
 * table: one adjustment per ledger row and policy-table version, linked to both; the ledger row itself
 * is never rewritten. A published table version also records the day its notice was published.
 */
import type { Knex } from "knex";
import { tenantIndexes } from "./001-foundation";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("contributions", (t) => {
    t.boolean("provisional").notNullable().defaultTo(false);
    t.text("carried_from");
    t.decimal("wage", 14, 2);
  });
  await knex.raw("CREATE INDEX contributions_tenant_provisional_idx ON contributions (tenant_id, provisional, id)");
  await knex.schema.alterTable("document_versions", (t) => {
    t.date("published_on");
  });

  await knex.schema.createTable("contribution_adjustments", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.primary(["tenant_id", "id"]);
    t.uuid("contribution_id").notNullable();
    t.uuid("employee_id").notNullable();
    t.text("month").notNullable();
    t.text("city").notNullable();
    t.text("policy_table").notNullable();
    t.integer("policy_version").notNullable();
    t.decimal("base_before", 14, 2).notNullable();
    t.decimal("base_after", 14, 2).notNullable();
    t.decimal("employer", 14, 2).notNullable();
    t.decimal("employee", 14, 2).notNullable();
    t.jsonb("items").notNullable().defaultTo("[]");
    t.text("status").notNullable().defaultTo("due");
    t.uuid("job_id");
    t.jsonb("custom").notNullable().defaultTo("{}");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // A second run of the same publication finds its rows and adds none.
    t.unique(["tenant_id", "contribution_id", "policy_table", "policy_version"], {
      indexName: "contribution_adjustments_once_key",
    });
    t.foreign(["tenant_id", "contribution_id"]).references(["tenant_id", "id"]).inTable("contributions");
    t.foreign(["tenant_id", "employee_id"]).references(["tenant_id", "id"]).inTable("employees");
    tenantIndexes(t, "contribution_adjustments", [
      "employee_id",
      "month",
      "city",
      "policy_table",
      "status",
      "created_at",
    ]);
  });
  await knex.raw(
    "ALTER TABLE contribution_adjustments ADD CONSTRAINT contribution_adjustments_status_check " +
      "CHECK (status IN ('due', 'paid'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("contribution_adjustments");
  await knex.schema.alterTable("document_versions", (t) => t.dropColumn("published_on"));
  await knex.raw("DROP INDEX IF EXISTS contributions_tenant_provisional_idx");
  await knex.schema.alterTable("contributions", (t) => {
    t.dropColumn("wage");
    t.dropColumn("carried_from");
    t.dropColumn("provisional");
  });
}
