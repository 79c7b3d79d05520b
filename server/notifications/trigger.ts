/**
 * From a `queue-reminder` event to outbox rows: the template is rendered now (the published version in
 * force on the decision's date, over the recipient's facts), once per channel of the template (or the
 * one channel the event names). A segment that does not match the recipient queues nothing; a
 * template that cannot be rendered is stored dead with the reason, so the outbox shows it.
 */
import type { Knex } from "knex";
import type { ReminderInput, Registry } from "../../rules/index";
import { renderReminder } from "../reminders/render";
import type { ReminderFactsLoader } from "../reminders/facts";
import { notificationRow, type NewNotification } from "./outbox";

type Row = Record<string, any>;

/** The channel names of the old reminders (`in_app`) as the channel plugins name them. */
const ALIASES: Record<string, string> = { in_app: "in-app", inapp: "in-app" };

export interface TriggerScope {
  tenantId: string;
  employeeId: string | null;
  at: string;
  decisionId: string | null;
}

export interface Triggered {
  rows: Row[];
  /** Why nothing was queued, when nothing was. */
  reason?: "segment" | "no-recipient";
}

export async function reminderNotifications(
  db: Knex,
  registry: Registry | undefined,
  s: TriggerScope,
  r: ReminderInput,
  /** The chunk's loader (a monthly run, a scan): facts and templates loaded once for many employees. */
  loader?: ReminderFactsLoader,
): Promise<Triggered> {
  const named = r.channel ? (ALIASES[r.channel] ?? r.channel) : undefined;
  const period = r.period ?? r.dueDate ?? s.at;
  const base = {
    template: r.template,
    employeeId: s.employeeId,
    period,
    dueDate: r.dueDate ?? null,
    decisionId: s.decisionId,
    digest: r.digest === true,
  };
  const sendAfter = r.sendOn ? new Date(`${r.sendOn}T09:00:00+08:00`) : null;
  let rendered: Awaited<ReturnType<typeof renderReminder>>;
  try {
    rendered = await renderReminder(
      db,
      s.tenantId,
      {
        template: r.template,
        ...(s.employeeId ? { employeeId: s.employeeId } : {}),
        eventParams: r.payload ?? {},
        at: s.at,
        ...(r.locale ? { locale: r.locale } : {}),
      },
      { ...(registry ? { registry } : {}), ...(loader ? { loader } : {}) },
    );
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const failure: NewNotification = {
      ...base,
      templateVersion: null,
      audience: r.recipient,
      channel: named ?? "in-app",
      locale: r.locale ?? "zh-CN",
      subject: "",
      body: "",
      facts: r.payload ?? {},
      failure: typeof code === "string" ? code : "TEMPLATE_RENDER_FAILED",
    };
    return { rows: [notificationRow(s.tenantId, failure)] };
  }
  if (!rendered.segmentMatched) return { rows: [], reason: "segment" };
  const audience = rendered.audience;
  if (audience === "employee" && !s.employeeId) return { rows: [], reason: "no-recipient" };
  const channels = named ? [named] : [...rendered.channels];
  return {
    rows: channels.map((channel) =>
      notificationRow(s.tenantId, {
        ...base,
        templateVersion: rendered.templateVersion,
        audience,
        channel,
        locale: rendered.locale,
        subject: rendered.subject,
        body: rendered.body,
        facts: rendered.facts,
        // The template's flag, or the event's.
        digest: base.digest || rendered.digest,
        sendAfter,
      }),
    ),
  };
}
