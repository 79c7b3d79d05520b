/**
 * Payments and receipts: when a ledger row was paid (the day, the Art. 86 late fee and days late, how it
 * was recorded), who resolved an alert, and the stored previews of the bureau's payment files, so the
 * apply step (on any server) applies exactly what the preview showed.
 */
import type { Knex } from "knex";
import { tenantIndexes } from "./001-foundation";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("payment_imports", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.primary(["tenant_id", "id"]);
    t.text("file_name");
    t.text("format").notNullable();
    t.text("status").notNullable().defaultTo("previewed");
    t.date("paid_on").notNullable();
    // One entry per file row: line, employeeNo, month, the file's and the ledger's figures, match status.
    t.jsonb("rows").notNullable().defaultTo("[]");
    t.jsonb("counts").notNullable().defaultTo("{}");
    t.jsonb("result");
    t.uuid("created_by");
    t.uuid("applied_by");
    t.timestamp("applied_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    tenantIndexes(t, "payment_imports", ["status", "created_at"]);
  });
  await knex.raw(
    "ALTER TABLE payment_imports ADD CONSTRAINT payment_imports_status_check CHECK (status IN ('previewed','applied'))",
  );
  await knex.raw(
    "ALTER TABLE payment_imports ADD CONSTRAINT payment_imports_format_check CHECK (format IN ('csv','xlsx'))",
  );

  await knex.schema.alterTable("contributions", (t) => {
    t.date("paid_on");
    t.decimal("late_fee", 14, 2);
    t.integer("days_late");
    t.text("payment_note");
    t.text("payment_source");
    t.uuid("payment_import_id");
    t.index(["tenant_id", "payment_import_id"], "contributions_tenant_payment_import_idx");
  });
  await knex.raw(
    "ALTER TABLE contributions ADD CONSTRAINT contributions_payment_source_check " +
      "CHECK (payment_source IN ('single','bulk','import'))",
  );
  await knex.raw(
    "ALTER TABLE contributions ADD CONSTRAINT contributions_payment_import_id_fkey " +
      "FOREIGN KEY (tenant_id, payment_import_id) REFERENCES payment_imports (tenant_id, id)",
  );

  // Who resolved an alert and how live in migration 011 (resolved_by, resolution, alert_events).
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE contributions DROP CONSTRAINT IF EXISTS contributions_payment_import_id_fkey");
  await knex.raw("ALTER TABLE contributions DROP CONSTRAINT IF EXISTS contributions_payment_source_check");
  await knex.schema.alterTable("contributions", (t) => {
    t.dropIndex(["tenant_id", "payment_import_id"], "contributions_tenant_payment_import_idx");
    for (const c of ["payment_import_id", "payment_source", "payment_note", "days_late", "late_fee", "paid_on"])
      t.dropColumn(c);
  });
  await knex.schema.dropTableIfExists("payment_imports");
}
