/**
 * The outbox: notifications rendered when queued, sent by dispatch (dispatch.ts). One row per
 * (template, recipient, period, channel): the idempotency key is unique per tenant, so queuing the same
 * reminder again (a repeated monthly run, an operation applied twice) stores nothing new.
 */
import type { Knex } from "knex";
import { fail } from "../errors";
import { isUuid } from "../http/formats";

type Row = Record<string, any>;

export type NotificationStatus = "queued" | "sending" | "sent" | "failed" | "dead" | "cancelled";

/** A rendered notification, as the triggers hand it to the outbox. */
export interface NewNotification {
  template: string;
  templateVersion: number | null;
  audience: "hr" | "employee";
  /** The employee it is for (audience employee) or about (audience hr); null for tenant-wide notices. */
  employeeId: string | null;
  channel: string;
  locale: string;
  /** What makes it unique besides template, recipient and channel: a month, a due date, a leave date. */
  period: string;
  subject: string;
  body: string;
  facts: Record<string, unknown>;
  /** Combine with the same template's other notifications to one recipient on one day. */
  digest: boolean;
  dueDate: string | null;
  /** Not sent before (default: at once). */
  sendAfter?: Date | null;
  decisionId?: string | null;
  /** A reminder that could not be rendered is stored dead, with the reason, so the outbox shows it. */
  failure?: string;
}

export const idempotencyKey = (
  n: Pick<NewNotification, "template" | "audience" | "employeeId" | "period" | "channel">,
) => [n.template, n.audience, n.employeeId ?? "-", n.period, n.channel].join("|");

export function notificationRow(tenantId: string, n: NewNotification): Row {
  return {
    tenant_id: tenantId,
    idempotency_key: idempotencyKey(n),
    template: n.template,
    template_version: n.templateVersion,
    audience: n.audience,
    employee_id: n.employeeId,
    channel: n.channel,
    locale: n.locale,
    period: n.period,
    subject: n.subject,
    body: n.body,
    facts: JSON.stringify(n.facts ?? {}),
    digest: n.digest,
    due_date: n.dueDate,
    next_attempt_at: n.sendAfter ?? new Date(),
    decision_id: n.decisionId ?? null,
    status: n.failure ? "dead" : "queued",
    last_error: n.failure ?? null,
  };
}

/** Stores rows that are new; answers the ids written (a key already queued is skipped). */
export async function insertNotifications(db: Knex, rows: Row[]): Promise<string[]> {
  if (!rows.length) return [];
  const inserted = await db("notifications")
    .insert(rows)
    .onConflict(["tenant_id", "idempotency_key"])
    .ignore()
    .returning("id");
  return inserted.map((r: Row) => r.id as string);
}

export async function findNotification(db: Knex, tenantId: string, id: string): Promise<Row> {
  const row = isUuid(id) ? await db("notifications").where({ tenant_id: tenantId, id }).first() : undefined;
  if (!row) throw fail("NOT_FOUND", { resource: "notifications", id }, { details: { resource: "notifications", id } });
  return row;
}

/** Camel-cased view of a row (what the REST resource answers). */
export const notificationView = (r: Row) =>
  Object.fromEntries(
    Object.entries(r)
      .filter(([k]) => k !== "tenant_id" && k !== "custom")
      .map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]),
  );

/** Cancels a queued or failed notification (it will not be sent). */
export async function cancelNotification(db: Knex, tenantId: string, id: string) {
  const row = await findNotification(db, tenantId, id);
  const [updated] = await db("notifications")
    .where({ tenant_id: tenantId, id: row.id })
    .whereIn("status", ["queued", "failed"])
    .update({ status: "cancelled", updated_at: db.fn.now() })
    .returning("*");
  if (!updated) throw fail("NOTIFICATION_NOT_CANCELLABLE", { id, status: row.status });
  return notificationView(updated);
}

/**
 * Queues a failed, dead or cancelled notification again, due at once. The attempts already made
 * count: past the configured limit, one more failure makes it dead again (a manual retry is one try).
 */
export async function retryNotification(db: Knex, tenantId: string, id: string) {
  const row = await findNotification(db, tenantId, id);
  const [updated] = await db("notifications")
    .where({ tenant_id: tenantId, id: row.id })
    .whereIn("status", ["failed", "dead", "cancelled"])
    .update({ status: "queued", next_attempt_at: db.fn.now(), updated_at: db.fn.now() })
    .returning("*");
  if (!updated) throw fail("NOTIFICATION_NOT_RETRYABLE", { id, status: row.status });
  return notificationView(updated);
}

export async function deliveryLog(db: Knex, tenantId: string, notificationId: string) {
  const rows: Row[] = await db("notification_attempts")
    .where({ tenant_id: tenantId, notification_id: notificationId })
    .orderBy([{ column: "created_at" }, { column: "attempt" }])
    .select("id", "attempt", "channel", "outcome", "error_code", "duration_ms", "created_at");
  return rows.map(notificationView);
}
