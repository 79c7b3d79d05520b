/**
 * Composite indexes for the list screens HR works in on large tenants: employees of a city by hire date,
 * employees of an org unit by name, and name-prefix search for short (1–2 character) Chinese queries,
 * which trigram indexes cannot serve.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX employees_tenant_city_hire_idx ON employees (tenant_id, insured_city, hire_date, id)");
  await knex.raw("CREATE INDEX employees_tenant_unit_name_idx ON employees (tenant_id, org_unit_id, name, id)");
  await knex.raw("CREATE INDEX employees_tenant_search_prefix_idx ON employees (tenant_id, search text_pattern_ops)");
}

export async function down(knex: Knex): Promise<void> {
  for (const i of [
    "employees_tenant_city_hire_idx",
    "employees_tenant_unit_name_idx",
    "employees_tenant_search_prefix_idx",
  ]) {
    await knex.raw(`DROP INDEX IF EXISTS ${i}`);
  }
}
