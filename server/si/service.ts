/**
 * Social-insurance calculations over the tenant's published policy tables; policy errors become 400s
 * naming city and month.
 */
import type { Knex } from "knex";
import {
  calculateBackPayment,
  calculateDifferenceBackPayment,
  PolicySet as PolicySetClass,
  calculateContributions,
  isPolicyError,
  retirementAge,
  addMonths,
  simulatePension,
  PolicyDecimal,
  type BackPaymentInput,
  type ContributionInput,
  type PensionInput,
  type PolicySet,
  type RetirementCategory,
} from "../../policies/index";
import { cityByCode, REFERENCE_CITY_CODES } from "../../domain/index";
import { fail } from "../errors";
import { loadPolicies, loadPolicySet } from "../policy-tables/policy-set";
import { policyTableStore } from "../policy-tables/service";
import { retirementCategoryOf } from "../../domain/index";

/**
 * Runs a calculation; a PolicyError answers 400 with its code, a message naming the city and month,
 * and its details.
 */
export function withPolicyErrors<T>(where: { city?: string; month?: string }, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (!isPolicyError(err)) throw err;
    let message = err.message;
    if (err.code === "UNKNOWN_TABLE")
      message += " (this tenant has no such published policy table; a consultant can install the reference data)";
    const context = [
      where.city && !message.includes(where.city) ? `city ${where.city}` : "",
      where.month && !message.includes(where.month) ? where.month : "",
    ].filter(Boolean);
    if (context.length) message += ` (${context.join(", ")})`;
    throw fail(err.code, { problem: message, ...where }, { message, details: { ...where, ...err.details } });
  }
}

export async function contributions(db: Knex, tenantId: string, input: ContributionInput) {
  const set = await loadPolicySet(db, tenantId);
  return withPolicyErrors(input, () => calculateContributions(set, input));
}

export async function backPayment(db: Knex, tenantId: string, input: BackPaymentInput) {
  return backPaymentWith(await loadPolicySet(db, tenantId), input);
}

/** /api/si/back-payment's answer over a policy set already loaded (reminders price many employees with one). */
export function backPaymentWith(set: PolicySet, input: BackPaymentInput) {
  const r = withPolicyErrors({ city: input.city }, () => calculateBackPayment(set, input));
  return {
    ...r,
    months: r.months.map(({ lateFee, ...m }) => ({
      ...m,
      lateFee: lateFee.fee,
      total: new PolicyDecimal(m.owed).plus(lateFee.fee).toFixed(2),
      deadline: lateFee.deadline,
      arrearsFrom: lateFee.arrearsFrom,
      lateFeeDays: lateFee.days,
    })),
  };
}

export interface DifferenceBody extends Omit<ContributionInput, "month" | "wage"> {
  fromMonth: string;
  throughMonth: string;
  wage?: string;
  /** The declared base; the same as a wage here (both are clamped to the limits). */
  base?: string;
  /** The policy table whose versions are compared; default si-base-limits. */
  table?: string;
  /** Default: the version before newVersion. */
  oldVersion?: number;
  /** Default: the latest published version. */
  newVersion?: number;
}

/**
 * 差额补缴 ad hoc: the months fromMonth..throughMonth priced with `table` at oldVersion (as collected,
 * carried forward) and at newVersion, every other table as published now.
 */
export async function differenceBackPayment(db: Knex, tenantId: string, body: DifferenceBody) {
  const { fromMonth, throughMonth, wage, base, table = "si-base-limits", oldVersion, newVersion, ...rest } = body;
  if ((wage === undefined) === (base === undefined))
    throw fail(
      "INVALID_BODY",
      { pointer: "/wage", problem: "give either wage or base" },
      { details: { field: "wage" }, errors: { wage: "give either wage or base", base: "give either wage or base" } },
    );
  if (throughMonth < fromMonth)
    throw fail(
      "MONTH_RANGE",
      { field: "throughMonth", from: fromMonth, through: throughMonth },
      { details: { field: "throughMonth" }, errors: { throughMonth: `is before fromMonth ${fromMonth}` } },
    );
  const loaded = await loadPolicies(db, tenantId);
  const latest = loaded.versions[table];
  if (latest === undefined) throw fail("UNKNOWN_TABLE", { table }, { details: { field: "table", table } });
  const after = newVersion ?? latest;
  const before = oldVersion ?? after - 1;
  if (before < 1) throw fail("NO_EARLIER_VERSION", { table, version: after }, { details: { field: "oldVersion" } });
  const [a, b] = await Promise.all([
    policyTableStore.version(db, tenantId, table, before),
    policyTableStore.version(db, tenantId, table, after),
  ]);
  const set = loaded.set;
  const tables = (rows: unknown) =>
    set.tableKeys().map((key) => ({
      def: set.def(key),
      rows: key === table ? ((rows ?? []) as ReturnType<typeof set.rows>) : set.rows(key),
    }));
  const options = { carryForward: true };
  const r = withPolicyErrors({ city: body.city }, () =>
    calculateDifferenceBackPayment(
      new PolicySetClass(tables(a.content.rows), options),
      new PolicySetClass(tables(b.content.rows), options),
      { ...rest, wage: (wage ?? base)!, fromMonth, throughMonth },
    ),
  );
  return { ...r, table, oldVersion: before, newVersion: after };
}

export interface PensionBody extends Partial<PensionInput> {
  city: string;
  birthDate: string;
  /** Shorthand for category: gender + post (female cadre or worker). */
  gender?: "male" | "female";
  post?: "cadre" | "worker";
  /** Shorthand for assumptions: contribute `wage` for the `contributionYears` before retirement. */
  wage?: string;
  contributionYears?: number;
  averageIndex?: number | string;
  accountBalance?: string;
}

export function pensionInput(body: PensionBody): PensionInput {
  const derived = retirementCategoryOf(body.gender ?? "male", body.post);
  const category: RetirementCategory = body.category ?? derived.category ?? "male";
  const input: PensionInput = { ...body, category } as PensionInput;
  if (!input.history && !input.assumptions && body.wage !== undefined) {
    const retirementMonth = withPolicyErrors({ city: body.city }, () =>
      retirementAge(body.birthDate, category),
    ).retirementMonth;
    input.assumptions = {
      startMonth: addMonths(retirementMonth, -Math.round((body.contributionYears ?? 15) * 12)),
      currentBase: body.wage,
    };
  }
  if (input.averageContributionIndex === undefined && body.averageIndex !== undefined)
    input.averageContributionIndex = String(body.averageIndex);
  if (input.initialBalance === undefined && body.accountBalance !== undefined)
    input.initialBalance = body.accountBalance;
  for (const k of ["gender", "post", "wage", "contributionYears", "averageIndex", "accountBalance"])
    delete (input as unknown as Record<string, unknown>)[k];
  return input;
}

export async function pension(db: Knex, tenantId: string, body: PensionBody) {
  const set = await loadPolicySet(db, tenantId);
  const r = withPolicyErrors({ city: body.city }, () => simulatePension(set, pensionInput(body)));
  // The same assumption self-service states: a woman without a post is taken as a worker (retiring earlier).
  const retirementAssumption = body.category ? null : retirementCategoryOf(body.gender ?? "male", body.post).assumed;
  return { ...r, total: r.monthlyPension, retirementAssumption };
}

export interface CityCoverage {
  code: string;
  zh: string | null;
  en: string | null;
  /** Month ranges in which a full contribution calculation has policy; `to: null` = open-ended. */
  months: { from: string; to: string | null }[];
}

/** Which months each city has policy for, from its rows' change points; memoised on the (immutable) set. */
export function cityCoverage(set: PolicySet): CityCoverage[] {
  const memo = set.memo.get("server:cities") as CityCoverage[] | undefined;
  if (memo) return memo;
  const codes = new Set(REFERENCE_CITY_CODES);
  if (set.has("si-city-settings")) for (const r of set.rows("si-city-settings")) codes.add(String(r.key.city));
  const out = [...codes].sort().map((code): CityCoverage => {
    const starts: string[] = [];
    let last = "";
    for (const t of set.tableKeys()) {
      for (const r of set.rows(t)) {
        if (r.key.city === undefined || String(r.key.city) !== code) continue;
        starts.push(r.effectiveFrom.slice(0, 7));
        const end = r.effectiveTo ? addMonths(r.effectiveTo.slice(0, 7), 1) : r.effectiveFrom.slice(0, 7);
        if (end > last) last = end;
        if (r.effectiveFrom.slice(0, 7) > last) last = r.effectiveFrom.slice(0, 7);
      }
    }
    const months: CityCoverage["months"] = [];
    if (starts.length) {
      let open: string | null = null;
      let prev = "";
      for (let m = starts.sort()[0]!; m <= last; m = addMonths(m, 1)) {
        let ok = true;
        try {
          calculateContributions(set, { city: code, month: m, wage: "10000" });
        } catch {
          ok = false;
        }
        if (ok && open === null) open = m;
        if (!ok && open !== null) {
          months.push({ from: open, to: prev });
          open = null;
        }
        prev = m;
      }
      if (open !== null) months.push({ from: open, to: null });
    }
    const name = cityByCode(code);
    return { code, zh: name?.zh ?? null, en: name?.en ?? null, months };
  });
  set.memo.set("server:cities", out);
  return out;
}

export async function cities(db: Knex, tenantId: string) {
  return cityCoverage(await loadPolicySet(db, tenantId));
}
