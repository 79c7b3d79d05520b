/**
 * Alerts with a lifecycle: resolved (by whom, why), snoozed until a date, assigned to a user of the
 * tenant; every step is an `alert_events` row (who did what when, with a note). Messages are rendered
 * per reader from type + params (domain/alert-messages): rows stored before keep their text as the
 * fallback and get the params read back from it into `data`.
 */
import type { Knex } from "knex";
import { parseAlertMessage, ALERT_MESSAGES } from "../../../domain/alert-messages";

export const ALERT_EVENT_ACTIONS = ["resolved", "auto_resolved", "snoozed", "assigned", "reopened"];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("alerts", (t) => {
    t.date("snoozed_until");
    t.uuid("assignee_id").references("users.id").onDelete("SET NULL");
    t.uuid("resolved_by").references("users.id").onDelete("SET NULL");
    t.text("resolution");
    t.index(["tenant_id", "assignee_id", "id"], "alerts_tenant_assignee_id_idx");
    t.index(["tenant_id", "snoozed_until", "id"], "alerts_tenant_snoozed_until_idx");
  });

  await knex.schema.createTable("alert_events", (t) => {
    t.uuid("tenant_id").notNullable().references("tenants.id").onDelete("CASCADE");
    t.uuid("id").notNullable().defaultTo(knex.raw("gen_random_uuid()"));
    t.primary(["tenant_id", "id"]);
    t.uuid("alert_id").notNullable();
    t.text("action").notNullable();
    t.uuid("actor_id").references("users.id").onDelete("SET NULL");
    t.text("note");
    t.jsonb("data").notNullable().defaultTo("{}");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(["tenant_id", "alert_id"], "alert_events_alert_fkey")
      .references(["tenant_id", "id"])
      .inTable("alerts")
      .onDelete("CASCADE");
    t.index(["tenant_id", "alert_id", "created_at"], "alert_events_tenant_alert_idx");
  });
  await knex.raw(
    "ALTER TABLE alert_events ADD CONSTRAINT alert_events_action_check " +
      `CHECK (action IN (${ALERT_EVENT_ACTIONS.map((a) => `'${a}'`).join(",")}))`,
  );

  await backfillAlertParams(knex);
}

/** Rows stored as English text: the params their text was filled from, kept in data (what data had wins). */
export async function backfillAlertParams(knex: Knex): Promise<number> {
  let n = 0;
  const rows = await knex("alerts")
    .whereIn("type", Object.keys(ALERT_MESSAGES))
    .select("tenant_id", "id", "type", "message", "data");
  for (const r of rows) {
    const params = parseAlertMessage(r.type, r.message);
    if (!params) continue;
    const data = typeof r.data === "string" ? JSON.parse(r.data) : (r.data ?? {});
    await knex("alerts")
      .where({ tenant_id: r.tenant_id, id: r.id })
      .update({ data: JSON.stringify({ ...params, ...data }) });
    n++;
  }
  return n;
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("alert_events");
  await knex.schema.alterTable("alerts", (t) => {
    t.dropIndex([], "alerts_tenant_assignee_id_idx");
    t.dropIndex([], "alerts_tenant_snoozed_until_idx");
    t.dropColumns("snoozed_until", "assignee_id", "resolved_by", "resolution");
  });
}
