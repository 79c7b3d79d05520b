/**
 * Wage history and the annual base declaration (年度调基). Every wage change is a row with the month it
 * takes effect; a declaration for (city, base year) holds one line per employee with the base computed
 * from the previous calendar year's wages, which HR may edit (with a reason) until it is confirmed.
 * Keys lead with tenant_id; references are composite (tenant_id, x_id) like 007.
 */
import type { Knex } from "knex";
import { tenantIndexes } from "./001-foundation";

const timestamps = (t: Knex.CreateTableBuilder, knex: Knex) => {
  t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
};

function owned(t: Knex.CreateTableBuilder, knex: Knex) {
  t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
  t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
  t.primary(["tenant_id", "id"]);
}

const check = (knex: Knex, table: string, column: string, values: string[]) =>
  knex.raw(
    `ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_check ` +
      `CHECK (${column} IN (${values.map((v) => `'${v}'`).join(",")}))`,
  );
const monthCheck = (knex: Knex, table: string, column: string) =>
  knex.raw(
    `ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_check CHECK (${column} ~ '^\\d{4}-(0[1-9]|1[0-2])$')`,
  );
const reference = (knex: Knex, table: string, column: string, target: string, cascade = false) =>
  knex.raw(
    `ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_fkey FOREIGN KEY (tenant_id, ${column}) ` +
      `REFERENCES ${target} (tenant_id, id)${cascade ? " ON DELETE CASCADE" : ""}`,
  );

export const WAGE_CHANGE_SOURCES = ["hire", "wage_change", "edit", "manual", "seed"];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("wage_changes", (t) => {
    owned(t, knex);
    t.uuid("employee_id").notNullable();
    t.text("effective_month").notNullable();
    t.decimal("wage", 14, 2).notNullable();
    t.decimal("previous_wage", 14, 2);
    t.text("source").notNullable().defaultTo("manual");
    t.text("reason");
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    tenantIndexes(t, "wage_changes", ["employee_id", "effective_month", "source", "created_at"]);
  });
  await monthCheck(knex, "wage_changes", "effective_month");
  await check(knex, "wage_changes", "source", WAGE_CHANGE_SOURCES);
  await knex.raw("ALTER TABLE wage_changes ADD CONSTRAINT wage_changes_wage_check CHECK (wage >= 0)");
  // The wage history belongs to the employee record and goes with it; a declared base is history and stays.
  await reference(knex, "wage_changes", "employee_id", "employees", true);

  await knex.schema.createTable("base_declarations", (t) => {
    owned(t, knex);
    t.text("city").notNullable();
    t.integer("base_year").notNullable();
    t.text("start_month").notNullable();
    t.text("end_month").notNullable();
    t.text("status").notNullable().defaultTo("draft");
    t.integer("employees").notNullable().defaultTo(0);
    t.uuid("created_by");
    t.uuid("confirmed_by");
    t.timestamp("confirmed_at", { useTz: true });
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    t.unique(["tenant_id", "city", "base_year"], { indexName: "base_declarations_tenant_city_year_key" });
    tenantIndexes(t, "base_declarations", ["base_year", "status", "start_month", "created_at"]);
  });
  await check(knex, "base_declarations", "status", ["draft", "confirmed"]);
  await monthCheck(knex, "base_declarations", "start_month");
  await monthCheck(knex, "base_declarations", "end_month");

  await knex.schema.createTable("base_declaration_lines", (t) => {
    owned(t, knex);
    t.uuid("declaration_id").notNullable();
    t.uuid("employee_id").notNullable();
    t.text("method").notNullable();
    t.integer("months").notNullable().defaultTo(0);
    t.decimal("computed_wage", 14, 2).notNullable();
    t.decimal("base", 14, 2).notNullable();
    t.jsonb("bases").notNullable().defaultTo("{}");
    t.text("reason");
    t.uuid("edited_by");
    t.timestamp("edited_at", { useTz: true });
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    t.unique(["tenant_id", "declaration_id", "employee_id"], { indexName: "base_declaration_lines_employee_key" });
    tenantIndexes(t, "base_declaration_lines", ["employee_id", "method", "created_at"]);
  });
  await check(knex, "base_declaration_lines", "method", ["average", "first_month", "current_wage"]);
  await reference(knex, "base_declaration_lines", "declaration_id", "base_declarations");
  await reference(knex, "base_declaration_lines", "employee_id", "employees");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("base_declaration_lines");
  await knex.schema.dropTableIfExists("base_declarations");
  await knex.schema.dropTableIfExists("wage_changes");
}
