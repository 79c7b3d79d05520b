/**
 * Inboxes of the in-app channel: an employee's (their own notifications) and HR's (the tenant's
 * notifications for HR, one shared inbox: read by one HR user is read for all). Only delivered
 * notifications are in an inbox.
 */
import type { Knex } from "knex";
import type { AuthUser } from "../auth/service";
import { fail } from "../errors";
import { isUuid } from "../http/formats";

type Row = Record<string, any>;

export interface InboxOwner {
  tenantId: string;
  user: Pick<AuthUser, "role" | "employeeId">;
}

function scope(db: Knex, o: InboxOwner) {
  const q = db("notifications").where({ tenant_id: o.tenantId, channel: "in-app", status: "sent" });
  if (o.user.role === "employee") {
    if (!o.user.employeeId) throw fail("NO_EMPLOYEE");
    return q.andWhere({ audience: "employee", employee_id: o.user.employeeId });
  }
  return q.andWhere({ audience: "hr" });
}

const item = (r: Row) => ({
  id: r.id,
  template: r.template,
  employeeId: r.employee_id,
  locale: r.locale,
  subject: r.subject,
  body: r.body,
  dueDate: r.due_date,
  sentAt: r.sent_at,
  readAt: r.read_at,
  read: r.read_at !== null,
});

export async function inbox(db: Knex, o: InboxOwner, opts: { unread?: boolean; offset?: number; limit?: number }) {
  const list = scope(db, o);
  if (opts.unread) list.whereNull("read_at");
  const [rows, [{ n: total }], [{ n: unread }]] = await Promise.all([
    list
      .clone()
      .orderBy([{ column: "sent_at", order: "desc" }, { column: "id" }])
      .offset(opts.offset ?? 0)
      .limit(opts.limit ?? 50),
    list.clone().count({ n: "*" }),
    scope(db, o).whereNull("read_at").count({ n: "*" }),
  ]);
  return { data: (rows as Row[]).map(item), total: Number(total), unread: Number(unread) };
}

export async function unreadCount(db: Knex, o: InboxOwner): Promise<number> {
  const [{ n }] = await scope(db, o).whereNull("read_at").count({ n: "*" });
  return Number(n);
}

/** Marks one notification of the owner's inbox read (again: no change); 404 when it is not theirs. */
export async function markRead(db: Knex, o: InboxOwner, id: string) {
  const row = isUuid(id) ? await scope(db, o).andWhere({ id }).first() : undefined;
  if (!row) throw fail("NOT_FOUND", { resource: "inbox", id }, { details: { resource: "inbox", id } });
  if (row.read_at === null) {
    const [updated] = await db("notifications")
      .where({ tenant_id: o.tenantId, id, read_at: null })
      .update({ read_at: db.fn.now() })
      .returning("*");
    if (updated) return item(updated);
  }
  return item(row);
}

export async function markAllRead(db: Knex, o: InboxOwner): Promise<{ marked: number }> {
  const ids = scope(db, o).whereNull("read_at").select("id");
  const marked = await db("notifications")
    .where({ tenant_id: o.tenantId })
    .whereIn("id", ids)
    .update({ read_at: db.fn.now() });
  return { marked };
}
