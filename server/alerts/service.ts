/**
 * The alert lifecycle: resolve, snooze until a date, assign to an HR user of the tenant, reopen, each
 * with a note and a row in `alert_events` (who did what when). Alerts also resolve themselves when
 * their condition clears: `resolveAlerts` is what other code calls (an enrollment resolves
 * `not_enrolled`, a paid month `not_received`). Messages are rendered per reader from type + params.
 */
import type { Knex } from "knex";
import { appendAudit } from "../audit/log";
import { codesOf, isCalendarDate, renderAlertMessage } from "../../domain/index";
import { fail, type Locale } from "../errors";
import { isUuid } from "../http/formats";

type Row = Record<string, any>;
export type AlertAction = "resolve" | "snooze" | "assign" | "reopen";
export const ALERT_ACTIONS = codesOf("alertAction") as AlertAction[];
export type AlertView = "open" | "snoozed" | "resolved" | "all";
export const ALERT_VIEWS: AlertView[] = ["open", "snoozed", "resolved", "all"];

export interface ActionInput {
  note?: string | null;
  /** snooze: the first day the alert is open again. */
  until?: string;
  /** assign: a user of the tenant with an HR role; null unassigns. */
  assigneeId?: string | null;
}

const today = () => new Date().toISOString().slice(0, 10);

/** open: not resolved and not snoozed past today; snoozed: a snooze date still ahead. */
export function viewCondition(view: AlertView, on = today()): (qb: Knex.QueryBuilder) => void {
  return (qb) => {
    if (view === "resolved") qb.where("alerts.resolved", true);
    else if (view === "open")
      qb.where("alerts.resolved", false).andWhere((q) =>
        q.whereNull("alerts.snoozed_until").orWhere("alerts.snoozed_until", "<=", on),
      );
    else if (view === "snoozed") qb.where("alerts.resolved", false).andWhere("alerts.snoozed_until", ">", on);
  };
}

/** The state an alert is in on a day. */
export function stateOf(a: { resolved: boolean; snoozedUntil?: string | null }, on = today()) {
  if (a.resolved) return "resolved";
  return a.snoozedUntil && a.snoozedUntil > on ? "snoozed" : "open";
}

/** An entity record of an alert as a reader sees it: the message in their language, and its state. */
export function present(rec: Row, locale: Locale): Row {
  const data = (typeof rec.data === "string" ? JSON.parse(rec.data) : rec.data) ?? {};
  return {
    ...rec,
    message: renderAlertMessage(String(rec.type), data, locale, String(rec.message ?? "")),
    state: stateOf({ resolved: !!rec.resolved, snoozedUntil: rec.snoozedUntil ?? null }),
  };
}

async function checkAssignee(db: Knex, tenantId: string, assigneeId: string | null | undefined) {
  if (assigneeId === null) return;
  const bad = () =>
    fail(
      "INVALID_ASSIGNEE",
      { field: "assigneeId" },
      { details: { field: "assigneeId" }, errors: { assigneeId: "must name an HR user of this tenant" } },
    );
  if (!isUuid(assigneeId)) throw bad();
  const found = await db("users as u")
    .join("user_tenants as ut", "ut.user_id", "u.id")
    .where({ "u.id": assigneeId, "ut.tenant_id": tenantId, "u.disabled": false })
    .whereIn("u.role", ["hr_admin", "consultant"])
    .first("u.id");
  if (!found) throw bad();
}

function checkInput(action: AlertAction, input: ActionInput, on: string) {
  if (action === "snooze") {
    if (input.until === undefined)
      throw fail("ALERT_ACTION_REQUIRES", { action, field: "until" }, { errors: { until: "is required" } });
    if (!isCalendarDate(input.until) || input.until <= on)
      throw fail(
        "INVALID_SNOOZE",
        { field: "until", today: on },
        { details: { field: "until" }, errors: { until: "must be a date after today" } },
      );
  }
  if (action === "assign" && input.assigneeId === undefined)
    throw fail("ALERT_ACTION_REQUIRES", { action, field: "assigneeId" }, { errors: { assigneeId: "is required" } });
}

const CHANGES: Record<AlertAction, (input: ActionInput, actorId: string | null, db: Knex) => Row> = {
  resolve: (_i, actorId, db) => ({
    resolved: true,
    resolved_at: db.fn.now(),
    resolved_by: actorId,
    resolution: "manual",
    snoozed_until: null,
  }),
  reopen: () => ({ resolved: false, resolved_at: null, resolved_by: null, resolution: null, snoozed_until: null }),
  snooze: (i) => ({ snoozed_until: i.until }),
  assign: (i) => ({ assignee_id: i.assigneeId ?? null }),
};
const EVENT: Record<AlertAction, string> = {
  resolve: "resolved",
  reopen: "reopened",
  snooze: "snoozed",
  assign: "assigned",
};

/**
 * One action on alerts of the tenant, all or nothing: an id that names no alert of the tenant is a 404
 * and nothing is written. Answers the ids changed (an alert already in the asked state is left alone).
 */
export async function actOnAlerts(
  db: Knex,
  tenantId: string,
  actorId: string | null,
  ids: string[],
  action: AlertAction,
  input: ActionInput,
): Promise<{ action: AlertAction; changed: string[]; unchanged: string[] }> {
  const on = today();
  checkInput(action, input, on);
  await checkAssignee(db, tenantId, action === "assign" ? input.assigneeId : null);
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  return db.transaction(async (trx) => {
    const valid = unique.filter(isUuid);
    const rows: Row[] = valid.length
      ? await trx("alerts").where({ tenant_id: tenantId }).whereIn("id", valid).forUpdate().select("*")
      : [];
    const missing = unique.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw fail("ALERT_NOT_FOUND", { id: missing }, { details: { resource: "alerts", id: missing } });
    const applies = (r: Row) => {
      if (action === "resolve") return !r.resolved;
      if (action === "reopen") return r.resolved;
      if (action === "snooze") return !r.resolved;
      return (r.assignee_id ?? null) !== (input.assigneeId ?? null);
    };
    const changed = rows.filter(applies).map((r) => r.id as string);
    if (changed.length) {
      await trx("alerts")
        .where({ tenant_id: tenantId })
        .whereIn("id", changed)
        .update({ ...CHANGES[action](input, actorId, trx), updated_at: trx.fn.now() });
      const data =
        action === "snooze"
          ? { until: input.until }
          : action === "assign"
            ? { assigneeId: input.assigneeId ?? null }
            : {};
      await trx("alert_events").insert(
        changed.map((id) => ({
          tenant_id: tenantId,
          alert_id: id,
          action: EVENT[action],
          actor_id: actorId,
          note: input.note ?? null,
          data: JSON.stringify(data),
        })),
      );
      // Each alert's audit entry, before and after, in the same transaction.
      const after = new Map(
        (await trx("alerts").where({ tenant_id: tenantId }).whereIn("id", changed).select("*")).map((r: Row) => [
          r.id as string,
          r,
        ]),
      );
      const plain = ({ tenant_id: _t, created_at: _c, updated_at: _u, ...r }: Row) => r;
      await appendAudit(
        trx,
        tenantId,
        rows
          .filter((r) => changed.includes(r.id))
          .map((r) => ({
            resource: "alerts",
            resourceId: r.id as string,
            operation: action,
            before: plain(r),
            after: plain(after.get(r.id) ?? r),
          })),
      );
    }
    return { action, changed, unchanged: rows.map((r) => r.id as string).filter((id) => !changed.includes(id)) };
  });
}

export interface AlertMatch {
  type: string;
  employeeId?: string | null;
  /** Any of these employees (a batch's chunk). */
  employeeIds?: string[];
  /** The month the alert is about (its params' previousMonth or month). */
  month?: string;
  dedupeKey?: string;
}

/**
 * Resolves the open (or snoozed) alerts a cleared condition raised, with an `auto_resolved` history row
 * whose note is `reason`. Pass the caller's transaction so the alert clears with the change that cleared
 * it. Answers the ids resolved.
 */
export async function resolveAlerts(
  db: Knex,
  tenantId: string,
  match: AlertMatch,
  reason: string,
  actorId: string | null = null,
): Promise<string[]> {
  const q = db("alerts").where({ tenant_id: tenantId, type: match.type, resolved: false });
  if (match.employeeId !== undefined) q.andWhere("employee_id", match.employeeId);
  if (match.employeeIds !== undefined) q.whereIn("employee_id", match.employeeIds);
  if (match.dedupeKey !== undefined) q.andWhere("dedupe_key", match.dedupeKey);
  if (match.month !== undefined) q.andWhereRaw("coalesce(data->>'previousMonth', data->>'month') = ?", [match.month]);
  const resolved: { id: string }[] = await q
    .update({
      resolved: true,
      resolved_at: db.fn.now(),
      resolved_by: actorId,
      resolution: "auto",
      snoozed_until: null,
      updated_at: db.fn.now(),
    })
    .returning("id");
  if (resolved.length)
    await db("alert_events").insert(
      resolved.map((r) => ({
        tenant_id: tenantId,
        alert_id: r.id,
        action: "auto_resolved",
        actor_id: actorId,
        note: reason,
        data: JSON.stringify({ reason }),
      })),
    );
  return resolved.map((r) => r.id);
}

/** Who did what when on one alert, oldest first, with the actor's and assignee's names. */
export async function alertHistory(db: Knex, tenantId: string, alertId: string) {
  const rows: Row[] = await db("alert_events as e")
    .leftJoin("users as u", "u.id", "e.actor_id")
    .where({ "e.tenant_id": tenantId, "e.alert_id": alertId })
    .orderBy([{ column: "e.created_at" }, { column: "e.id" }])
    .select("e.id", "e.action", "e.actor_id", "u.name as actor_name", "e.note", "e.data", "e.created_at");
  const assignees = [...new Set(rows.map((r) => r.data?.assigneeId).filter(isUuid))];
  const names = new Map<string, string>(
    assignees.length
      ? (await db("users").whereIn("id", assignees).select("id", "name")).map((u: Row) => [u.id, u.name])
      : [],
  );
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    actorId: r.actor_id ?? null,
    actorName: r.actor_name ?? null,
    note: r.note ?? null,
    data: { ...r.data, ...(r.data?.assigneeId ? { assigneeName: names.get(r.data.assigneeId) ?? null } : {}) },
    createdAt: r.created_at,
  }));
}

/** The HR users of a tenant an alert can be assigned to. */
export async function assignableUsers(db: Knex, tenantId: string) {
  return db("users as u")
    .join("user_tenants as ut", "ut.user_id", "u.id")
    .where({ "ut.tenant_id": tenantId, "u.disabled": false })
    .whereIn("u.role", ["hr_admin", "consultant"])
    .orderBy("u.name")
    .select("u.id", "u.name", "u.email", "u.role");
}

/** The alerts resource's own list filters: `view` (open, snoozed, resolved, all) and `assignee` ("me" or an id). */
export function alertListFilter(filter: Record<string, unknown>, reader: { userId: string }) {
  const { view, assignee, ...rest } = filter;
  const bad = (field: string, problem: string) =>
    fail("INVALID_FILTER", { field, problem }, { details: { parameter: "filter", field } });
  if (view !== undefined && !ALERT_VIEWS.includes(view as AlertView))
    throw bad("view", `must be one of ${ALERT_VIEWS.join(", ")}`);
  const assigneeId = assignee === "me" ? reader.userId : assignee;
  if (assigneeId !== undefined && !isUuid(assigneeId)) throw bad("assignee", 'must be "me" or a user id');
  if (view === undefined && assigneeId === undefined) return { filter: rest };
  return {
    filter: rest,
    where: (qb: Knex.QueryBuilder) => {
      if (view !== undefined) viewCondition(view as AlertView)(qb);
      if (assigneeId !== undefined) qb.where("alerts.assignee_id", assigneeId as string);
    },
  };
}
