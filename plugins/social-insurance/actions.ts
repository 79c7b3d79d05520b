// Lifecycle actions. Enrollments are read and written through the host's services
// (`services.enrollments`, `services.employee`): the host answers from the database, or from the chunk of
// a batch upload it loaded, and stores the changes with the decision. Alerts and reminders are handed to
// the host's `raiseAlert` / `queueReminder`. Everything links to `services.decisionId`, so every
// enrollment, alert and reminder can answer "which rule, which version, which facts". Without the
// services (dry runs) an action writes nothing and says so.
import type { ActionContext, AlertInput, EnrollmentServices, ReminderInput } from "../../rules";
import { SOCIAL_INSURANCE_CODES } from "../../domain/index";
import { addDays, dueDateOf, fill, firstDay, isDate, lastDay, monthOf, monthParam, resolveParams } from "./params";

export const DEFAULT_INSURANCES: readonly string[] = SOCIAL_INSURANCE_CODES;

interface Scope {
  enrollments: EnrollmentServices;
  at: string;
}

function scopeOf(ctx: ActionContext): Scope | undefined {
  const s = ctx.services;
  if (!s.enrollments) return undefined;
  return { enrollments: s.enrollments, at: s.at ?? new Date().toISOString().slice(0, 10) };
}

const dry = { written: false, reason: "no host services (dry run)" };
type Event = { type: string; params?: Record<string, unknown> };

type CityPolicy = {
  has(table: string): boolean;
  lookup(table: string, key: Record<string, string>, date: string): { values: Record<string, unknown> } | undefined;
};

/**
 * A new enrollment's insurances: params.insurances; else work injury (工伤) alone for a temporary worker
 * where the city's policy allows covering them for it only (si-city-settings.temporaryWorkInjuryOnly on
 * the first day); else the five.
 */
function insurancesOf(p: Record<string, unknown>, ctx: ActionContext, city: string, from: string): readonly string[] {
  if (Array.isArray(p.insurances)) return p.insurances as string[];
  const policy = ctx.services.policy as CityPolicy | undefined;
  if (ctx.facts.employmentType === "temporary" && typeof policy?.has === "function" && policy.has("si-city-settings"))
    if (policy.lookup("si-city-settings", { city }, from)?.values.temporaryWorkInjuryOnly === true)
      return ["work_injury"];
  return DEFAULT_INSURANCES;
}

export async function createEnrollment(event: Event, ctx: ActionContext) {
  const s = scopeOf(ctx);
  if (!s) return dry;
  const p = resolveParams(event.params, ctx.facts);
  const from = firstDay(monthParam(p.fromMonth ?? p.from ?? ctx.facts.hireDate, p.offsetMonths, monthOf(s.at)));
  const existing = await s.enrollments.open(from);
  if (existing) return { written: false, reason: "already enrolled", enrollmentId: existing.id };
  const city = (p.city ?? ctx.facts.insuredCity) as string;
  const base = (p.base ?? ctx.facts.monthlyWage ?? null) as string | number | null;
  const id = await s.enrollments.create({
    insuredCity: city,
    insurances: [...insurancesOf(p, ctx, city, from)],
    base: base === null ? null : String(base),
    fromDate: from,
    toDate: null,
    status: (p.status as string | undefined) ?? "pending",
    reason: (p.reason as string | undefined) ?? "hire",
  });
  return { written: true, enrollmentId: id, from };
}

export async function endEnrollment(event: Event, ctx: ActionContext) {
  const s = scopeOf(ctx);
  if (!s) return dry;
  const p = resolveParams(event.params, ctx.facts);
  const given = p.to ?? p.toDate ?? ctx.facts.leaveDate;
  // Contributions run through the month of the last working day: the enrollment ends with that month.
  const to = isDate(given) ? (p.endOfMonth === false ? given : lastDay(monthOf(given))) : lastDay(monthOf(s.at));
  const open = await s.enrollments.open(firstDay(monthOf(to)));
  if (!open) return { written: false, reason: "no open enrollment" };
  await s.enrollments.update(open.id, {
    toDate: to,
    status: "ended",
    reason: (p.reason as string | undefined) ?? "leave",
    linkDecision: true,
  });
  return { written: true, enrollmentId: open.id, to };
}

/** A new base from a month on: the open period ends the month before, a new period carries the base. */
export async function adjustBase(event: Event, ctx: ActionContext) {
  const s = scopeOf(ctx);
  if (!s) return dry;
  const p = resolveParams(event.params, ctx.facts);
  const base = String(p.base ?? ctx.facts.monthlyWage ?? ctx.facts.wage);
  const fromMonth = monthParam(p.fromMonth ?? ctx.facts.effectiveMonth, p.offsetMonths, monthOf(s.at));
  const from = firstDay(fromMonth);
  const open = await s.enrollments.open(from);
  if (!open) return { written: false, reason: "no open enrollment" };
  if (open.fromDate >= from) {
    await s.enrollments.update(open.id, { base, linkDecision: true });
    return { written: true, enrollmentId: open.id, from, base };
  }
  await s.enrollments.update(open.id, { toDate: addDays(from, -1), status: "ended", reason: "base-adjusted" });
  const id = await s.enrollments.create({
    insuredCity: open.insuredCity,
    insurances: open.insurances,
    base,
    fromDate: from,
    toDate: open.toDate,
    status: open.status,
    reason: (p.reason as string | undefined) ?? "wage-change",
  });
  return { written: true, enrollmentId: id, previousEnrollmentId: open.id, from, base };
}

const SEVERITIES = new Set(["info", "warning", "critical"]);

/** The alert a raise-alert event describes: params resolved against the facts, the message filled in. */
export function alertOf(
  params: Record<string, unknown> | undefined,
  facts: Readonly<Record<string, unknown>>,
  at: string,
): AlertInput {
  const p = resolveParams(params, facts);
  const type = String(p.type ?? "alert");
  const dueDate = dueDateOf(p, at);
  const values = { ...facts, ...p, dueDate };
  const severity = typeof p.severity === "string" && SEVERITIES.has(p.severity) ? p.severity : "warning";
  return {
    type,
    severity: severity as AlertInput["severity"],
    message: fill(String(p.message ?? type), values),
    dueDate,
    // The values the message names are kept as params, so the host renders it in the reader's language.
    data: { ...messageParams(String(p.message ?? ""), values), ...((p.data ?? {}) as Record<string, unknown>) },
    // Absent: the host's default key (type, employee, due date) applies.
    ...(p.dedupe === false ? { dedupeKey: null } : p.dedupeKey ? { dedupeKey: fill(String(p.dedupeKey), values) } : {}),
  };
}

/** The primitive values a message template's placeholders name (and the due date). */
function messageParams(template: string, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
    const v = values[name!];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[name!] = v;
  }
  if (typeof values.dueDate === "string") out.dueDate = values.dueDate;
  return out;
}

/**
 * Resolves the employee's open alerts of a type: the rule set says the situation that raised them is over
 * (e.g. a remote employee now insured where a local entity employs them). `reason` goes into each alert's
 * history (default: the alert type's own resolution by the rule set).
 */
export async function resolveAlert(event: Event, ctx: ActionContext) {
  const resolve = ctx.services.resolveAlerts;
  if (!resolve) return dry;
  const p = resolveParams(event.params, ctx.facts);
  if (typeof p.type !== "string" || !p.type) return { written: false, reason: "params.type is required" };
  const reason = typeof p.reason === "string" && p.reason ? fill(p.reason, { ...ctx.facts, ...p }) : "rule-set";
  return resolve({ type: p.type }, reason);
}

export async function raiseAlert(event: Event, ctx: ActionContext) {
  const raise = ctx.services.raiseAlert;
  if (!raise) return dry;
  const at = ctx.services.at ?? new Date().toISOString().slice(0, 10);
  const alert = alertOf(event.params, ctx.facts, at);
  const raised = await raise(alert);
  const template = event.params?.template;
  if (typeof template !== "string" || !ctx.services.queueReminder) return raised;
  // An alert naming a template is also a notification (HR's, unless the template says otherwise), once
  // per alert: the period is the alert's dedupe key.
  const notice = await ctx.services.queueReminder({
    recipient: "hr",
    template,
    payload: { ...(alert.data ?? {}), alertType: alert.type, message: alert.message, dueDate: alert.dueDate ?? null },
    dueDate: alert.dueDate ?? null,
    period: `alert:${raised.dedupeKey ?? `${alert.type}:${alert.dueDate ?? at}`}`,
  });
  return { ...raised, notification: notice };
}

export async function queueReminder(event: Event, ctx: ActionContext) {
  const queue = ctx.services.queueReminder;
  if (!queue) return dry;
  const at = ctx.services.at ?? new Date().toISOString().slice(0, 10);
  const p = resolveParams(event.params, ctx.facts);
  const dueDate = dueDateOf(p, at);
  const month = typeof ctx.facts.month === "string" ? ctx.facts.month : undefined;
  const reminder: ReminderInput = {
    recipient: p.recipient === "employee" ? "employee" : "hr",
    // Absent: every channel of the template.
    ...(typeof p.channel === "string" ? { channel: p.channel } : {}),
    template: String(p.template ?? "generic"),
    payload: (p.payload ?? {}) as Record<string, unknown>,
    dueDate,
    // Queued once per period: the given one, the run's month, the due date, or the day.
    // `{name}` placeholders are filled from the facts and params ("{month}:{city}" for a city's notice).
    period: p.period !== undefined ? fill(String(p.period), { ...ctx.facts, ...p }) : String(month ?? dueDate ?? at),
    ...(typeof p.locale === "string" ? { locale: p.locale } : {}),
    ...(p.digest === true ? { digest: true } : {}),
    ...(isDate(p.sendOn) ? { sendOn: p.sendOn as string } : {}),
  };
  return { ...(await queue(reminder)), recipient: reminder.recipient };
}

/**
 * The insured city a rule decided (remote staff): the employee's insured city changes, and so does the
 * open enrollment: one starting in or after the month of `from` (a hire's own) moves to the city; an
 * earlier one ends the month before and a new period in the city carries its base and insurances.
 */
export async function setInsuredCity(event: Event, ctx: ActionContext) {
  const s = scopeOf(ctx);
  const people = ctx.services.employee;
  if (!s || !people) return dry;
  const p = resolveParams(event.params, ctx.facts);
  const city = String(p.city ?? "");
  if (!/^\d{6}$/.test(city)) return { written: false, reason: "no city" };
  const from = firstDay(monthParam(p.from ?? ctx.facts.hireDate, undefined, monthOf(s.at)));
  const employee = await people.get();
  if (!employee) return { written: false, reason: "no employee" };
  if (employee.insuredCity !== city) await people.setInsuredCity(city);
  const open = await s.enrollments.open(from);
  if (!open || open.insuredCity === city)
    return employee.insuredCity === city
      ? { written: false, reason: "unchanged", city }
      : { written: true, city, previousCity: employee.insuredCity };
  if (open.fromDate >= from) {
    await s.enrollments.update(open.id, { insuredCity: city });
    return { written: true, city, previousCity: open.insuredCity, enrollmentId: open.id };
  }
  await s.enrollments.update(open.id, { toDate: addDays(from, -1), status: "ended", reason: "move" });
  const id = await s.enrollments.create({
    insuredCity: city,
    insurances: open.insurances,
    base: open.base,
    fromDate: from,
    toDate: null,
    status: "pending",
    reason: (p.reason as string | undefined) ?? "move",
  });
  return { written: true, city, previousCity: open.insuredCity, enrollmentId: id, previousEnrollmentId: open.id };
}
