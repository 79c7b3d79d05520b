/**
 * Wage history: every change of an employee's wage with the month it takes effect. The base declaration
 * and the monthly run's 错缴 check read an employee's wage for a month from it.
 */
import type { Knex } from "knex";
import Decimal from "decimal.js";

type Row = Record<string, any>;

export interface WageChange {
  effectiveMonth: string;
  wage: string;
  previousWage: string | null;
  /** Insertion order among changes of the same month (the later one wins). */
  createdAt: string;
}

export const thisMonth = () => new Date().toISOString().slice(0, 7);

export async function recordWageChange(
  trx: Knex,
  tenantId: string,
  change: {
    employeeId: string;
    effectiveMonth: string;
    wage: string;
    previousWage: string | null;
    source: string;
    reason?: string;
  },
): Promise<void> {
  await trx("wage_changes").insert({
    tenant_id: tenantId,
    employee_id: change.employeeId,
    effective_month: change.effectiveMonth,
    wage: new Decimal(change.wage).toFixed(2),
    previous_wage: change.previousWage === null ? null : new Decimal(change.previousWage).toFixed(2),
    source: change.source,
    reason: change.reason ?? null,
  });
}

/**
 * The employees' PUT/POST hook: a new employee's wage is history from the hire month; a changed
 * monthlyWage from the current month (the wage-change operation names its own effective month).
 */
export async function employeeWritten(trx: Knex, tenantId: string, before: Row | null, after: Row): Promise<void> {
  if (typeof after.monthlyWage !== "string") return;
  if (!before) {
    const hire = typeof after.hireDate === "string" ? after.hireDate.slice(0, 7) : thisMonth();
    await recordWageChange(trx, tenantId, {
      employeeId: after.id as string,
      effectiveMonth: hire,
      wage: after.monthlyWage,
      previousWage: null,
      source: "hire",
    });
    return;
  }
  if (before.monthlyWage === null || new Decimal(before.monthlyWage).eq(after.monthlyWage)) return;
  await recordWageChange(trx, tenantId, {
    employeeId: after.id as string,
    effectiveMonth: thisMonth(),
    wage: after.monthlyWage,
    previousWage: before.monthlyWage,
    source: "edit",
  });
}

/** Each employee's changes, oldest first (one query for a whole chunk of employees). */
export async function wageHistories(db: Knex, tenantId: string, ids: string[]): Promise<Map<string, WageChange[]>> {
  const out = new Map<string, WageChange[]>();
  if (!ids.length) return out;
  const rows: Row[] = await db("wage_changes")
    .where({ tenant_id: tenantId })
    .whereIn("employee_id", ids)
    .orderBy([{ column: "effective_month" }, { column: "created_at" }, { column: "id" }])
    .select("employee_id", "effective_month", "wage", "previous_wage", "created_at");
  for (const r of rows) {
    const list = out.get(r.employee_id) ?? out.set(r.employee_id, []).get(r.employee_id)!;
    list.push({
      effectiveMonth: r.effective_month,
      wage: String(r.wage),
      previousWage: r.previous_wage === null ? null : String(r.previous_wage),
      createdAt: String(r.created_at),
    });
  }
  return out;
}
