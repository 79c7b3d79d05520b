/**
 * Issue 13 parts 2 and 3. Employees get a work city (remote staff work elsewhere than they are insured).
 * Bureau exports (增减员 files) are recorded with one row per exported enrollment change, so a change
 * already exported is not exported again unless asked. Every key and index leads with tenant_id.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("employees", (t) => {
    t.text("work_city");
    t.index(["tenant_id", "work_city"], "employees_tenant_work_city_idx");
  });
  await knex.schema.createTable("bureau_exports", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.primary(["tenant_id", "id"]);
    t.text("city").notNullable();
    t.text("month").notNullable();
    t.text("format").notNullable();
    t.integer("rows").notNullable();
    t.boolean("include_exported").notNullable().defaultTo(false);
    t.jsonb("layout").notNullable().defaultTo("{}");
    t.uuid("created_by");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["tenant_id", "city", "month"]);
    t.index(["tenant_id", "created_at"]);
  });
  await knex.raw(
    "ALTER TABLE bureau_exports ADD CONSTRAINT bureau_exports_format_check CHECK (format IN ('csv','xlsx'))",
  );
  await knex.schema.createTable("bureau_export_rows", (t) => {
    t.uuid("tenant_id").notNullable();
    t.uuid("export_id").notNullable();
    t.uuid("enrollment_id").notNullable();
    t.text("change").notNullable();
    t.integer("line").notNullable();
    t.jsonb("cells").notNullable().defaultTo("[]");
    t.primary(["tenant_id", "export_id", "enrollment_id", "change"]);
    t.index(["tenant_id", "enrollment_id", "change"]);
    t.foreign(["tenant_id", "export_id"]).references(["tenant_id", "id"]).inTable("bureau_exports").onDelete("CASCADE");
    t.foreign(["tenant_id", "enrollment_id"])
      .references(["tenant_id", "id"])
      .inTable("enrollments")
      .onDelete("CASCADE");
  });
  await knex.raw(
    "ALTER TABLE bureau_export_rows ADD CONSTRAINT bureau_export_rows_change_check CHECK (change IN ('add','remove'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("bureau_export_rows");
  await knex.schema.dropTable("bureau_exports");
  await knex.schema.alterTable("employees", (t) => {
    t.dropIndex(["tenant_id", "work_city"], "employees_tenant_work_city_idx");
    t.dropColumn("work_city");
  });
}
