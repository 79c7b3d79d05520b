/**
 * Tenancy, users, custom fields and the core entities (org units, employees).
 * Every tenant-owned table carries tenant_id and leads its keys and indexes with it (Citus-ready).
 */
import type { Knex } from "knex";

const timestamps = (t: Knex.CreateTableBuilder, knex: Knex) => {
  t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
};

/** (tenant_id, column, id) btree indexes for every filter and sort the API offers. */
export function tenantIndexes(t: Knex.CreateTableBuilder, table: string, columns: string[]) {
  for (const c of columns) t.index(["tenant_id", c, "id"], `${table}_tenant_${c}_idx`);
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm");
  await knex.raw("CREATE EXTENSION IF NOT EXISTS btree_gin");

  await knex.schema.createTable("settings", (t) => {
    t.text("key").primary();
    t.jsonb("value").notNullable();
  });

  await knex.schema.createTable("tenants", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("slug").notNullable().unique();
    t.text("name").notNullable();
    t.text("industry");
    timestamps(t, knex);
  });

  await knex.schema.createTable("users", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("email").notNullable();
    t.text("name").notNullable();
    t.text("password_hash").notNullable();
    t.text("role").notNullable();
    t.uuid("employee_id");
    timestamps(t, knex);
  });
  await knex.raw("CREATE UNIQUE INDEX users_email_idx ON users (lower(email))");
  await knex.raw(
    "ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('consultant','hr_admin','employee'))",
  );

  await knex.schema.createTable("user_tenants", (t) => {
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE");
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.primary(["user_id", "tenant_id"]);
    t.index(["tenant_id", "user_id"]);
  });

  await knex.schema.createTable("login_failures", (t) => {
    t.text("email").primary();
    t.integer("failures").notNullable().defaultTo(0);
    t.timestamp("last_failure_at", { useTz: true }).notNullable();
    t.timestamp("locked_until", { useTz: true });
  });

  await knex.schema.createTable("custom_fields", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.text("entity").notNullable();
    t.text("name").notNullable();
    t.jsonb("label").notNullable();
    t.jsonb("schema").notNullable();
    t.boolean("filterable").notNullable().defaultTo(true);
    t.boolean("sortable").notNullable().defaultTo(true);
    timestamps(t, knex);
    t.primary(["tenant_id", "entity", "name"]);
  });

  await knex.schema.createTable("org_units", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable();
    t.text("type").notNullable();
    t.text("city").notNullable();
    t.uuid("parent_id");
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    t.primary(["tenant_id", "id"]);
    tenantIndexes(t, "org_units", ["name", "type", "city", "parent_id", "created_at"]);
  });
  await knex.raw(
    "ALTER TABLE org_units ADD COLUMN search text GENERATED ALWAYS AS (lower(name || ' ' || city)) STORED",
  );
  await knex.raw("CREATE INDEX org_units_search_idx ON org_units USING gin (tenant_id, search gin_trgm_ops)");
  await knex.raw("CREATE INDEX org_units_custom_idx ON org_units USING gin (tenant_id, custom jsonb_path_ops)");

  await knex.schema.createTable("employees", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("employee_no").notNullable();
    t.text("name").notNullable();
    t.text("email");
    t.uuid("org_unit_id");
    t.text("insured_city").notNullable();
    t.date("hire_date").notNullable();
    t.date("leave_date");
    t.decimal("monthly_wage", 14, 2).notNullable();
    t.text("employment_type").notNullable();
    t.date("birth_date");
    t.text("gender");
    t.text("post");
    t.boolean("hukou_local").notNullable().defaultTo(false);
    t.text("status").notNullable().defaultTo("active");
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    t.primary(["tenant_id", "id"]);
    t.unique(["tenant_id", "employee_no"], { indexName: "employees_tenant_employee_no_key" });
    tenantIndexes(t, "employees", [
      "name",
      "org_unit_id",
      "insured_city",
      "hire_date",
      "leave_date",
      "monthly_wage",
      "employment_type",
      "birth_date",
      "gender",
      "hukou_local",
      "status",
      "created_at",
    ]);
  });
  await knex.raw(
    "ALTER TABLE employees ADD COLUMN search text GENERATED ALWAYS AS " +
      "(lower(name || ' ' || employee_no || ' ' || coalesce(email, ''))) STORED",
  );
  await knex.raw("CREATE INDEX employees_search_idx ON employees USING gin (tenant_id, search gin_trgm_ops)");
  await knex.raw("CREATE INDEX employees_custom_idx ON employees USING gin (tenant_id, custom jsonb_path_ops)");
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    "employees",
    "org_units",
    "custom_fields",
    "login_failures",
    "user_tenants",
    "users",
    "tenants",
    "settings",
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
