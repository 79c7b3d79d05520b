/**
 * The host side of the plugin contract (`HostServices` in rules/plugins.ts): the writes an action asks
 * for, through the decision's transaction. Two modes, one row shape: an operation (hire, leave,
 * `POST /rule-sets/:key/apply`) writes each row at once; a monthly run collects a chunk's rows in a
 * `WriteBatch` and stores each table's rows in one statement. A queue-reminder renders its template at
 * once and writes the outbox (`notifications`), with a dispatch job to send it.
 */
import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import type { PolicySet } from "../../policies/index";
import type { AlertInput, DecisionInput, HostServices, ReminderInput, WriteResult } from "../../rules/index";
import { reminderNotifications } from "../notifications/trigger";
import { insertNotifications } from "../notifications/outbox";
import { queueDispatch } from "../notifications/dispatch";
import type { ReminderFactsLoader } from "../reminders/facts";
import { auditDecisionRows } from "../audit/decisions";
import { resolveAlerts } from "../alerts/service";
import { sqlEmployeeServices, sqlEnrollmentServices } from "./enrollment-services";

export type OrdoServices = HostServices<Knex.Transaction, PolicySet>;
type Row = Record<string, unknown>;

/** Who and what the writes of one decision belong to. */
export interface DecisionScope {
  trx: Knex.Transaction;
  tenantId: string;
  employeeId: string | null;
  at: string;
  policy: PolicySet;
  decisionId: string;
  operation: string;
  actorId: string | null;
  /** Merged over every alert's data (the monthly run's city checks add the city totals). */
  alertData?: Record<string, unknown>;
}

export function alertRow(s: DecisionScope, a: AlertInput): Row {
  const dueDate = a.dueDate ?? null;
  return {
    tenant_id: s.tenantId,
    type: a.type,
    severity: a.severity ?? "warning",
    employee_id: s.employeeId,
    due_date: dueDate,
    message: a.message,
    data: JSON.stringify({ ...(a.data ?? {}), ...(s.alertData ?? {}) }),
    dedupe_key: a.dedupeKey === undefined ? `${a.type}:${s.employeeId ?? "-"}:${dueDate ?? s.at}` : a.dedupeKey,
    decision_id: s.decisionId,
  };
}

/** The outbox rows a queue-reminder event makes: rendered now (see notifications/trigger.ts). */
export const reminderRows = (s: DecisionScope, r: ReminderInput, loader?: ReminderFactsLoader) =>
  reminderNotifications(s.trx, undefined, s, r, loader);

/** A decision of its own for a record-decision event; `actions` links it to the decision it came from. */
export function decisionRow(s: DecisionScope, d: DecisionInput, id: string): Row {
  return {
    tenant_id: s.tenantId,
    id,
    rule_set: d.ruleSet,
    version: d.version === "draft" ? null : d.version,
    operation: s.operation,
    employee_id: s.employeeId,
    facts: JSON.stringify(d.facts ?? {}),
    events: JSON.stringify([{ type: d.type, params: d.params ?? {} }]),
    trace: JSON.stringify(d.trace ?? []),
    actions: JSON.stringify([{ type: "record-decision", handled: true, recordedFor: s.decisionId }]),
    actor_id: s.actorId,
  };
}

const base = (s: DecisionScope) => ({
  trx: s.trx,
  tenantId: s.tenantId,
  employeeId: s.employeeId,
  at: s.at,
  policy: s.policy,
  decisionId: s.decisionId,
  enrollments: sqlEnrollmentServices(s),
  employee: sqlEmployeeServices(s),
  async resolveAlerts(match: { type: string }, reason: string) {
    if (!s.employeeId) return { written: false, reason: "no employee", resolved: 0 };
    const ids = await resolveAlerts(
      s.trx,
      s.tenantId,
      { type: match.type, employeeId: s.employeeId },
      reason,
      s.actorId,
    );
    return { written: ids.length > 0, resolved: ids.length };
  },
});

/** Services that write each row at once (an operation's apply). */
export function immediateServices(s: DecisionScope): OrdoServices {
  return {
    ...base(s),
    async recordDecision(d) {
      const id = randomUUID();
      await s.trx("decisions").insert(decisionRow(s, d, id));
      return { written: true, id };
    },
    async raiseAlert(a): Promise<WriteResult> {
      const row = alertRow(s, a);
      const inserted = await s
        .trx("alerts")
        .insert(row)
        .onConflict(["tenant_id", "dedupe_key"])
        .ignore()
        .returning("id");
      const dedupeKey = row.dedupe_key as string | null;
      return inserted.length
        ? { written: true, id: inserted[0].id, dedupeKey }
        : { written: false, reason: "duplicate", dedupeKey };
    },
    async queueReminder(r) {
      const { rows, reason } = await reminderRows(s, r);
      const ids = await insertNotifications(s.trx, rows);
      if (ids.length) await queueDispatch(s.trx, s.tenantId, s.actorId);
      if (!ids.length) return { written: false, reason: reason ?? "duplicate" };
      return { written: true, id: ids[0] };
    },
  };
}

/** Rows collected for one chunk of a monthly run, stored by `flush` in one statement per table. */
export class WriteBatch {
  alerts: Row[] = [];
  /** Outbox rows (rendered reminders); a key already queued is skipped when stored. */
  notifications: Row[] = [];
  decisions: Row[] = [];

  /** `loader`: the chunk's reminder facts, loaded for all its employees at the first reminder. */
  constructor(private readonly loader?: ReminderFactsLoader) {}

  services(s: DecisionScope): OrdoServices {
    return {
      ...base(s),
      recordDecision: async (d) => {
        const id = randomUUID();
        this.decisions.push(decisionRow(s, d, id));
        return { written: true, queued: true, id };
      },
      raiseAlert: async (a) => {
        const row = alertRow(s, a);
        this.alerts.push(row);
        return { written: true, queued: true, dedupeKey: row.dedupe_key as string | null };
      },
      queueReminder: async (r) => {
        const { rows, reason } = await reminderRows(s, r, this.loader);
        this.notifications.push(...rows);
        return rows.length ? { written: true, queued: true } : { written: false, reason };
      },
    };
  }

  /** Writes and empties the batch; answers what was stored (alerts already raised are skipped). */
  async flush(trx: Knex.Transaction): Promise<{ alerts: number; reminders: number; decisions: number }> {
    const out = { alerts: 0, reminders: 0, decisions: this.decisions.length };
    if (this.decisions.length) await trx("decisions").insert(this.decisions);
    if (this.alerts.length) {
      const inserted = await trx("alerts")
        .insert(this.alerts)
        .onConflict(["tenant_id", "dedupe_key"])
        .ignore()
        .returning("id");
      out.alerts = inserted.length;
    }
    if (this.notifications.length) {
      const tenantId = this.notifications[0]!.tenant_id as string;
      out.reminders = (await insertNotifications(trx, this.notifications)).length;
      if (out.reminders) await queueDispatch(trx, tenantId);
    }
    await auditDecisionRows(trx, this.decisions);
    this.alerts = [];
    this.notifications = [];
    this.decisions = [];
    return out;
  }
}
