/**
 * The annual base declaration (年度调基): HR creates one for (city, base year), Ordo computes every
 * employee's line as a draft, HR edits single bases (a reason each) and confirms. A confirmed
 * declaration is immutable and its bases drive the ledger for the months of its base year.
 */
import type { Knex } from "knex";
import Decimal from "decimal.js";
import { firstDay, lastDay } from "../../policies/index";
import { fail } from "../errors";
import { isUuid } from "../http/formats";
import { loadPolicySet } from "../policy-tables/policy-set";
import { baseYearMonths, clampBases, declaredWage } from "./compute";
import { wageHistories } from "./wage-history";

type Row = Record<string, any>;
const CHUNK = 2000;

export interface Actor {
  tenantId: string;
  actorId: string | null;
}

export const declarationView = (r: Row) => ({
  id: r.id,
  city: r.city,
  baseYear: r.base_year,
  startMonth: r.start_month,
  endMonth: r.end_month,
  status: r.status,
  employees: r.employees,
  createdBy: r.created_by ?? null,
  confirmedBy: r.confirmed_by ?? null,
  confirmedAt: r.confirmed_at ?? null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const lineView = (r: Row) => ({
  id: r.id,
  declarationId: r.declaration_id,
  employeeId: r.employee_id,
  method: r.method,
  months: r.months,
  computedWage: String(r.computed_wage),
  base: String(r.base),
  bases: r.bases,
  reason: r.reason ?? null,
  editedBy: r.edited_by ?? null,
  editedAt: r.edited_at ?? null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const notFound = (resource: string, id: string) => fail("NOT_FOUND", { resource, id }, { details: { resource, id } });

async function lockDraft(trx: Knex.Transaction, tenantId: string, id: string): Promise<Row> {
  const row = isUuid(id)
    ? await trx("base_declarations").where({ tenant_id: tenantId, id }).forUpdate().first()
    : undefined;
  if (!row) throw notFound("base-declarations", id);
  if (row.status === "confirmed")
    throw fail(
      "BASE_DECLARATION_CONFIRMED",
      { city: row.city, baseYear: row.base_year },
      { details: { id, status: row.status } },
    );
  return row;
}

export async function createDeclaration(db: Knex, actor: Actor, body: { city: string; baseYear: number }) {
  const { tenantId } = actor;
  const policy = await loadPolicySet(db, tenantId);
  const { start, end } = baseYearMonths(policy, body.city, body.baseYear);
  const previousYear = Number(start.slice(0, 4)) - 1;
  const exists = () =>
    fail(
      "BASE_DECLARATION_EXISTS",
      { city: body.city, baseYear: body.baseYear },
      { details: { field: "baseYear" }, errors: { baseYear: "already declared for this city" } },
    );
  return db.transaction(async (trx) => {
    const [decl] = await trx("base_declarations")
      .insert({
        tenant_id: tenantId,
        city: body.city,
        base_year: body.baseYear,
        start_month: start,
        end_month: end,
        status: "draft",
        created_by: actor.actorId,
      })
      .onConflict(["tenant_id", "city", "base_year"])
      .ignore()
      .returning("*");
    if (!decl) throw exists();
    const employees: Row[] = await trx("employees")
      .where({ tenant_id: tenantId, insured_city: body.city })
      .andWhere("hire_date", "<=", lastDay(end))
      .andWhere((q) => q.whereNull("leave_date").orWhere("leave_date", ">=", firstDay(start)))
      .orderBy("id")
      .select("id", "hire_date", "leave_date", "monthly_wage");
    for (let i = 0; i < employees.length; i += CHUNK) {
      const chunk = employees.slice(i, i + CHUNK);
      const histories = await wageHistories(
        trx,
        tenantId,
        chunk.map((e) => e.id),
      );
      const lines = chunk.map((e) => {
        const d = declaredWage(
          histories.get(e.id) ?? [],
          { hireDate: e.hire_date, leaveDate: e.leave_date ?? null, currentWage: String(e.monthly_wage) },
          previousYear,
        );
        return {
          tenant_id: tenantId,
          declaration_id: decl.id,
          employee_id: e.id,
          method: d.method,
          months: d.months,
          computed_wage: d.wage,
          base: d.wage,
          bases: JSON.stringify(clampBases(policy, body.city, start, d.wage)),
        };
      });
      for (let j = 0; j < lines.length; j += 500) await trx("base_declaration_lines").insert(lines.slice(j, j + 500));
    }
    const [updated] = await trx("base_declarations")
      .where({ tenant_id: tenantId, id: decl.id })
      .update({ employees: employees.length })
      .returning("*");
    return declarationView(updated);
  });
}

export async function editLine(
  db: Knex,
  actor: Actor,
  declarationId: string,
  lineId: string,
  body: { base: string | number; reason: string },
) {
  const reason = body.reason.trim();
  if (!reason)
    throw fail(
      "REASON_REQUIRED",
      { field: "reason" },
      { details: { field: "reason" }, errors: { reason: "is required when a base is edited" } },
    );
  const base = new Decimal(body.base).toFixed(2);
  const policy = await loadPolicySet(db, actor.tenantId);
  return db.transaction(async (trx) => {
    const decl = await lockDraft(trx, actor.tenantId, declarationId);
    const line = isUuid(lineId)
      ? await trx("base_declaration_lines")
          .where({ tenant_id: actor.tenantId, declaration_id: decl.id, id: lineId })
          .first()
      : undefined;
    if (!line) throw notFound("base-declaration-lines", lineId);
    const [updated] = await trx("base_declaration_lines")
      .where({ tenant_id: actor.tenantId, id: line.id })
      .update({
        base,
        bases: JSON.stringify(clampBases(policy, decl.city, decl.start_month, base)),
        reason,
        edited_by: actor.actorId,
        edited_at: trx.fn.now(),
        updated_at: trx.fn.now(),
      })
      .returning("*");
    return lineView(updated);
  });
}

export async function confirmDeclaration(db: Knex, actor: Actor, id: string) {
  return db.transaction(async (trx) => {
    await lockDraft(trx, actor.tenantId, id);
    const [updated] = await trx("base_declarations")
      .where({ tenant_id: actor.tenantId, id })
      .update({
        status: "confirmed",
        confirmed_by: actor.actorId,
        confirmed_at: trx.fn.now(),
        updated_at: trx.fn.now(),
      })
      .returning("*");
    return declarationView(updated);
  });
}

/**
 * The confirmed declared wage for `month` by `${employeeId}|${city}` (the declaration of that city whose
 * base year holds the month).
 */
export async function confirmedBases(
  db: Knex,
  tenantId: string,
  month: string,
  ids: string[],
): Promise<Map<string, string>> {
  const rows: Row[] = ids.length
    ? await db("base_declaration_lines as l")
        .join("base_declarations as d", function () {
          this.on("d.tenant_id", "l.tenant_id").andOn("d.id", "l.declaration_id");
        })
        .where({ "l.tenant_id": tenantId, "d.status": "confirmed" })
        .andWhere("d.start_month", "<=", month)
        .andWhere("d.end_month", ">=", month)
        .whereIn("l.employee_id", ids)
        .select("l.employee_id", "d.city", "l.base")
    : [];
  return new Map(rows.map((r) => [`${r.employee_id}|${r.city}`, String(r.base)]));
}
