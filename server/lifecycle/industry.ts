/**
 * The tenant's installed industry rule sets (internet-remote, manufacturing-seasonal, retail-stores, or
 * a tenant's own with an industry), evaluated by the operations that concern them: a hire (after the
 * enrollment rule set) and a move (a change of work city). The host computes the facts they declare
 * from the employee and the tenant's org units; each rule set gets only the facts it declares.
 */
import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import type { AppContext } from "../http/context";
import type { Caller } from "./service";
import type { LifecycleUnit } from "./unit";

type Row = Record<string, any>;

/** The city of the root org unit (no parent; the company first, then the oldest). */
export function headquartersCity(units: Row[]): string | null {
  const roots = units.filter((u) => !u.parent_id);
  return (roots.find((u) => u.type === "company") ?? roots[0])?.city ?? null;
}

function contractEnd(e: Row): string | null {
  const custom = (typeof e.custom === "string" ? JSON.parse(e.custom) : e.custom) ?? {};
  const v = custom.contractEndDate ?? e.leave_date;
  return v ? String(v instanceof Date ? v.toISOString() : v).slice(0, 10) : null;
}

/** Every fact an industry rule set of Ordo's packs declares, for one employee and date. */
export function industryFacts(units: Row[], e: Row, effectiveDate: string): Record<string, unknown> {
  const workCity: string = e.work_city ?? e.insured_city;
  const unit = e.org_unit_id ? units.find((u) => u.id === e.org_unit_id) : undefined;
  return {
    employmentType: e.employment_type,
    employeeName: e.name,
    insuredCity: e.insured_city,
    workCity,
    headquartersCity: headquartersCity(units),
    hasUnitInWorkCity: units.some((u) => u.city === workCity),
    effectiveDate,
    hireDate: String(e.hire_date).slice(0, 10),
    // The contract end of a seasonal or temporary worker: the custom field the manufacturing pack ships
    // (合同到期日) where HR filled it in, else the planned leave date.
    contractEndDate: contractEnd(e),
    storeCity: unit?.city ?? e.insured_city,
  };
}

/**
 * Applies each installed industry rule set to an employee of the unit; a rule set with no version in
 * force on `at` is skipped. Answers the decisions made, by rule set.
 */
export async function applyIndustryRuleSets(
  ctx: AppContext,
  unit: LifecycleUnit,
  caller: Caller,
  employeeId: string,
  input: { operation: string; at: string; effectiveDate: string },
): Promise<{ ruleSet: string; version: number | "draft"; decisionId: string }[]> {
  const keys = await unit.shared.industryRuleSets(unit.trx);
  if (!keys.length) return [];
  const units = await unit.shared.orgUnits(unit.trx);
  const out: { ruleSet: string; version: number | "draft"; decisionId: string }[] = [];
  for (const key of keys) {
    let r: Awaited<ReturnType<typeof unit.shared.resolve>>;
    try {
      r = await unit.shared.resolve(unit.trx, key, input.at);
    } catch (err) {
      if (err instanceof AppError && err.code === "NO_VERSION_IN_FORCE") continue;
      throw err;
    }
    // The employee as the rule sets before left it (one may have changed the insured city).
    const all = industryFacts(units, unit.employee(employeeId), input.effectiveDate);
    const facts = Object.fromEntries(
      Object.keys(r.content.facts ?? {})
        .filter((k) => k in all)
        .map((k) => [k, all[k]]),
    );
    const decisionId = randomUUID();
    const services = unit.services({
      trx: unit.trx,
      tenantId: caller.tenantId,
      employeeId,
      at: input.at,
      policy: unit.policy,
      decisionId,
      operation: input.operation,
      actorId: caller.actorId,
    });
    const decided = await ctx.rules.decide(
      caller.tenantId,
      r,
      { facts, at: input.at, operation: input.operation, employeeId, actorId: caller.actorId },
      decisionId,
      services,
    );
    unit.decision(decided.row);
    out.push({ ruleSet: key, version: r.version, decisionId });
  }
  return out;
}
