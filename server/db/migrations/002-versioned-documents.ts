/**
 * Versioned documents: rule sets and policy tables share one store. A document has an editable draft
 * (with a revision for optimistic concurrency) beside an ordered list of immutable published versions.
 * Decisions record every applied rule evaluation.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("documents", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.text("kind").notNullable();
    t.text("key").notNullable();
    t.text("name").notNullable();
    t.text("description");
    t.text("industry");
    t.jsonb("draft").notNullable();
    t.integer("revision").notNullable().defaultTo(1);
    t.integer("latest_version");
    t.uuid("updated_by");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["tenant_id", "kind", "key"]);
    t.index(["tenant_id", "kind", "name"]);
    t.index(["tenant_id", "kind", "industry"]);
    t.index(["tenant_id", "kind", "updated_at"]);
  });
  await knex.raw(
    "ALTER TABLE documents ADD COLUMN search text GENERATED ALWAYS AS " +
      "(lower(key || ' ' || name || ' ' || coalesce(description, ''))) STORED",
  );
  await knex.raw("CREATE INDEX documents_search_idx ON documents USING gin (tenant_id, search gin_trgm_ops)");

  await knex.schema.createTable("document_versions", (t) => {
    t.uuid("tenant_id").notNullable();
    t.text("kind").notNullable();
    t.text("key").notNullable();
    t.integer("version").notNullable();
    t.jsonb("content").notNullable();
    t.text("checksum").notNullable();
    t.date("effective_from").notNullable();
    t.text("note");
    t.uuid("author_id");
    t.text("author");
    t.integer("rolled_back_from");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["tenant_id", "kind", "key", "version"]);
    t.foreign(["tenant_id", "kind", "key"])
      .references(["tenant_id", "kind", "key"])
      .inTable("documents")
      .onDelete("CASCADE");
    t.index(["tenant_id", "kind", "key", "effective_from", "version"], "document_versions_in_force_idx");
  });

  await knex.schema.createTable("decisions", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("rule_set").notNullable();
    t.integer("version");
    t.text("operation").notNullable();
    t.uuid("employee_id");
    t.jsonb("facts").notNullable();
    t.jsonb("events").notNullable();
    t.jsonb("trace").notNullable();
    t.jsonb("actions").notNullable().defaultTo("[]");
    t.uuid("actor_id");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["tenant_id", "id"]);
    for (const c of ["rule_set", "operation", "employee_id", "created_at"])
      t.index(["tenant_id", c, "id"], `decisions_tenant_${c}_idx`);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("decisions");
  await knex.schema.dropTableIfExists("document_versions");
  await knex.schema.dropTableIfExists("documents");
}
