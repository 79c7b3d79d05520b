/**
 * Sessions and login throttling, kept in the database so every server sees the same state:
 * - users.token_version: carried in every token; bumping it (password change, disabling) revokes them all.
 * - users.disabled: a disabled user cannot log in and their tokens are refused.
 * - revoked_tokens: token ids (jti) logged out before their expiry, kept until that expiry.
 * - login_throttle replaces login_failures: one counter per key (account + client address, client
 *   address, account), each row carrying its own limit so one atomic upsert can reserve an attempt.
 * None of these tables is tenant-owned: users and logins are global.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.integer("token_version").notNullable().defaultTo(0);
    t.boolean("disabled").notNullable().defaultTo(false);
  });

  await knex.schema.createTable("revoked_tokens", (t) => {
    t.uuid("jti").primary();
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE");
    t.timestamp("expires_at", { useTz: true }).notNullable();
    t.index(["expires_at"]);
  });

  await knex.schema.dropTableIfExists("login_failures");
  await knex.schema.createTable("login_throttle", (t) => {
    t.text("key").primary();
    /** Attempts reserved in the current window (each one checked, or being checked, by scrypt). */
    t.integer("failures").notNullable();
    t.integer("max_free").notNullable();
    t.integer("base_lock_ms").notNullable();
    t.timestamp("last_attempt_at", { useTz: true }).notNullable();
    t.timestamp("locked_until", { useTz: true });
    t.index(["last_attempt_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("login_throttle");
  await knex.schema.createTable("login_failures", (t) => {
    t.text("email").primary();
    t.integer("failures").notNullable().defaultTo(0);
    t.timestamp("last_failure_at", { useTz: true }).notNullable();
    t.timestamp("locked_until", { useTz: true });
  });
  await knex.schema.dropTableIfExists("revoked_tokens");
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("disabled");
    t.dropColumn("token_version");
  });
}
