/**
 * Pack adoptions: which version of a pack (rules/packs/<pack>/pack.json) a tenant adopted or last upgraded
 * to, and per asset the copy it came from (its content and checksum), so drift can tell a local change
 * (the tenant's copy differs from what it adopted) from an upstream one (the pack's latest differs from it).
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("pack_adoptions", (t) => {
    t.uuid("tenant_id").notNullable().references("id").inTable("tenants").onDelete("CASCADE");
    t.text("pack_key").notNullable();
    t.text("version").notNullable();
    t.text("pack_checksum").notNullable();
    t.timestamp("adopted_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid("adopted_by").references("id").inTable("users").onDelete("SET NULL");
    t.timestamp("upgraded_at", { useTz: true });
    t.uuid("upgraded_by").references("id").inTable("users").onDelete("SET NULL");
    t.primary(["tenant_id", "pack_key"]);
  });
  await knex.schema.createTable("pack_adoption_assets", (t) => {
    t.uuid("tenant_id").notNullable();
    t.text("pack_key").notNullable();
    t.text("kind").notNullable();
    t.text("asset_key").notNullable();
    t.text("pack_version").notNullable();
    t.text("checksum").notNullable();
    t.jsonb("content").notNullable();
    t.primary(["tenant_id", "pack_key", "kind", "asset_key"]);
    t.foreign(["tenant_id", "pack_key"])
      .references(["tenant_id", "pack_key"])
      .inTable("pack_adoptions")
      .onDelete("CASCADE");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("pack_adoption_assets");
  await knex.schema.dropTableIfExists("pack_adoptions");
}
