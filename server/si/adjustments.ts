/**
 * 差额补缴 after a publication: when a policy-table version that prices contributions is published, a job
 * (type "si-adjustments", in the jobs table like the monthly run) recomputes every ledger row of the
 * cities and months the new version changed, with the wage the row was computed from, and stores what
 * the new limits or rates add or take away as adjustment rows linked to the row and the version. The
 * ledger row is never rewritten. What a row charged counts its earlier adjustments, and each
 * (row, table, version) is stored once, so running or publishing again adds nothing twice.
 */
import type { Knex } from "knex";
import {
  calculateContributions,
  diffTables,
  PolicyDecimal as D,
  type ContributionItem,
  type PolicyRow,
} from "../../policies/index";
import { INSURANCE_CODES } from "../../domain/index";
import { AppError, errorMessage } from "../errors";
import type { AppContext } from "../http/context";
import { loadPolicies } from "../policy-tables/policy-set";
import { policyTableStore } from "../policy-tables/service";

export const ADJUSTMENT_JOB = "si-adjustments";
/** The policy tables a contribution is priced from: a new version of any of them may change the ledger. */
export const CONTRIBUTION_TABLES: readonly string[] = [
  "si-base-limits",
  "si-rates",
  "si-work-injury-classes",
  "si-housing-fund",
  "si-rounding",
  "si-city-settings",
];
const CHUNK = 500;
type Row = Record<string, any>;
type Dec = InstanceType<typeof D>;

/** Queues the settlement of `table` version `version` in the caller's transaction; null when nothing to settle. */
export async function queueAdjustments(
  trx: Knex,
  tenantId: string,
  table: string,
  version: number,
  actorId: string | null,
): Promise<{ id: string } | null> {
  if (!CONTRIBUTION_TABLES.includes(table)) return null;
  // Only a version that changes months already in the ledger has anything to settle.
  const [after, before] = await Promise.all([
    policyTableStore.version(trx, tenantId, table, version),
    version > 1 ? policyTableStore.version(trx, tenantId, table, version - 1) : undefined,
  ]);
  const scope = changedScope((before?.content.rows ?? []) as PolicyRow[], (after.content.rows ?? []) as PolicyRow[]);
  if (!scope) return null;
  const ledger = trx("contributions").where({ tenant_id: tenantId }).andWhere("month", ">=", scope.from);
  if (scope.cities) ledger.whereIn("city", scope.cities);
  if (!(await ledger.first("id"))) return null;
  const [job] = await trx("jobs")
    .insert({
      tenant_id: tenantId,
      type: ADJUSTMENT_JOB,
      status: "queued",
      progress: 0,
      total: 0,
      params: JSON.stringify({ table, version }),
      actor_id: actorId,
    })
    .returning("id");
  return job;
}

/** The cities (null: every city) and first month a version changed against the version before it. */
export function changedScope(
  before: PolicyRow[],
  after: PolicyRow[],
): { cities: string[] | null; from: string } | null {
  const d = diffTables(before, after);
  const rows = [...d.added, ...d.removed, ...d.modified.flatMap((m) => [m.before, m.after])];
  if (!rows.length) return null;
  const cities = new Set<string>();
  let all = false;
  let from = "9999-12";
  for (const r of rows) {
    if (r.key.city === undefined) all = true;
    else cities.add(String(r.key.city));
    if (r.effectiveFrom.slice(0, 7) < from) from = r.effectiveFrom.slice(0, 7);
  }
  return { cities: all ? null : [...cities].sort(), from };
}

const sumItems = (into: Map<string, { employer: Dec; employee: Dec }>, items: { insurance: string }[]) => {
  for (const i of items as { insurance: string; employer: string; employee: string }[]) {
    const cur = into.get(i.insurance) ?? { employer: new D(0), employee: new D(0) };
    into.set(i.insurance, { employer: cur.employer.plus(i.employer), employee: cur.employee.plus(i.employee) });
  }
};

interface Counts {
  rows: number;
  adjusted: number;
  errors: number;
  employer: Dec;
  employee: Dec;
  months: Set<string>;
}

/** Processes a queued si-adjustments job to the end; marks it failed (with a catalogue code) on error. */
export async function processAdjustments(ctx: AppContext, tenantId: string, jobId: string): Promise<unknown> {
  const db = ctx.db;
  const claimed = await db("jobs")
    .where({ tenant_id: tenantId, id: jobId, status: "queued" })
    .update({ status: "running", updated_at: db.fn.now() })
    .returning("*");
  if (!claimed.length) return db("jobs").where({ tenant_id: tenantId, id: jobId }).first();
  const { table, version } = claimed[0].params as { table: string; version: number };
  try {
    const after = await policyTableStore.version(db, tenantId, table, version);
    const before = version > 1 ? await policyTableStore.version(db, tenantId, table, version - 1) : undefined;
    const scope = changedScope((before?.content.rows ?? []) as PolicyRow[], (after.content.rows ?? []) as PolicyRow[]);
    const counts: Counts = {
      rows: 0,
      adjusted: 0,
      errors: 0,
      employer: new D(0),
      employee: new D(0),
      months: new Set(),
    };
    if (scope) {
      let last: string | null = null;
      for (;;) {
        const q = db("contributions as c")
          .join("employees as e", function () {
            this.on("e.tenant_id", "c.tenant_id").andOn("e.id", "c.employee_id");
          })
          .where("c.tenant_id", tenantId)
          .andWhere("c.month", ">=", scope.from)
          .orderBy("c.id")
          .limit(CHUNK)
          .select("c.*", "e.hukou_local", "e.monthly_wage");
        if (scope.cities) q.whereIn("c.city", scope.cities);
        if (last) q.andWhere("c.id", ">", last);
        const rows: Row[] = await q;
        if (!rows.length) break;
        last = rows[rows.length - 1].id;
        await db.transaction((trx) => settleChunk(trx, tenantId, jobId, table, version, rows, counts));
        counts.rows += rows.length;
        await db("jobs")
          .where({ tenant_id: tenantId, id: jobId })
          .update({ progress: counts.rows, total: counts.rows, updated_at: db.fn.now() });
      }
    }
    const result = {
      table,
      version,
      scope,
      ledgerRows: counts.rows,
      adjustments: counts.adjusted,
      errors: counts.errors,
      months: [...counts.months].sort(),
      employer: counts.employer.toFixed(2),
      employee: counts.employee.toFixed(2),
    };
    await db("jobs")
      .where({ tenant_id: tenantId, id: jobId })
      .update({
        status: "done",
        result: JSON.stringify(result),
        updated_at: db.fn.now(),
        finished_at: db.fn.now(),
      });
    ctx.logger.info({ tenantId, jobId, table, version, adjustments: counts.adjusted }, "adjustments done");
    return result;
  } catch (e) {
    ctx.logger.error({ err: e, tenantId, jobId, table, version }, "adjustments failed");
    const error =
      e instanceof AppError && e.isPublic
        ? { code: e.code, message: e.message }
        : { code: "ADJUSTMENTS_FAILED", message: errorMessage("ADJUSTMENTS_FAILED", { table, version }) };
    await db("jobs")
      .where({ tenant_id: tenantId, id: jobId })
      .update({ status: "failed", error: JSON.stringify(error), updated_at: db.fn.now(), finished_at: db.fn.now() });
    return null;
  }
}

async function settleChunk(
  trx: Knex.Transaction,
  tenantId: string,
  jobId: string,
  table: string,
  version: number,
  rows: Row[],
  counts: Counts,
): Promise<void> {
  // Chunks of concurrent settlements (two publications, two servers) run one at a time per tenant, each
  // with the policies in force when it runs and the adjustments stored before it, so none counts twice.
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [`si-adjustments:${tenantId}`]);
  const { set } = await loadPolicies(trx, tenantId);
  const prior: Row[] = await trx("contribution_adjustments")
    .where({ tenant_id: tenantId })
    .whereIn(
      "contribution_id",
      rows.map((r) => r.id),
    )
    .orderBy("created_at")
    .select("contribution_id", "policy_table", "policy_version", "base_after", "employer", "employee", "items");
  const priorOf = new Map<string, Row[]>();
  for (const p of prior)
    (priorOf.get(p.contribution_id) ?? priorOf.set(p.contribution_id, []).get(p.contribution_id)!).push(p);
  const out: Row[] = [];
  for (const row of rows) {
    const earlier = priorOf.get(row.id) ?? [];
    if (earlier.some((p) => p.policy_table === table && Number(p.policy_version) === version)) continue;
    const charged = row.items as ContributionItem[];
    const insurances = charged
      .map((i) => i.insurance)
      .filter((i) => (INSURANCE_CODES as readonly string[]).includes(i));
    let now: ReturnType<typeof calculateContributions>;
    try {
      now = calculateContributions(set, {
        city: row.city,
        month: row.month,
        // Rows written before the ledger kept its wage are recomputed from the employee's wage today.
        wage: row.wage ?? row.monthly_wage,
        hukouLocal: row.hukou_local,
        insurances,
      });
    } catch {
      counts.errors++;
      continue;
    }
    const paid = new Map<string, { employer: Dec; employee: Dec }>();
    sumItems(paid, charged);
    for (const p of earlier) sumItems(paid, p.items);
    const items = now.items.map((item) => {
      const was = paid.get(item.insurance) ?? { employer: new D(0), employee: new D(0) };
      const before = charged.find((c) => c.insurance === item.insurance);
      return {
        insurance: item.insurance,
        baseBefore: before?.base ?? null,
        baseAfter: item.base,
        employer: new D(item.employer).minus(was.employer).toFixed(2),
        employee: new D(item.employee).minus(was.employee).toFixed(2),
      };
    });
    const employer = items.reduce((s, i) => s.plus(i.employer), new D(0));
    const employee = items.reduce((s, i) => s.plus(i.employee), new D(0));
    if (employer.isZero() && employee.isZero()) continue;
    const pension = now.items.find((i) => i.insurance === "pension") ?? now.items[0];
    const baseBefore = earlier.length ? earlier[earlier.length - 1].base_after : row.base;
    out.push({
      tenant_id: tenantId,
      contribution_id: row.id,
      employee_id: row.employee_id,
      month: row.month,
      city: row.city,
      policy_table: table,
      policy_version: version,
      base_before: baseBefore,
      base_after: pension?.base ?? row.base,
      employer: employer.toFixed(2),
      employee: employee.toFixed(2),
      items: JSON.stringify(items.filter((i) => i.employer !== "0.00" || i.employee !== "0.00")),
      job_id: jobId,
    });
  }
  if (!out.length) return;
  const stored: Row[] = await trx("contribution_adjustments")
    .insert(out)
    .onConflict(["tenant_id", "contribution_id", "policy_table", "policy_version"])
    .ignore()
    .returning(["month", "employer", "employee"]);
  for (const s of stored) {
    counts.adjusted++;
    counts.months.add(s.month);
    counts.employer = counts.employer.plus(s.employer);
    counts.employee = counts.employee.plus(s.employee);
  }
}
