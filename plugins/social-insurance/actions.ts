// Lifecycle actions. Each writes through the host's transaction (`services.trx`), scoped to the
// tenant and the employee of the operation, and links what it writes to `services.decisionId`, so
// every enrollment, alert and reminder can answer "which rule, which version, which facts".
// Without a transaction (dry runs) an action writes nothing and says so.
import type { Knex } from "knex";
import type { ActionContext } from "../../rules";
import { addDays, dueDateOf, fill, firstDay, isDate, lastDay, monthOf, monthParam, resolveParams } from "./params";

export const DEFAULT_INSURANCES = ["pension", "medical", "unemployment", "work_injury", "maternity"];

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
    tenantId: (s.tenantId as string | undefined) ?? ctx.tenantId,
    employeeId: (s.employeeId as string | null | undefined) ?? null,
    decisionId: (s.decisionId as string | null | undefined) ?? null,
    at: (s.at as string | undefined) ?? new Date().toISOString().slice(0, 10),
  };
}

const dry = { written: false, reason: "no transaction service (dry run)" };
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

export async function createEnrollment(event: Event, ctx: ActionContext) {
  const s = scopeOf(ctx);
  if (!s) return dry;
  const p = resolveParams(event.params, ctx.facts);
  const from = firstDay(monthParam(p.fromMonth ?? p.from ?? ctx.facts.hireDate, p.offsetMonths, monthOf(s.at)));
  const existing = await openEnrollment(s, from);
  if (existing) return { written: false, reason: "already enrolled", enrollmentId: existing.id };
  const [row] = await s
    .trx("enrollments")
    .insert({
      tenant_id: s.tenantId,
      employee_id: s.employeeId,
      insured_city: (p.city ?? ctx.facts.insuredCity) as string,
      insurances: JSON.stringify(Array.isArray(p.insurances) ? p.insurances : DEFAULT_INSURANCES),
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

/** An alert row (without tenant and ids) from a raise-alert event: shared with bulk runs, which insert many at once. */
export function alertFromEvent(
  params: Record<string, unknown> | undefined,
  facts: Readonly<Record<string, unknown>>,
  at: string,
  employeeId: string | null,
) {
  const p = resolveParams(params, facts);
  const type = String(p.type ?? "alert");
  const dueDate = dueDateOf(p, at);
  const values = { ...facts, ...p, dueDate };
  const dedupeKey =
    p.dedupe === false
      ? null
      : p.dedupeKey
        ? fill(String(p.dedupeKey), values)
        : `${type}:${employeeId ?? "-"}:${dueDate ?? at}`;
  return {
    type,
    severity: (p.severity as string | undefined) ?? "warning",
    employee_id: employeeId,
    due_date: dueDate,
    message: fill(String(p.message ?? type), values),
    data: JSON.stringify(p.data ?? {}),
    dedupe_key: dedupeKey,
  };
}

export async function raiseAlert(event: Event, ctx: ActionContext) {
  const s = scopeOf(ctx);
  if (!s) return dry;
  const row = alertFromEvent(event.params, ctx.facts, s.at, s.employeeId);
  const inserted = await s
    .trx("alerts")
    .insert({ tenant_id: s.tenantId, ...row, decision_id: s.decisionId })
    .onConflict(["tenant_id", "dedupe_key"])
    .ignore()
    .returning("id");
  return inserted.length
    ? { written: true, alertId: inserted[0].id, dedupeKey: row.dedupe_key }
    : { written: false, reason: "duplicate", dedupeKey: row.dedupe_key };
}

export async function queueReminder(event: Event, ctx: ActionContext) {
  const s = scopeOf(ctx);
  if (!s) return dry;
  const p = resolveParams(event.params, ctx.facts);
  const recipient = p.recipient === "employee" ? "employee" : "hr";
  const [row] = await s
    .trx("reminders")
    .insert({
      tenant_id: s.tenantId,
      employee_id: s.employeeId,
      channel: (p.channel as string | undefined) ?? "in_app",
      recipient,
      template: String(p.template ?? "generic"),
      payload: JSON.stringify(p.payload ?? {}),
      status: "queued",
      due_date: dueDateOf(p, s.at),
      decision_id: s.decisionId,
    })
    .returning("id");
  return { written: true, reminderId: row.id, recipient };
}
