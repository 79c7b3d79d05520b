/**
 * Rendering a reminder: the template's texts in a locale (zh-CN when the template has no text in the one
 * asked for), the segment's verdict over the recipient's facts, HTML escaping in email bodies.
 * `renderReminder` renders the PUBLISHED version in force today; the outbox calls it when queueing.
 */
import type { Knex } from "knex";
import type { Registry } from "../../rules/index";
import { fail } from "../errors";
import { reminderTemplateStore } from "./store";
import { reminderFacts, type ReminderFactsLoader } from "./facts";
import { renderText } from "./liquid";
import { segmentMatches } from "./segment";
import { CHANNELS, type Channel, type TemplateContent, type TemplateLocale } from "./content";

export interface Rendered {
  locale: TemplateLocale;
  subject: string;
  body: string;
  segmentMatched: boolean;
}

export interface RenderRequest {
  template: string;
  employeeId?: string;
  /** Facts as given (with employeeId: laid over the employee's facts). */
  facts?: Record<string, unknown>;
  locale?: string;
  channel?: string;
  /** The triggering event's params (a queue-reminder payload): `event.*` in the template. */
  eventParams?: Record<string, unknown>;
  /** The day the facts are computed for, YYYY-MM-DD (default today). */
  at?: string;
}

export interface RenderedReminder extends Rendered {
  templateKey: string;
  templateVersion: number;
  audience: TemplateContent["audience"];
  channels: TemplateContent["channels"];
  /** The template's digest flag (notifications/dispatch.ts combines such notifications per day). */
  digest: boolean;
  facts: Record<string, unknown>;
}

const today = () => new Date().toISOString().slice(0, 10);

function checkChannel(content: TemplateContent, channel: string | undefined): Channel | undefined {
  if (channel === undefined) return undefined;
  if (!(CHANNELS as readonly string[]).includes(channel) || !content.channels.includes(channel as Channel))
    throw fail(
      "CHANNEL_NOT_IN_TEMPLATE",
      { channel, channels: content.channels.join(", ") },
      { details: { field: "channel" }, errors: { channel: `is not one of ${content.channels.join(", ")}` } },
    );
  return channel as Channel;
}

/** Renders content with facts; a failing placeholder or filter is a 400 at the text's JSON pointer. */
export async function renderContent(
  content: TemplateContent,
  facts: Record<string, unknown>,
  opts: { locale?: string; channel?: string; registry?: Registry } = {},
): Promise<Rendered> {
  const channel = checkChannel(content, opts.channel);
  const locale: TemplateLocale = opts.locale === "en" && content.subject.en && content.body.en ? "en" : "zh-CN";
  const event = (facts.event ?? {}) as Record<string, unknown>;
  const segmentMatched = await segmentMatches(content.segment, { ...event, ...facts }, opts.registry);
  const render = async (part: "subject" | "body") => {
    try {
      return await renderText(content[part][locale]!, facts, part === "body" && channel === "email");
    } catch (err) {
      const pointer = `/${part}/${locale}`;
      const problem = (err as Error).message;
      throw fail(
        "TEMPLATE_RENDER_FAILED",
        { pointer, problem },
        { details: { pointer }, errors: { [pointer]: problem } },
      );
    }
  };
  return { locale, subject: (await render("subject")).trim(), body: await render("body"), segmentMatched };
}

/** The facts of a request: the employee's (reminderFacts) under any facts given, or the given facts alone. */
export async function requestFacts(
  db: Knex,
  tenantId: string,
  req: Omit<RenderRequest, "template">,
  loader?: ReminderFactsLoader,
) {
  const given = req.facts ?? {};
  if (!req.employeeId) return req.eventParams ? { ...given, event: req.eventParams } : given;
  const at = req.at ?? today();
  const derived = loader
    ? await loader.facts(req.employeeId, req.eventParams ?? {}, at)
    : await reminderFacts(db, tenantId, req.employeeId, req.eventParams ?? {}, at);
  return { ...derived, ...given };
}

export async function renderReminder(
  db: Knex,
  tenantId: string,
  req: RenderRequest,
  options: { registry?: Registry; loader?: ReminderFactsLoader } = {},
): Promise<RenderedReminder> {
  const at = req.at ?? today();
  const inForce = () => reminderTemplateStore.inForce(db, tenantId, req.template, at);
  const v = await (options.loader ? options.loader.memo(`template|${req.template}|${at}`, inForce) : inForce());
  if (!v) {
    await reminderTemplateStore.get(db, tenantId, req.template); // 404 when there is no such template
    throw fail(
      "NO_VERSION_IN_FORCE",
      { key: req.template, at },
      { message: `Reminder template "${req.template}" has no published version in force on ${at}` },
    );
  }
  const content = v.content as unknown as TemplateContent;
  const facts = await requestFacts(db, tenantId, { ...req, at }, options.loader);
  const rendered = await renderContent(content, facts, { ...req, registry: options.registry });
  return {
    templateKey: req.template,
    templateVersion: v.version,
    audience: content.audience,
    channels: content.channels,
    digest: content.digest === true,
    ...rendered,
    facts,
  };
}
