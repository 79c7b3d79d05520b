/**
 * A draft's list field (a policy table's rows) may be stored in chunks beside the document instead of inside
 * its jsonb: a 60,000-row import then writes sixty short statements instead of one 10 MB one, and the
 * single PGlite connection answers other requests (/api/health among them) in between. `generation` names
 * one complete set of chunks; the draft points at the set in force, so a set still being written (or one
 * whose save failed) is never read.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("document_draft_chunks", (t) => {
    t.uuid("tenant_id").notNullable();
    t.text("kind").notNullable();
    t.text("key").notNullable();
    t.uuid("generation").notNullable();
    t.integer("seq").notNullable();
    t.jsonb("items").notNullable();
    t.primary(["tenant_id", "kind", "key", "generation", "seq"]);
    t.foreign(["tenant_id", "kind", "key"])
      .references(["tenant_id", "kind", "key"])
      .inTable("documents")
      .onDelete("CASCADE");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("document_draft_chunks");
}
