/**
 * The audit log: one row per write, append-only, chained by hash per tenant (see server/audit/log.ts).
 * A trigger refuses UPDATE, DELETE and TRUNCATE on it; the retention purge alone may DELETE, by setting
 * the transaction-local `ordo.audit_purge` first. `audit_anchors` keeps, per tenant, the last purged
 * entry's seq and hash, so the first kept entry is still checked against something.
 */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("audit_log", (t) => {
    t.uuid("tenant_id").notNullable();
    t.bigInteger("seq").notNullable();
    t.uuid("id").notNullable().unique();
    t.timestamp("at", { useTz: true }).notNullable();
    t.uuid("user_id");
    t.text("user_email");
    t.text("role").notNullable();
    t.text("request_id");
    t.text("resource").notNullable();
    t.text("resource_id");
    t.text("operation").notNullable();
    t.jsonb("before");
    t.jsonb("after");
    t.uuid("decision_id");
    t.text("prev_hash").notNullable();
    t.text("hash").notNullable();
    t.primary(["tenant_id", "seq"]);
    t.index(["tenant_id", "resource", "resource_id", "seq"]);
    t.index(["tenant_id", "user_id", "seq"]);
    t.index(["tenant_id", "at"]);
  });
  await knex.schema.createTable("audit_anchors", (t) => {
    t.uuid("tenant_id").primary();
    t.bigInteger("seq").notNullable();
    t.text("hash").notNullable();
    t.timestamp("purged_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('ordo.audit_purge', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = '42501';
    END $$`);
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
  await knex.raw(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("audit_anchors");
  await knex.schema.dropTableIfExists("audit_log");
  await knex.raw("DROP FUNCTION IF EXISTS audit_log_append_only()");
}
