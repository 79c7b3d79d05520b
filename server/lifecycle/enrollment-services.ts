/**
 * The enrollment and employee services actions write through (`HostServices.enrollments` / `.employee`),
 * answered from the database: each call one statement in the decision's transaction. A batch upload
 * answers the same calls from the chunk it loaded (server/lifecycle/unit.ts).
 */
import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import type { EmployeeServices, EnrollmentPatch, EnrollmentRecord, EnrollmentServices } from "../../rules/index";

type Row = Record<string, any>;

export const OPEN_STATUSES = ["pending", "active"] as const;

/** A row of the enrollments table as an action sees it. */
export function enrollmentRecord(r: Row): EnrollmentRecord {
  return {
    id: r.id,
    employeeId: r.employee_id,
    insuredCity: r.insured_city,
    insurances: Array.isArray(r.insurances) ? r.insurances : JSON.parse(r.insurances ?? "[]"),
    base: r.base ?? null,
    fromDate: String(r.from_date).slice(0, 10),
    toDate: r.to_date ? String(r.to_date).slice(0, 10) : null,
    status: r.status,
    reason: r.reason ?? null,
  };
}

/** The columns a patch changes (`decision_id` when it links the decision). */
export function patchColumns(patch: EnrollmentPatch, decisionId: string): Row {
  const out: Row = {};
  if (patch.insuredCity !== undefined) out.insured_city = patch.insuredCity;
  if (patch.base !== undefined) out.base = patch.base;
  if (patch.toDate !== undefined) out.to_date = patch.toDate;
  if (patch.status !== undefined) out.status = patch.status;
  if (patch.reason !== undefined) out.reason = patch.reason;
  if (patch.linkDecision) out.decision_id = decisionId;
  return out;
}

/** Open: pending or active, with no end or ending on or after `date`. */
export const isOpenOn = (r: Row, date: string) =>
  (OPEN_STATUSES as readonly string[]).includes(r.status) && (!r.to_date || String(r.to_date).slice(0, 10) >= date);

interface Scope {
  trx: Knex.Transaction;
  tenantId: string;
  employeeId: string | null;
  decisionId: string;
}

export function sqlEnrollmentServices(s: Scope): EnrollmentServices {
  return {
    async open(date) {
      const row = await s
        .trx("enrollments")
        .where({ tenant_id: s.tenantId, employee_id: s.employeeId })
        .whereIn("status", [...OPEN_STATUSES])
        .andWhere((q) => q.whereNull("to_date").orWhere("to_date", ">=", date))
        .orderBy("from_date", "desc")
        .first();
      return row ? enrollmentRecord(row) : undefined;
    },
    async create(e) {
      const id = randomUUID();
      await s.trx("enrollments").insert({
        tenant_id: s.tenantId,
        id,
        employee_id: s.employeeId,
        insured_city: e.insuredCity,
        insurances: JSON.stringify(e.insurances),
        base: e.base,
        from_date: e.fromDate,
        to_date: e.toDate,
        status: e.status,
        reason: e.reason,
        decision_id: s.decisionId,
      });
      return id;
    },
    async update(id, patch) {
      await s
        .trx("enrollments")
        .where({ tenant_id: s.tenantId, id })
        .update({ ...patchColumns(patch, s.decisionId), updated_at: s.trx.fn.now() });
    },
  };
}

export function sqlEmployeeServices(s: Scope): EmployeeServices {
  return {
    async get() {
      if (!s.employeeId) return undefined;
      const e = await s
        .trx("employees")
        .where({ tenant_id: s.tenantId, id: s.employeeId })
        .first("id", "insured_city", "employment_type");
      return e ? { id: e.id, insuredCity: e.insured_city, employmentType: e.employment_type } : undefined;
    },
    async setInsuredCity(city) {
      await s
        .trx("employees")
        .where({ tenant_id: s.tenantId, id: s.employeeId })
        .update({ insured_city: city, updated_at: s.trx.fn.now() });
    },
  };
}
