/**
 * Entries that say why: a lifecycle operation's (the employee before / after, linked to the decision its
 * rule set stored) and a monthly run's (one per decision recorded for an employee, and one for the run).
 */
import type { Knex } from "knex";
import { appendAudit, audit } from "./log";

type Row = Record<string, any>;
const HIDDEN = new Set(["tenant_id", "search", "created_at", "updated_at"]);
const visible = (row: Row) => Object.fromEntries(Object.entries(row).filter(([k]) => !HIDDEN.has(k)));

/** After a hire, wage change or leave: what changed on the employee, and the decision behind it. */
export async function auditLifecycle(
  trx: Knex,
  tenantId: string,
  before: Row,
  operation: string,
  decisionId: string | null,
): Promise<void> {
  const after = await trx("employees").where({ tenant_id: tenantId, id: before.id }).first();
  await audit(trx, tenantId, {
    resource: "employees",
    resourceId: before.id,
    operation,
    before: visible(before),
    after: visible(after ?? {}),
    decisionId,
  });
}

/** The decisions a monthly run's chunk stored (rows of the decisions table), one entry each. */
export async function auditDecisionRows(trx: Knex, rows: Row[]): Promise<void> {
  const byTenant = new Map<string, Row[]>();
  for (const r of rows) (byTenant.get(r.tenant_id) ?? byTenant.set(r.tenant_id, []).get(r.tenant_id)!).push(r);
  for (const [tenantId, list] of byTenant)
    await appendAudit(
      trx,
      tenantId,
      list.map((r) => {
        const events = typeof r.events === "string" ? JSON.parse(r.events) : r.events;
        return {
          resource: r.employee_id ? "employees" : "decisions",
          resourceId: r.employee_id ?? r.id,
          operation: r.operation ?? "decision",
          after: { ruleSet: r.rule_set, version: r.version ?? null, events },
          decisionId: r.id,
        };
      }),
    );
}

/** A monthly run's start: the run (its job) and the decision that records which rule set it applies. */
export async function auditMonthlyRun(trx: Knex, tenantId: string, jobId: string, after: Row, decisionId: string) {
  await audit(trx, tenantId, {
    resource: "monthly-runs",
    resourceId: jobId,
    operation: "monthly-run",
    after,
    decisionId,
  });
}
