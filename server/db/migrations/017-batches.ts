/**
 * Batch uploads (hires, wage changes, leaves from a CSV or XLSX): the stored upload with its rows, cell
 * errors and dry-run preview, and the row keys already applied, so the same file uploaded again changes
 * nothing and a corrected file applies only its changed rows.
 */
import type { Knex } from "knex";
import { tenantIndexes } from "./001-foundation";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("batches", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.primary(["tenant_id", "id"]);
    t.text("file_name");
    t.text("file_hash").notNullable();
    t.text("format").notNullable();
    t.text("status").notNullable().defaultTo("previewed");
    t.date("at").notNullable();
    // One entry per data row: line, kind, employeeNo, key, status (new, changed, unchanged, invalid,
    // failed) and what the dry run did (enrollments, amounts, alerts, reminders).
    t.jsonb("rows").notNullable().defaultTo("[]");
    t.jsonb("errors").notNullable().defaultTo("[]");
    t.jsonb("counts").notNullable().defaultTo("{}");
    t.text("mode");
    t.uuid("job_id");
    t.jsonb("result");
    t.uuid("created_by");
    t.uuid("applied_by");
    t.timestamp("applied_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    tenantIndexes(t, "batches", ["status", "file_hash", "created_at"]);
  });
  await knex.raw(
    "ALTER TABLE batches ADD CONSTRAINT batches_status_check " +
      "CHECK (status IN ('previewed','applying','applied','failed'))",
  );
  await knex.raw("ALTER TABLE batches ADD CONSTRAINT batches_format_check CHECK (format IN ('csv','xlsx'))");

  await knex.schema.createTable("batch_row_keys", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.text("row_key").notNullable();
    t.text("content_hash").notNullable();
    t.uuid("batch_id").notNullable();
    t.integer("line").notNullable();
    t.uuid("decision_id");
    t.timestamp("applied_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["tenant_id", "row_key"]);
    t.index(["tenant_id", "batch_id"]);
    t.foreign(["tenant_id", "batch_id"]).references(["tenant_id", "id"]).inTable("batches").onDelete("CASCADE");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("batch_row_keys");
  await knex.schema.dropTableIfExists("batches");
}
