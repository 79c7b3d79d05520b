/**
 * Regional policy (retail): per region, how many days before each of its cities' payment deadline its HR
 * is reminded; and the daily region-reminder scan's guard, one row per tenant and China-local day, so the
 * minute tick on any number of servers scans a tenant once a day.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("region_settings", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("org_unit_id").notNullable();
    t.primary(["tenant_id", "org_unit_id"]);
    t.integer("reminder_days_before").notNullable().defaultTo(5);
    t.boolean("reminders_enabled").notNullable().defaultTo(true);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    "ALTER TABLE region_settings ADD CONSTRAINT region_settings_days_check " +
      "CHECK (reminder_days_before BETWEEN 0 AND 31)",
  );
  await knex.raw(
    "ALTER TABLE region_settings ADD CONSTRAINT region_settings_org_unit_id_fkey " +
      "FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id) ON DELETE CASCADE",
  );
  await knex.schema.createTable("region_reminder_scans", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.date("day").notNullable();
    t.primary(["tenant_id", "day"]);
    t.integer("queued").notNullable().defaultTo(0);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("region_reminder_scans");
  await knex.schema.dropTableIfExists("region_settings");
}
