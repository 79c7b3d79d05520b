/**
 * The notification outbox, its delivery log and the per-tenant channel settings.
 *
 * A notification is rendered when it is queued: the row keeps the subject, body, template key and
 * version, locale and facts, so what was sent never changes when the template does. The idempotency
 * key (template, recipient, period, channel) is unique per tenant, so a run that repeats queues
 * nothing twice. `reminders` (migration 004) is kept read-only for the rows written before this
 * migration: nothing writes it any more, since its rows hold only a template key and cannot be sent.
 */
import type { Knex } from "knex";
import { tenantIndexes } from "./001-foundation";

const STATUSES = ["queued", "sending", "sent", "failed", "dead", "cancelled"];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("notifications", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.primary(["tenant_id", "id"]);
    t.text("idempotency_key").notNullable();
    t.text("template").notNullable();
    t.integer("template_version");
    t.text("audience").notNullable();
    t.uuid("employee_id");
    t.text("channel").notNullable();
    t.text("locale").notNullable().defaultTo("zh-CN");
    t.text("period").notNullable();
    t.text("subject").notNullable().defaultTo("");
    t.text("body").notNullable().defaultTo("");
    t.jsonb("facts").notNullable().defaultTo("{}");
    t.boolean("digest").notNullable().defaultTo(false);
    t.text("status").notNullable().defaultTo("queued");
    t.integer("attempts").notNullable().defaultTo(0);
    t.timestamp("next_attempt_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text("last_error");
    t.date("due_date");
    t.timestamp("sent_at", { useTz: true });
    t.timestamp("read_at", { useTz: true });
    // The digest a notification was sent in (its own id when sent alone).
    t.uuid("digest_id");
    t.uuid("decision_id");
    t.jsonb("custom").notNullable().defaultTo("{}");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(["tenant_id", "idempotency_key"], { indexName: "notifications_tenant_idempotency_key" });
    tenantIndexes(t, "notifications", ["status", "template", "employee_id", "channel", "audience", "created_at"]);
  });
  await knex.raw(
    `ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN (${STATUSES.map(
      (s) => `'${s}'`,
    ).join(",")}))`,
  );
  await knex.raw(
    "ALTER TABLE notifications ADD CONSTRAINT notifications_audience_check CHECK (audience IN ('hr','employee'))",
  );
  // What dispatch reads: the due rows of a tenant, oldest first.
  await knex.raw(
    "CREATE INDEX notifications_tenant_due_idx ON notifications (tenant_id, next_attempt_at) " +
      "WHERE status IN ('queued','failed')",
  );
  await knex.raw(
    "ALTER TABLE notifications ADD CONSTRAINT notifications_employee_id_fkey FOREIGN KEY (tenant_id, employee_id) " +
      "REFERENCES employees (tenant_id, id)",
  );
  await knex.raw(
    "ALTER TABLE notifications ADD CONSTRAINT notifications_decision_id_fkey FOREIGN KEY (tenant_id, decision_id) " +
      "REFERENCES decisions (tenant_id, id) DEFERRABLE INITIALLY DEFERRED",
  );

  await knex.schema.createTable("notification_attempts", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.primary(["tenant_id", "id"]);
    t.uuid("notification_id").notNullable();
    t.integer("attempt").notNullable();
    t.text("channel").notNullable();
    t.text("outcome").notNullable();
    // A code, never a message from the remote side (which may echo credentials or addresses).
    t.text("error_code");
    t.integer("duration_ms").notNullable().defaultTo(0);
    t.jsonb("custom").notNullable().defaultTo("{}");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    tenantIndexes(t, "notification_attempts", ["notification_id", "created_at"]);
  });
  await knex.raw(
    "ALTER TABLE notification_attempts ADD CONSTRAINT notification_attempts_outcome_check " +
      "CHECK (outcome IN ('sent','failed','dead'))",
  );
  await knex.raw(
    "ALTER TABLE notification_attempts ADD CONSTRAINT notification_attempts_notification_id_fkey " +
      "FOREIGN KEY (tenant_id, notification_id) REFERENCES notifications (tenant_id, id) ON DELETE CASCADE",
  );

  await knex.schema.createTable("channel_settings", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.text("name").notNullable();
    t.primary(["tenant_id", "name"]);
    t.boolean("enabled").notNullable().defaultTo(true);
    t.jsonb("settings").notNullable().defaultTo("{}");
    // Write-only through the API (answered as {secretSet: true}); plain text here, like settings.
    t.jsonb("secrets").notNullable().defaultTo("{}");
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ["channel_settings", "notification_attempts", "notifications"])
    await knex.schema.dropTableIfExists(table);
}
