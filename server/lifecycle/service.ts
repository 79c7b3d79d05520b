/**
 * Lifecycle operations (hire, wage change, leave). Each is one transaction: the employee is updated,
 * the tenant's published rule set is applied (its actions write enrollments, alerts and reminders in
 * the same transaction) and the decision is stored. What rules need from policy is computed here and
 * handed over as facts; the policy set is also a service for the `policy` fact.
 */
import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import Decimal from "decimal.js";
import { addMonths, calculateContributions, gapImpact, monthOf, type PolicySet } from "../../policies/index";
import { fail } from "../errors";
import type { AppContext } from "../http/context";
import { loadPolicySet } from "../policy-tables/policy-set";
import { SOCIAL_INSURANCE_CODES } from "../../domain/index";
import { applyIndustryRuleSets } from "./industry";
import { LifecycleUnit, UnitShared } from "./unit";

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

/** Options of a service whose operations a batch runs: `policy` reuses a loaded policy set. */
export interface RunOptions {
  policy?: PolicySet;
}

/** One operation: its rule set, the day it is decided on, and the step that changes the employee. */
interface Operation {
  key: string;
  operation: string;
  at: string;
  /** Changes the employee in the unit (given as it was) and answers the rule set's facts. */
  step: (unit: LifecycleUnit, employee: Row, policy: PolicySet) => Record<string, unknown>;
}

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

  /** A single operation: a unit of one employee, in a transaction of its own. */
  private async single(caller: Caller, employeeId: string, op: Operation) {
    const policy = this.opts.policy ?? (await loadPolicySet(this.ctx.db, caller.tenantId));
    const decisionId = await this.ctx.db.transaction(async (trx) => {
      const unit = await LifecycleUnit.load(trx, new UnitShared(this.ctx.rules, caller.tenantId, policy), [employeeId]);
      const id = await this.runIn(unit, caller, employeeId, op);
      await unit.flush();
      return id;
    });
    this.ctx.logger.info(
      { tenantId: caller.tenantId, employeeId, ruleSet: op.key, decisionId },
      `${op.operation} applied`,
    );
    return employeeState(this.ctx.db, caller.tenantId, employeeId, decisionId);
  }

  /**
   * An operation on an employee of `unit` (stored with the unit's flush): the step changes the employee,
   * the rule set in force decides, and after a hire the tenant's industry rule sets. Answers the decision.
   */
  private async runIn(unit: LifecycleUnit, caller: Caller, employeeId: string, op: Operation): Promise<string> {
    const before = unit.employee(employeeId);
    const facts = op.step(unit, before, unit.policy);
    const r = await unit.shared.resolve(unit.trx, op.key, op.at);
    const decisionId = randomUUID();
    const services = unit.services({
      trx: unit.trx,
      tenantId: caller.tenantId,
      employeeId,
      at: op.at,
      policy: unit.policy,
      decisionId,
      operation: op.operation,
      actorId: caller.actorId,
    });
    const input = { facts, at: op.at, operation: op.operation, employeeId, actorId: caller.actorId };
    unit.decision((await this.ctx.rules.decide(caller.tenantId, r, input, decisionId, services)).row);
    // After the enrollment rule set, a hire applies the tenant's industry rule sets (remote staff, ...).
    if (op.operation === "hire")
      await applyIndustryRuleSets(this.ctx, unit, caller, employeeId, {
        operation: op.operation,
        at: op.at,
        effectiveDate: String(facts.hireDate).slice(0, 10),
      });
    // The enrollment a hire's rules wrote clears the monthly run's "not enrolled" alert.
    if (unit.openEnrollmentCount(employeeId, op.at) > 0)
      unit.resolveAlerts(employeeId, "not_enrolled", op.operation, caller.actorId);
    unit.audit(before, employeeId, op.operation, decisionId);
    return decisionId;
  }

  /** A batch's row: `kind` on an employee of the unit; answers the decision id. */
  runInUnit(
    unit: LifecycleUnit,
    caller: Caller,
    employeeId: string,
    kind: "hire" | "wage_change" | "leave",
    body: { date: string; wage?: string; at: string },
  ): Promise<string> {
    const op =
      kind === "hire"
        ? this.hireOp({ date: body.date, at: body.at })
        : kind === "wage_change"
          ? this.wageChangeOp({ wage: body.wage!, effectiveMonth: monthOf(body.date), at: body.at })
          : this.leaveOp({ leaveDate: body.date, at: body.at });
    return this.runIn(unit, caller, employeeId, op);
  }

  hire(caller: Caller, employeeId: string, body: { date?: string; at?: string }) {
    return this.single(caller, employeeId, this.hireOp(body));
  }

  private hireOp(body: { date?: string; at?: string }): Operation {
    return {
      key: RULE_SETS.hire,
      operation: "hire",
      at: this.at(body.at),
      step: (unit, e) => {
        const hireDate = body.date ?? String(e.hire_date).slice(0, 10);
        // A leave before this hire is over (a rehire); a planned one after it (a seasonal contract) stays.
        const leave = e.leave_date
          ? String(e.leave_date instanceof Date ? e.leave_date.toISOString() : e.leave_date)
          : "";
        const planned = leave && leave.slice(0, 10) >= hireDate ? leave.slice(0, 10) : null;
        unit.updateEmployee(e.id, { hire_date: hireDate, leave_date: planned, status: "active" });
        return {
          hireDate,
          insuredCity: e.insured_city,
          monthlyWage: e.monthly_wage,
          employmentType: e.employment_type,
          employeeName: e.name,
          alreadyEnrolled: unit.openEnrollmentCount(e.id, `${monthOf(hireDate)}-01`) > 0,
        };
      },
    };
  }

  /**
   * A move: the employee's work city changes from `date`, and the tenant's industry rule sets decide
   * (internet-remote: the insured city, its enrollment from that month, the compliance alert).
   */
  async move(caller: Caller, employeeId: string, body: { workCity: string; date: string; at?: string }) {
    const at = this.at(body.at);
    const policy = this.opts.policy ?? (await loadPolicySet(this.ctx.db, caller.tenantId));
    const decisions = await this.ctx.db.transaction(async (trx) => {
      const unit = await LifecycleUnit.load(trx, new UnitShared(this.ctx.rules, caller.tenantId, policy), [employeeId]);
      const before = unit.employee(employeeId);
      unit.updateEmployee(employeeId, { work_city: body.workCity });
      const applied = await applyIndustryRuleSets(this.ctx, unit, caller, employeeId, {
        operation: "move",
        at,
        effectiveDate: body.date,
      });
      unit.audit(before, employeeId, "move", applied[0]?.decisionId ?? null);
      await unit.flush();
      return applied;
    });
    const state = await employeeState(this.ctx.db, caller.tenantId, employeeId, decisions[0]?.decisionId);
    return { ...state, decisions };
  }

  wageChange(caller: Caller, employeeId: string, body: { wage: string | number; effectiveMonth: string; at?: string }) {
    return this.single(caller, employeeId, this.wageChangeOp(body));
  }

  private wageChangeOp(body: { wage: string | number; effectiveMonth: string; at?: string }): Operation {
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
    return {
      key: RULE_SETS.wageChange,
      operation: "wage-change",
      at,
      step: (unit, e) => {
        unit.updateEmployee(e.id, { monthly_wage: wage });
        unit.wageChange({
          employee_id: e.id,
          effective_month: body.effectiveMonth,
          wage,
          previous_wage: e.monthly_wage === null ? null : new Decimal(e.monthly_wage).toFixed(2),
          source: "wage_change",
          reason: null,
        });
        return {
          previousWage: new Decimal(e.monthly_wage).toFixed(2),
          wage,
          effectiveMonth: body.effectiveMonth,
          employeeName: e.name,
          enrolled: unit.openEnrollmentCount(e.id, `${body.effectiveMonth}-01`) > 0,
        };
      },
    };
  }

  leave(caller: Caller, employeeId: string, body: { leaveDate: string; at?: string }) {
    return this.single(caller, employeeId, this.leaveOp(body));
  }

  private leaveOp(body: { leaveDate: string; at?: string }): Operation {
    const at = this.at(body.at);
    return {
      key: RULE_SETS.leave,
      operation: "leave",
      at,
      step: (unit, e, policy) => {
        if (body.leaveDate < String(e.hire_date).slice(0, 10))
          throw fail(
            "INVALID_DATE",
            { field: "leaveDate" },
            {
              message: "leaveDate is before the hire date",
              details: { field: "leaveDate" },
              errors: { leaveDate: "is before the hire date" },
            },
          );
        unit.updateEmployee(e.id, { leave_date: body.leaveDate, status: body.leaveDate <= at ? "left" : "active" });
        const open = unit.openEnrollment(e.id, `${monthOf(body.leaveDate)}-01`);
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
      },
    };
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
