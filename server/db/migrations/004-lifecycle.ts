/**
 * The employee lifecycle: enrollment periods, the monthly contribution ledger, alerts, queued reminders,
 * and a Postgres-backed job table (monthly runs), so any server can see a run's progress.
 * Every table leads its keys and indexes with tenant_id.
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

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("enrollments", (t) => {
    owned(t, knex);
    t.uuid("employee_id").notNullable();
    t.text("insured_city").notNullable();
    t.jsonb("insurances").notNullable().defaultTo("[]");
    // The declared wage the base is computed from (clamped to the city's limits each month).
    t.decimal("base", 14, 2);
    t.date("from_date").notNullable();
    t.date("to_date");
    t.text("status").notNullable().defaultTo("pending");
    t.text("reason");
    t.uuid("decision_id");
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    tenantIndexes(t, "enrollments", [
      "employee_id",
      "insured_city",
      "from_date",
      "to_date",
      "status",
      "reason",
      "created_at",
    ]);
  });
  await check(knex, "enrollments", "status", ["pending", "active", "ended", "cancelled"]);

  await knex.schema.createTable("contributions", (t) => {
    owned(t, knex);
    t.uuid("employee_id").notNullable();
    t.text("month").notNullable();
    t.text("city").notNullable();
    t.decimal("base", 14, 2).notNullable();
    t.decimal("employer", 14, 2).notNullable();
    t.decimal("employee", 14, 2).notNullable();
    t.jsonb("items").notNullable().defaultTo("[]");
    t.text("status").notNullable().defaultTo("due");
    t.boolean("back_paid").notNullable().defaultTo(false);
    t.timestamp("paid_at", { useTz: true });
    t.uuid("job_id");
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    t.unique(["tenant_id", "employee_id", "month"], { indexName: "contributions_tenant_employee_month_key" });
    tenantIndexes(t, "contributions", ["month", "city", "status", "created_at"]);
  });
  await check(knex, "contributions", "status", ["due", "paid", "not_received"]);
  await knex.raw(
    "ALTER TABLE contributions ADD CONSTRAINT contributions_month_check CHECK (month ~ '^\\d{4}-(0[1-9]|1[0-2])$')",
  );

  await knex.schema.createTable("alerts", (t) => {
    owned(t, knex);
    t.text("type").notNullable();
    t.text("severity").notNullable().defaultTo("warning");
    t.uuid("employee_id");
    t.date("due_date");
    t.text("message").notNullable();
    t.jsonb("data").notNullable().defaultTo("{}");
    t.boolean("resolved").notNullable().defaultTo(false);
    t.timestamp("resolved_at", { useTz: true });
    t.text("dedupe_key");
    t.uuid("decision_id");
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    t.unique(["tenant_id", "dedupe_key"], { indexName: "alerts_tenant_dedupe_key" });
    tenantIndexes(t, "alerts", ["type", "severity", "employee_id", "due_date", "resolved", "created_at"]);
  });
  await check(knex, "alerts", "severity", ["info", "warning", "critical"]);

  await knex.schema.createTable("reminders", (t) => {
    owned(t, knex);
    t.uuid("employee_id");
    t.text("channel").notNullable().defaultTo("in_app");
    t.text("recipient").notNullable();
    t.text("template").notNullable();
    t.jsonb("payload").notNullable().defaultTo("{}");
    t.text("status").notNullable().defaultTo("queued");
    t.date("due_date");
    t.uuid("decision_id");
    t.jsonb("custom").notNullable().defaultTo("{}");
    timestamps(t, knex);
    tenantIndexes(t, "reminders", ["employee_id", "recipient", "template", "status", "due_date", "created_at"]);
  });
  await check(knex, "reminders", "status", ["queued", "sent"]);

  await knex.schema.createTable("jobs", (t) => {
    owned(t, knex);
    t.text("type").notNullable();
    t.text("status").notNullable().defaultTo("queued");
    t.integer("progress").notNullable().defaultTo(0);
    t.integer("total").notNullable().defaultTo(0);
    t.jsonb("params").notNullable().defaultTo("{}");
    t.jsonb("result");
    t.text("error");
    t.uuid("actor_id");
    timestamps(t, knex);
    t.timestamp("finished_at", { useTz: true });
    tenantIndexes(t, "jobs", ["type", "status", "created_at"]);
  });
  await check(knex, "jobs", "status", ["queued", "running", "done", "failed"]);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ["jobs", "reminders", "alerts", "contributions", "enrollments"])
    await knex.schema.dropTableIfExists(table);
}
