/**
 * The tenant's installed industry rule sets (internet-remote, manufacturing-seasonal, retail-stores, or
 * a tenant's own with an industry), evaluated by the operations that concern them: a hire (after the
 * enrollment rule set) and a move (a change of work city). The host computes the facts they declare
 * from the employee and the tenant's org units; each rule set gets only the facts it declares.
 */
import type { Knex } from "knex";
import type { PolicySet } from "../../policies/index";
import { AppError } from "../errors";
import type { AppContext } from "../http/context";
import type { Caller } from "./service";

type Row = Record<string, any>;

/** The city of the root org unit (no parent; the company first, then the oldest). */
export async function headquartersCity(db: Knex | Knex.Transaction, tenantId: string): Promise<string | null> {
  const root = await db("org_units")
    .where({ tenant_id: tenantId })
    .whereNull("parent_id")
    .orderByRaw("CASE WHEN type = 'company' THEN 0 ELSE 1 END")
    .orderBy("created_at")
    .first("city");
  return root?.city ?? null;
}

/** Every fact an industry rule set of Ordo's packs declares, for one employee and date. */
export async function industryFacts(
  trx: Knex.Transaction,
  tenantId: string,
  e: Row,
  effectiveDate: string,
): Promise<Record<string, unknown>> {
  const workCity: string = e.work_city ?? e.insured_city;
  const [unitInWorkCity, unit, hq] = await Promise.all([
    trx("org_units").where({ tenant_id: tenantId, city: workCity }).first("id"),
    e.org_unit_id ? trx("org_units").where({ tenant_id: tenantId, id: e.org_unit_id }).first("city") : undefined,
    headquartersCity(trx, tenantId),
  ]);
  return {
    employmentType: e.employment_type,
    employeeName: e.name,
    insuredCity: e.insured_city,
    workCity,
    headquartersCity: hq,
    hasUnitInWorkCity: !!unitInWorkCity,
    effectiveDate,
    hireDate: String(e.hire_date).slice(0, 10),
    // Ordo keeps no contract end: the planned leave date stands for it (seasonal and temporary contracts).
    contractEndDate: e.leave_date ? String(e.leave_date).slice(0, 10) : null,
    storeCity: unit?.city ?? e.insured_city,
  };
}

/** The published rule sets of the tenant that carry an industry, by key. */
export async function installedIndustryRuleSets(trx: Knex.Transaction, tenantId: string): Promise<string[]> {
  const rows = await trx("documents")
    .where({ tenant_id: tenantId, kind: "rule-set" })
    .whereNotNull("industry")
    .whereNotNull("latest_version")
    .orderBy("key")
    .select("key");
  return rows.map((r: { key: string }) => r.key);
}

/**
 * Applies each installed industry rule set in the operation's transaction; a rule set with no version in
 * force on `at` is skipped. Answers the decisions made, by rule set.
 */
export async function applyIndustryRuleSets(
  ctx: AppContext,
  trx: Knex.Transaction,
  caller: Caller,
  employeeId: string,
  input: { operation: string; at: string; effectiveDate: string; policy: PolicySet },
): Promise<{ ruleSet: string; version: number | "draft"; decisionId: string }[]> {
  const keys = await installedIndustryRuleSets(trx, caller.tenantId);
  if (!keys.length) return [];
  const out: { ruleSet: string; version: number | "draft"; decisionId: string }[] = [];
  for (const key of keys) {
    // Re-read each time: a rule set before may have changed the insured city.
    const e = await trx("employees").where({ tenant_id: caller.tenantId, id: employeeId }).first();
    const all = await industryFacts(trx, caller.tenantId, e, input.effectiveDate);
    let declared: string[];
    try {
      const r = await ctx.rules.resolve(trx, caller.tenantId, key, undefined, input.at);
      declared = Object.keys(r.content.facts ?? {});
    } catch (err) {
      if (err instanceof AppError && err.code === "NO_VERSION_IN_FORCE") continue;
      throw err;
    }
    const facts = Object.fromEntries(declared.filter((k) => k in all).map((k) => [k, all[k]]));
    const applied = await ctx.rules.apply(
      trx,
      caller.tenantId,
      key,
      { facts, at: input.at, operation: input.operation, employeeId, actorId: caller.actorId },
      { policy: input.policy },
    );
    out.push({ ruleSet: key, version: applied.version, decisionId: applied.decisionId });
  }
  return out;
}
