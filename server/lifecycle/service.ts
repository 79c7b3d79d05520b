/**
 * Lifecycle operations (hire, wage change, leave). Each is one transaction: the employee is updated,
 * the tenant's published rule set is applied (its actions write enrollments, alerts and reminders in
 * the same transaction) and the decision is stored. What rules need from policy is computed here and
 * handed over as facts; the policy set is also a service for the `policy` fact.
 */
import type { Knex } from "knex";
import Decimal from "decimal.js";
import { addMonths, calculateContributions, gapImpact, monthOf, type PolicySet } from "../../policies/index";
import { fail } from "../errors";
import type { AppContext } from "../http/context";
import { loadPolicySet } from "../policy-tables/policy-set";
import { isUuid } from "../http/formats";
import { SOCIAL_INSURANCE_CODES } from "../../domain/index";
import { recordWageChange } from "../base-declarations/wage-history";
import { resolveAlerts } from "../alerts/service";
import { auditLifecycle } from "../audit/decisions";
import { applyIndustryRuleSets } from "./industry";

export const RULE_SETS = {
  hire: "enrollment",
  wageChange: "wage-change",
  leave: "offboarding",
  monthly: "monthly-check",
} as const;

const today = () => new Date().toISOString().slice(0, 10);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Caller {
  tenantId: string;
  actorId: string | null;
}
type Row = Record<string, any>;

/**
 * Options of a service whose operations another one runs (a batch upload): `trx` runs each inside the
 * caller's transaction (as a savepoint, so a failure rolls back that operation only, and a dry run rolls
 * back with the caller's); `policy` reuses a loaded policy set; `decisionOnly` answers only the decision's
 * id (`decision.id`) and leaves the lists empty (not read), which saves five queries an operation.
 */
export interface RunOptions {
  trx?: Knex.Transaction;
  policy?: PolicySet;
  decisionOnly?: boolean;
}

async function lockEmployee(trx: Knex.Transaction, tenantId: string, id: string): Promise<Row> {
  const row = isUuid(id) ? await trx("employees").where({ tenant_id: tenantId, id }).forUpdate().first() : undefined;
  if (!row) throw fail("NOT_FOUND", { resource: "Employees", id }, { details: { resource: "employees", id } });
  return row;
}

const openEnrollmentCount = async (trx: Knex.Transaction, tenantId: string, employeeId: string, date: string) =>
  Number(
    (
      await trx("enrollments")
        .where({ tenant_id: tenantId, employee_id: employeeId })
        .whereIn("status", ["pending", "active"])
        .andWhere((q) => q.whereNull("to_date").orWhere("to_date", ">=", date))
        .count({ n: "*" })
    )[0]!.n,
  );

/** What an operation answers: the decision and the employee's lifecycle records after it. */
export async function employeeState(db: Knex, tenantId: string, employeeId: string, decisionId?: string) {
  const [decision, enrollments, alerts, contributions, reminders] = await Promise.all([
    decisionId ? db("decisions").where({ tenant_id: tenantId, id: decisionId }).first() : undefined,
    db("enrollments").where({ tenant_id: tenantId, employee_id: employeeId }).orderBy("from_date"),
    db("alerts").where({ tenant_id: tenantId, employee_id: employeeId, resolved: false }).orderBy("created_at"),
    db("contributions").where({ tenant_id: tenantId, employee_id: employeeId }).orderBy("month").limit(240),
    db("notifications").where({ tenant_id: tenantId, employee_id: employeeId }).orderBy(["created_at", "id"]),
  ]);
  const camel = (r: Row) =>
    Object.fromEntries(
      Object.entries(r)
        .filter(([k]) => k !== "tenant_id" && k !== "custom")
        .map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]),
    );
  return {
    decision: decision ? camel(decision) : null,
    enrollments: enrollments.map(camel),
    alerts: alerts.map(camel),
    contributions: contributions.map(camel),
    // The outbox rows of the employee (the old `reminders` table is read-only history).
    reminders: reminders.map((r: Row) => ({ ...camel(r), recipient: r.audience })),
  };
}

export class LifecycleService {
  constructor(
    private readonly ctx: AppContext,
    private readonly opts: RunOptions = {},
  ) {}

  private at(at: unknown): string {
    if (at === undefined) return today();
    if (typeof at !== "string" || !DATE.test(at))
      throw fail(
        "INVALID_DATE",
        { field: "at" },
        { message: "at must be YYYY-MM-DD", details: { field: "at" }, errors: { at: "must be a date" } },
      );
    return at;
  }

  private async run(
    caller: Caller,
    employeeId: string,
    key: string,
    operation: string,
    at: string,
    step: (trx: Knex.Transaction, employee: Row, policy: PolicySet) => Promise<Record<string, unknown>>,
  ) {
    const { opts } = this;
    const policy = opts.policy ?? (await loadPolicySet(opts.trx ?? this.ctx.db, caller.tenantId));
    const decisionId = await (opts.trx ?? this.ctx.db).transaction(async (trx) => {
      const employee = await lockEmployee(trx, caller.tenantId, employeeId);
      const facts = await step(trx, employee, policy);
      const applied = await this.ctx.rules.apply(
        trx,
        caller.tenantId,
        key,
        { facts, at, operation, employeeId, actorId: caller.actorId },
        { policy },
      );
      // After the enrollment rule set, a hire applies the tenant's industry rule sets (remote staff, ...).
      if (operation === "hire")
        await applyIndustryRuleSets(this.ctx, trx, caller, employeeId, {
          operation,
          at,
          effectiveDate: String(facts.hireDate).slice(0, 10),
          policy,
        });
      // The enrollment a hire's rules wrote clears the monthly run's "not enrolled" alert.
      if ((await openEnrollmentCount(trx, caller.tenantId, employeeId, at)) > 0)
        await resolveAlerts(trx, caller.tenantId, { type: "not_enrolled", employeeId }, operation, caller.actorId);
      // Last in the transaction: the tenant's audit lock is then held only until the commit.
      await auditLifecycle(trx, caller.tenantId, employee, operation, applied.decisionId);
      this.ctx.logger.info(
        {
          tenantId: caller.tenantId,
          employeeId,
          ruleSet: key,
          version: applied.version,
          events: applied.events.length,
        },
        `${operation} applied`,
      );
      return applied.decisionId;
    });
    if (opts.decisionOnly)
      return { decision: { id: decisionId }, enrollments: [], alerts: [], contributions: [], reminders: [] };
    return employeeState(this.ctx.db, caller.tenantId, employeeId, decisionId);
  }

  hire(caller: Caller, employeeId: string, body: { date?: string; at?: string }) {
    const at = this.at(body.at);
    return this.run(caller, employeeId, RULE_SETS.hire, "hire", at, async (trx, e) => {
      const hireDate = body.date ?? e.hire_date;
      await trx("employees")
        .where({ tenant_id: caller.tenantId, id: e.id })
        .update({ hire_date: hireDate, leave_date: null, status: "active", updated_at: trx.fn.now() });
      return {
        hireDate,
        insuredCity: e.insured_city,
        monthlyWage: e.monthly_wage,
        employmentType: e.employment_type,
        employeeName: e.name,
        alreadyEnrolled: (await openEnrollmentCount(trx, caller.tenantId, e.id, `${monthOf(hireDate)}-01`)) > 0,
      };
    });
  }

  /**
   * A move: the employee's work city changes from `date`, and the tenant's industry rule sets decide
   * (internet-remote: the insured city, its enrollment from that month, the compliance alert).
   */
  async move(caller: Caller, employeeId: string, body: { workCity: string; date: string; at?: string }) {
    const at = this.at(body.at);
    const policy = await loadPolicySet(this.ctx.db, caller.tenantId);
    const decisions = await this.ctx.db.transaction(async (trx) => {
      const e = await lockEmployee(trx, caller.tenantId, employeeId);
      await trx("employees")
        .where({ tenant_id: caller.tenantId, id: e.id })
        .update({ work_city: body.workCity, updated_at: trx.fn.now() });
      const applied = await applyIndustryRuleSets(this.ctx, trx, caller, e.id, {
        operation: "move",
        at,
        effectiveDate: body.date,
        policy,
      });
      await auditLifecycle(trx, caller.tenantId, e, "move", applied[0]?.decisionId ?? null);
      return applied;
    });
    const state = await employeeState(this.ctx.db, caller.tenantId, employeeId, decisions[0]?.decisionId);
    return { ...state, decisions };
  }

  wageChange(caller: Caller, employeeId: string, body: { wage: string | number; effectiveMonth: string; at?: string }) {
    const at = this.at(body.at);
    let wage: string;
    try {
      wage = new Decimal(body.wage).toFixed(2);
    } catch {
      throw fail(
        "INVALID_WAGE",
        { problem: "wage must be a decimal number" },
        { details: { field: "wage" }, errors: { wage: "must be a decimal number" } },
      );
    }
    if (new Decimal(wage).isNegative())
      throw fail(
        "INVALID_WAGE",
        { problem: "wage must not be negative" },
        { details: { field: "wage" }, errors: { wage: "must not be negative" } },
      );
    return this.run(caller, employeeId, RULE_SETS.wageChange, "wage-change", at, async (trx, e) => {
      await trx("employees")
        .where({ tenant_id: caller.tenantId, id: e.id })
        .update({ monthly_wage: wage, updated_at: trx.fn.now() });
      await recordWageChange(trx, caller.tenantId, {
        employeeId: e.id,
        effectiveMonth: body.effectiveMonth,
        wage,
        previousWage: e.monthly_wage,
        source: "wage_change",
      });
      return {
        previousWage: new Decimal(e.monthly_wage).toFixed(2),
        wage,
        effectiveMonth: body.effectiveMonth,
        employeeName: e.name,
        enrolled: (await openEnrollmentCount(trx, caller.tenantId, e.id, `${body.effectiveMonth}-01`)) > 0,
      };
    });
  }

  leave(caller: Caller, employeeId: string, body: { leaveDate: string; at?: string }) {
    const at = this.at(body.at);
    return this.run(caller, employeeId, RULE_SETS.leave, "leave", at, async (trx, e, policy) => {
      if (body.leaveDate < e.hire_date)
        throw fail(
          "INVALID_DATE",
          { field: "leaveDate" },
          {
            message: "leaveDate is before the hire date",
            details: { field: "leaveDate" },
            errors: { leaveDate: "is before the hire date" },
          },
        );
      await trx("employees")
        .where({ tenant_id: caller.tenantId, id: e.id })
        .update({
          leave_date: body.leaveDate,
          status: body.leaveDate <= at ? "left" : "active",
          updated_at: trx.fn.now(),
        });
      const open = await trx("enrollments")
        .where({ tenant_id: caller.tenantId, employee_id: e.id })
        .whereIn("status", ["pending", "active"])
        .andWhere((q) => q.whereNull("to_date").orWhere("to_date", ">=", `${monthOf(body.leaveDate)}-01`))
        .orderBy("from_date", "desc")
        .first();
      const lastPaidMonth = monthOf(body.leaveDate);
      const gapStartsMonth = addMonths(lastPaidMonth, 1);
      const city = open?.insured_city ?? e.insured_city;
      return {
        leaveDate: body.leaveDate,
        lastPaidMonth,
        gapStartsMonth,
        insuredCity: city,
        employeeName: e.name,
        enrolled: !!open,
        gapOptions: gapOptions(policy, city, gapStartsMonth, open?.base ?? e.monthly_wage, e.hukou_local),
      };
    });
  }
}

/**
 * What the employee can do about the gap that starts after leaving, and what each option costs a month:
 * back-paying (where the city has a window) at the last base, or flexible employment (灵活就业): pension
 * 20% of a base they choose between the city's limits (60–300% of the average wage), 8 points to the account.
 */
export function gapOptions(policy: PolicySet, city: string, gapStartsMonth: string, wage: string, hukouLocal: boolean) {
  const settings = policy.has("si-city-settings")
    ? policy.lookup("si-city-settings", { city }, `${gapStartsMonth}-01`)
    : undefined;
  const limits = policy.has("si-base-limits")
    ? policy.lookup("si-base-limits", { city, insurance: "pension" }, `${gapStartsMonth}-01`)
    : undefined;
  let perMonth: string | null = null;
  try {
    perMonth = calculateContributions(policy, {
      city,
      month: gapStartsMonth,
      wage,
      hukouLocal,
      insurances: [...SOCIAL_INSURANCE_CODES],
    })
      .items.reduce((sum, i) => sum.plus(i.employer).plus(i.employee), new Decimal(0))
      .toFixed(2);
  } catch {
    /* no policy for the month: the amount is unknown, not zero */
  }
  const flexible = limits
    ? (() => {
        const min = new Decimal(limits.values.lower as string);
        const max = new Decimal(limits.values.upper as string);
        const chosen = Decimal.min(Decimal.max(new Decimal(wage), min), max);
        const rate = new Decimal("0.20");
        return {
          pensionRate: "20",
          personalAccountRate: "8",
          minBase: min.toFixed(2),
          maxBase: max.toFixed(2),
          chosenBase: chosen.toFixed(2),
          monthly: chosen.times(rate).toFixed(2),
          minMonthly: min.times(rate).toFixed(2),
          maxMonthly: max.times(rate).toFixed(2),
        };
      })()
    : null;
  let pensionImpactPerGapMonth: unknown = null;
  try {
    if (flexible && policy.has("pension-divisors"))
      pensionImpactPerGapMonth = gapImpact(policy, { base: flexible.chosenBase, months: 1, ageMonths: 720 });
  } catch {
    /* no divisor table */
  }
  const windowMonths = (settings?.values.backPaymentWindowMonths as number | undefined) ?? 0;
  return {
    gapStartsMonth,
    city,
    backPayment: {
      allowed: windowMonths > 0,
      windowMonths,
      until: windowMonths > 0 ? addMonths(gapStartsMonth, windowMonths - 1) : null,
      perMonth,
    },
    flexibleEmployment: flexible,
    pensionImpactPerGapMonth,
  };
}
