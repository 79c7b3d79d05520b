// Lifecycle actions. Enrollments are written through the host's transaction (`services.trx`, a knex
// transaction in Ordo), scoped to the tenant and the employee of the operation; alerts and reminders
// are handed to the host's `raiseAlert` / `queueReminder`, which store them (at once, or batched per
// chunk in a monthly run). Everything links to `services.decisionId`, so every enrollment, alert and
// reminder can answer "which rule, which version, which facts". Without the services (dry runs) an
// action writes nothing and says so.
import type { Knex } from "knex";
import type { ActionContext, AlertInput, ReminderInput } from "../../rules";
import { SOCIAL_INSURANCE_CODES } from "../../domain/index";
import { addDays, dueDateOf, fill, firstDay, isDate, lastDay, monthOf, monthParam, resolveParams } from "./params";

export const DEFAULT_INSURANCES: readonly string[] = SOCIAL_INSURANCE_CODES;

interface Scope {
  trx: Knex.Transaction;
  tenantId: string;
  employeeId: string | null;
  decisionId: string | null;
  at: string;
}

function scopeOf(ctx: ActionContext): Scope | undefined {
  const s = ctx.services;
  const trx = s.trx as Knex.Transaction | undefined;
  if (!trx) return undefined;
  return {
    trx,
    tenantId: s.tenantId ?? ctx.tenantId,
    employeeId: s.employeeId ?? null,
    decisionId: s.decisionId ?? null,
    at: s.at ?? new Date().toISOString().slice(0, 10),
  };
}

const dry = { written: false, reason: "no host services (dry run)" };
type Event = { type: string; params?: Record<string, unknown> };

/** The open enrollment (no end, or ending on/after `date`), newest first. */
const openEnrollment = (s: Scope, date: string) =>
  s
    .trx("enrollments")
    .where({ tenant_id: s.tenantId, employee_id: s.employeeId })
    .whereIn("status", ["pending", "active"])
    .andWhere((q) => q.whereNull("to_date").orWhere("to_date", ">=", date))
    .orderBy("from_date", "desc")
    .first();

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
  const existing = await openEnrollment(s, from);
  if (existing) return { written: false, reason: "already enrolled", enrollmentId: existing.id };
  const city = (p.city ?? ctx.facts.insuredCity) as string;
  const [row] = await s
    .trx("enrollments")
    .insert({
      tenant_id: s.tenantId,
      employee_id: s.employeeId,
      insured_city: city,
      insurances: JSON.stringify(insurancesOf(p, ctx, city, from)),
      base: (p.base ?? ctx.facts.monthlyWage ?? null) as string | null,
      from_date: from,
      to_date: null,
      status: (p.status as string | undefined) ?? "pending",
      reason: (p.reason as string | undefined) ?? "hire",
      decision_id: s.decisionId,
    })
    .returning("id");
  return { written: true, enrollmentId: row.id, from };
}

export async function endEnrollment(event: Event, ctx: ActionContext) {
  const s = scopeOf(ctx);
  if (!s) return dry;
  const p = resolveParams(event.params, ctx.facts);
  const given = p.to ?? p.toDate ?? ctx.facts.leaveDate;
  // Contributions run through the month of the last working day: the enrollment ends with that month.
  const to = isDate(given) ? (p.endOfMonth === false ? given : lastDay(monthOf(given))) : lastDay(monthOf(s.at));
  const open = await openEnrollment(s, firstDay(monthOf(to)));
  if (!open) return { written: false, reason: "no open enrollment" };
  await s
    .trx("enrollments")
    .where({ tenant_id: s.tenantId, id: open.id })
    .update({
      to_date: to,
      status: "ended",
      reason: (p.reason as string | undefined) ?? "leave",
      decision_id: s.decisionId,
      updated_at: s.trx.fn.now(),
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
  const open = await openEnrollment(s, from);
  if (!open) return { written: false, reason: "no open enrollment" };
  if (open.from_date >= from) {
    await s
      .trx("enrollments")
      .where({ tenant_id: s.tenantId, id: open.id })
      .update({ base, decision_id: s.decisionId, updated_at: s.trx.fn.now() });
    return { written: true, enrollmentId: open.id, from, base };
  }
  await s
    .trx("enrollments")
    .where({ tenant_id: s.tenantId, id: open.id })
    .update({ to_date: addDays(from, -1), status: "ended", reason: "base-adjusted", updated_at: s.trx.fn.now() });
  const [row] = await s
    .trx("enrollments")
    .insert({
      tenant_id: s.tenantId,
      employee_id: open.employee_id,
      insured_city: open.insured_city,
      insurances: JSON.stringify(open.insurances),
      base,
      from_date: from,
      to_date: open.to_date,
      status: open.status,
      reason: (p.reason as string | undefined) ?? "wage-change",
      decision_id: s.decisionId,
    })
    .returning("id");
  return { written: true, enrollmentId: row.id, previousEnrollmentId: open.id, from, base };
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
  if (!s) return dry;
  const p = resolveParams(event.params, ctx.facts);
  const city = String(p.city ?? "");
  if (!/^\d{6}$/.test(city)) return { written: false, reason: "no city" };
  const from = firstDay(monthParam(p.from ?? ctx.facts.hireDate, undefined, monthOf(s.at)));
  const employee = await s.trx("employees").where({ tenant_id: s.tenantId, id: s.employeeId }).first();
  if (!employee) return { written: false, reason: "no employee" };
  if (employee.insured_city !== city)
    await s
      .trx("employees")
      .where({ tenant_id: s.tenantId, id: s.employeeId })
      .update({ insured_city: city, updated_at: s.trx.fn.now() });
  const open = await openEnrollment(s, from);
  if (!open || open.insured_city === city)
    return employee.insured_city === city
      ? { written: false, reason: "unchanged", city }
      : { written: true, city, previousCity: employee.insured_city };
  if (String(open.from_date) >= from) {
    await s
      .trx("enrollments")
      .where({ tenant_id: s.tenantId, id: open.id })
      .update({ insured_city: city, updated_at: s.trx.fn.now() });
    return { written: true, city, previousCity: open.insured_city, enrollmentId: open.id };
  }
  await s
    .trx("enrollments")
    .where({ tenant_id: s.tenantId, id: open.id })
    .update({ to_date: addDays(from, -1), status: "ended", reason: "move", updated_at: s.trx.fn.now() });
  const [row] = await s
    .trx("enrollments")
    .insert({
      tenant_id: s.tenantId,
      employee_id: open.employee_id,
      insured_city: city,
      insurances: JSON.stringify(open.insurances),
      base: open.base,
      from_date: from,
      to_date: null,
      status: "pending",
      reason: (p.reason as string | undefined) ?? "move",
      decision_id: s.decisionId,
    })
    .returning("id");
  return { written: true, city, previousCity: open.insured_city, enrollmentId: row.id, previousEnrollmentId: open.id };
}
