/** What the alert actions send, as plain functions (no session, so unit tests import them). */
export const ALERT_ACTIONS = ["resolve", "snooze", "assign", "reopen"] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];
export const ALERT_VIEWS = ["open", "snoozed", "resolved", "all"] as const;

export interface ActionBody {
  note?: string;
  until?: string;
  assigneeId?: string | null;
}

export interface Assignee {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface HistoryEntry {
  id: string;
  action: string;
  actorId: string | null;
  actorName: string | null;
  note: string | null;
  data: { until?: string; assigneeId?: string | null; assigneeName?: string | null; reason?: string };
  createdAt: string;
}

/** Only what the action takes: an empty note is no note. */
export function actionBody(action: AlertAction, input: ActionBody): ActionBody {
  const body: ActionBody = {};
  if (input.note?.trim()) body.note = input.note.trim();
  if (action === "snooze") body.until = input.until;
  if (action === "assign") body.assigneeId = input.assigneeId || null;
  return body;
}

/** What the action needs before it can be sent. */
export function actionReady(action: AlertAction, input: ActionBody, today: string): boolean {
  if (action === "snooze") return !!input.until && /^\d{4}-\d{2}-\d{2}$/.test(input.until) && input.until > today;
  return true;
}
