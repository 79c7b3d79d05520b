/**
 * The monthly run: ledger rows (one per enrolled employee and month) and the monthly-check alerts.
 * All state is in the `jobs` row, so any server can report a run another one is processing.
 * Employees are read in keyset chunks; each chunk costs a fixed number of queries (enrollments, the
 * ledger, bulk upserts), never one per employee. The rule set is compiled once per run. Every event of
 * the monthly-check rule set goes to its registered action (as in an operation's apply), with host
 * services whose writes are collected per chunk and stored in one statement per table.
 * It runs as a queue job (server/jobs/queue.ts): each chunk commits with the job's checkpoint (the last
 * employee id and the counts so far), so a run retried after its server died resumes after the last
 * committed chunk and writes no ledger row, alert or reminder twice.
 */
import type { Knex } from "knex";
import {
  addMonths,
  calculateContributions,
  dayOfMonth,
  daysBetween,
  firstDay,
  lastDay,
  monthsBetween,
  resolveMonth,
  type PolicySet,
} from "../../policies/index";
import { SOCIAL_INSURANCE_CODES } from "../../domain/index";
import { runActions, type CompiledRuleSet, type Registry } from "../../rules/index";
import { AppError, errorMessage, fail } from "../errors";
import type { AppContext } from "../http/context";
import { loadPolicySet } from "../policy-tables/policy-set";
import { WriteBatch, type DecisionScope } from "./host-services";
import { ReminderFactsLoader } from "../reminders/facts";
import { notEnrolledAlerts } from "../alerts/not-enrolled";
import { RULE_SETS } from "./service";
import { isUuid } from "../http/formats";
import { resolveRaisedForPaid } from "../payments/service";
import { isCalendarDate, MONTH } from "../../domain/index";
import { confirmedBases } from "../base-declarations/service";
import { wageHistories } from "../base-declarations/wage-history";
import { expectedDeclaredWage } from "../base-declarations/compute";
import { claimJob, insertJob } from "../jobs/store";
import { auditMonthlyRun } from "../audit/decisions";
import { JobBusyError, type Attempt } from "../jobs/queue";

type Row = Record<string, any>;

export interface JobView {
  id: string;
  type: string;
  status: string;
  progress: number;
  total: number;
  params: unknown;
  result: unknown;
  /** Why a run failed, for users: a catalogue code and a message (the detail is in the server log). */
  error: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

const view = (r: Row): JobView => ({
  id: r.id,
  type: r.type,
  status: r.status,
  progress: r.progress,
  total: r.total,
  params: r.params,
  result: r.result ?? null,
  error: parseError(r.error, (r.params as { month?: string } | null)?.month),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function parseError(stored: string | null | undefined, month = ""): JobView["error"] {
  if (!stored) return null;
  try {
    const e = JSON.parse(stored) as { code?: unknown; message?: unknown };
    if (typeof e.code === "string" && typeof e.message === "string") return { code: e.code, message: e.message };
  } catch {
    /* a row written before errors were stored as code and message: its text is not shown */
  }
  return { code: "MONTHLY_RUN_FAILED", message: errorMessage("MONTHLY_RUN_FAILED", { month }) };
}

export async function getJob(db: Knex, tenantId: string, id: string): Promise<JobView> {
  const row = isUuid(id) ? await db("jobs").where({ tenant_id: tenantId, id }).first() : undefined;
  if (!row)
    throw fail("NOT_FOUND", { resource: "jobs", id }, { message: `No job ${id}`, details: { resource: "jobs", id } });
  return view(row);
}

/** A monthly run's job: validated params and the employee count (its progress total). */
export async function monthlyRunJob(
  db: Knex,
  tenantId: string,
  body: { month: string; at?: string },
): Promise<{ params: { month: string; at: string }; total: number }> {
  if (!MONTH.test(body.month))
    throw fail(
      "INVALID_MONTH",
      { field: "month" },
      { message: "month must be YYYY-MM", details: { field: "month" }, errors: { month: "must be YYYY-MM" } },
    );
  if (body.at !== undefined && !isCalendarDate(body.at))
    throw fail(
      "INVALID_DATE",
      { field: "at" },
      { message: "at must be YYYY-MM-DD", details: { field: "at" }, errors: { at: "must be a date" } },
    );
  const total = Number((await db("employees").where({ tenant_id: tenantId }).count({ n: "*" }))[0]!.n);
  return { params: { month: body.month, at: body.at ?? new Date().toISOString().slice(0, 10) }, total };
}

/** A queued monthly-run job row (not handed to the queue), or the queued / running one of that month. */
export async function createMonthlyRun(
  db: Knex,
  tenantId: string,
  body: { month: string; at?: string },
  actorId: string | null,
): Promise<JobView> {
  const { params, total } = await monthlyRunJob(db, tenantId, body);
  const { id } = await insertJob(db, tenantId, {
    type: "monthly-run",
    params,
    total,
    actorId,
    singletonKey: params.month,
  });
  return getJob(db, tenantId, id);
}

interface Checkpoint {
  after: string | null;
  done: number;
  decisionId: string | null;
  version: number | "draft" | null;
  counts: RunState["counts"];
  errors: RunState["errors"];
}

interface RunState {
  tenantId: string;
  jobId: string;
  month: string;
  at: string;
  policy: PolicySet;
  registry: Registry;
  compiled?: CompiledRuleSet;
  version: number | "draft" | null;
  decisionId: string | null;
  actorId: string | null;
  counts: {
    ledger: number;
    alerts: number;
    reminders: number;
    decisions: number;
    errors: number;
    byType: Record<string, number>;
  };
  errors: { employeeId: string; code: string; message: string }[];
}

/**
 * Processes a queued job to the end (or resumes a retried one after its checkpoint). A public error marks
 * it failed with the reason; an unexpected one (the database went away) is thrown for the queue to retry,
 * unless this is the last attempt, which marks it failed.
 */
export async function processMonthlyRun(
  ctx: AppContext,
  tenantId: string,
  jobId: string,
  attempt: Attempt = { retry: 0, final: true },
): Promise<JobView> {
  const db = ctx.db;
  const claim = await claimJob(db, tenantId, jobId, {
    staleMs: ctx.config.jobStaleSeconds * 1000,
    worker: ctx.jobs.worker,
  });
  if ("busy" in claim && !attempt.final) throw new JobBusyError(jobId);
  if (!("row" in claim)) return getJob(db, tenantId, jobId);
  const job = claim.row;
  const { month, at } = job.params as { month: string; at: string };
  const resumed = (job.checkpoint ?? null) as Checkpoint | null;
  try {
    const policy = await loadPolicySet(db, tenantId);
    const st: RunState = {
      tenantId,
      jobId,
      month,
      at,
      policy,
      registry: ctx.rules.registry,
      version: null,
      decisionId: null,
      actorId: job.actor_id ?? null,
      counts: resumed?.counts ?? { ledger: 0, alerts: 0, reminders: 0, decisions: 0, errors: 0, byType: {} },
      errors: resumed?.errors ?? [],
    };
    try {
      const r = await ctx.rules.resolve(db, tenantId, RULE_SETS.monthly, undefined, at);
      st.compiled = ctx.rules.compile(tenantId, r);
      st.version = resumed ? resumed.version : r.version;
      if (resumed) st.decisionId = resumed.decisionId;
      else
        await db.transaction(async (trx) => {
          const [d] = await trx("decisions")
            .insert({
              tenant_id: tenantId,
              rule_set: RULE_SETS.monthly,
              version: r.version === "draft" ? null : r.version,
              operation: "monthly-run",
              facts: JSON.stringify({ month, at, jobId }),
              events: "[]",
              trace: "[]",
              actions: "[]",
              actor_id: job.actor_id ?? null,
            })
            .returning("id");
          st.decisionId = d.id;
          await trx("jobs")
            .where({ tenant_id: tenantId, id: jobId })
            .update({ checkpoint: JSON.stringify(checkpointOf(st, null, 0)) });
          await auditMonthlyRun(trx, tenantId, jobId, { month, at, version: r.version }, d.id);
        });
    } catch (e) {
      // Without a monthly-check rule set in force the ledger is still written; there are just no alerts.
      if (!(e instanceof AppError && e.status === 404)) throw e;
    }
    let after: string | null = resumed?.after ?? null;
    let done = resumed?.done ?? 0;
    for (;;) {
      const q = db("employees")
        .where({ tenant_id: tenantId })
        .orderBy("id")
        .limit(ctx.config.monthlyRunChunk)
        .select(
          "id",
          "employee_no",
          "name",
          "insured_city",
          "monthly_wage",
          "hukou_local",
          "status",
          "leave_date",
          "hire_date",
        );
      if (after) q.andWhere("id", ">", after);
      const employees: Row[] = await q;
      if (!employees.length) break;
      done += employees.length;
      after = employees[employees.length - 1].id;
      await db.transaction(async (trx) => {
        await processChunk(trx, st, employees);
        // The chunk and the checkpoint commit together: a retried run continues after this chunk.
        await trx("jobs")
          .where({ tenant_id: tenantId, id: jobId })
          .update({
            progress: done,
            checkpoint: JSON.stringify(checkpointOf(st, after, done)),
            updated_at: db.fn.now(),
          });
      });
    }
    const result = () => ({
      month,
      at,
      ruleSet: RULE_SETS.monthly,
      version: st.version,
      decisionId: st.decisionId,
      ...st.counts,
      errorSamples: st.errors.slice(0, 20),
    });
    await cityChecks(db, st, (trx) =>
      trx("jobs")
        .where({ tenant_id: tenantId, id: jobId })
        .update({
          status: "done",
          progress: done,
          total: Math.max(done, job.total),
          result: JSON.stringify(result()),
          updated_at: db.fn.now(),
          finished_at: db.fn.now(),
        }),
    );
    ctx.logger.info({ tenantId, jobId, month, ledger: st.counts.ledger, alerts: st.counts.alerts }, "monthly run done");
  } catch (e) {
    // The detail (SQL, stack) stays in the log; users see a catalogue code and message.
    if (!attempt.final && !(e instanceof AppError && e.isPublic)) {
      // Back to the queue, which retries it (with backoff) from the last checkpoint.
      ctx.logger.warn({ err: e, tenantId, jobId, month, retry: attempt.retry }, "monthly run failed, will retry");
      await db("jobs").where({ tenant_id: tenantId, id: jobId }).update({ status: "queued", updated_at: db.fn.now() });
      throw e;
    }
    ctx.logger.error({ err: e, tenantId, jobId, month }, "monthly run failed");
    // A public error (e.g. a monthly-check rule set that no longer validates) says what to fix.
    const error =
      e instanceof AppError && e.isPublic
        ? { code: e.code, message: e.message }
        : { code: "MONTHLY_RUN_FAILED", message: errorMessage("MONTHLY_RUN_FAILED", { month }) };
    await db("jobs")
      .where({ tenant_id: tenantId, id: jobId })
      .update({ status: "failed", error: JSON.stringify(error), updated_at: db.fn.now(), finished_at: db.fn.now() });
  }
  return getJob(db, tenantId, jobId);
}

async function processChunk(trx: Knex.Transaction, st: RunState, employees: Row[]): Promise<void> {
  const { tenantId, month, at, policy } = st;
  const ids = employees.map((e) => e.id);
  const previous = addMonths(month, -1);
  const [enrollments, ledger, last, declared, histories] = await Promise.all([
    trx("enrollments")
      .where({ tenant_id: tenantId })
      .whereIn("employee_id", ids)
      .whereIn("status", ["pending", "active", "ended"])
      .andWhere("from_date", "<=", lastDay(month))
      .andWhere((q) => q.whereNull("to_date").orWhere("to_date", ">=", firstDay(month)))
      .orderBy("from_date")
      .select("employee_id", "insured_city", "insurances", "base"),
    trx("contributions")
      .where({ tenant_id: tenantId })
      .whereIn("employee_id", ids)
      .whereIn("month", [previous, month])
      .select("employee_id", "month", "status", "city"),
    trx("contributions")
      .where({ tenant_id: tenantId })
      .whereIn("employee_id", ids)
      .andWhere("month", "<", month)
      .groupBy("employee_id")
      .select("employee_id", trx.raw("max(month) AS last_month")),
    confirmedBases(trx, tenantId, month, ids),
    wageHistories(trx, tenantId, ids),
  ]);
  const enrollmentOf = new Map<string, Row>();
  for (const en of enrollments) enrollmentOf.set(en.employee_id, en); // latest period wins
  const previousOf = new Map<string, Row>();
  const current = new Set<string>();
  for (const c of ledger) {
    if (c.month === previous) previousOf.set(c.employee_id, c);
    else if (c.status !== "due") current.add(c.employee_id); // paid / not received rows are final
  }
  const lastOf = new Map<string, string>(last.map((l: Row) => [l.employee_id, l.last_month]));

  const rows: Row[] = [];
  const batch = new WriteBatch(new ReminderFactsLoader(trx, tenantId, ids));
  for (const e of employees) {
    const en = enrollmentOf.get(e.id);
    let declaredBase = 0;
    let wageBase = 0;
    let expectedBase = 0;
    if (en && !current.has(e.id)) {
      try {
        // A confirmed base declaration for the month's base year decides the base (年度调基).
        const r = calculateContributions(policy, {
          city: en.insured_city,
          month,
          wage: declared.get(`${e.id}|${en.insured_city}`) ?? en.base ?? e.monthly_wage,
          hukouLocal: e.hukou_local,
          insurances: Array.isArray(en.insurances) && en.insurances.length ? en.insurances : SOCIAL_INSURANCE_CODES,
        });
        const pension = r.items.find((i) => i.insurance === "pension") ?? r.items[0];
        declaredBase = Number(pension?.base ?? 0);
        const line = resolveMonth(policy, en.insured_city, month).lines.get("pension");
        const wage = Number(e.monthly_wage);
        wageBase = line ? Math.min(Math.max(wage, line.lower.toNumber()), line.upper.toNumber()) : wage;
        // 错缴 is measured against what the base year's declaration should carry, not today's wage.
        const expected = expectedDeclaredWage(policy, en.insured_city, month, histories.get(e.id) ?? [], {
          hireDate: e.hire_date,
          leaveDate: e.leave_date ?? null,
          currentWage: String(e.monthly_wage),
        });
        const w = expected === null ? wage : Number(expected);
        expectedBase = line ? Math.min(Math.max(w, line.lower.toNumber()), line.upper.toNumber()) : w;
        rows.push({
          employee_id: e.id,
          city: en.insured_city,
          base: pension?.base ?? "0",
          employer: r.totals.employer,
          employee: r.totals.employee,
          items: r.items,
          wage: en.base ?? e.monthly_wage,
          provisional: r.provisional,
          carried_from: r.carriedFrom,
        });
      } catch (err) {
        st.counts.errors++;
        if (st.errors.length < 20)
          st.errors.push({
            employeeId: e.id,
            code: (err as { code?: string }).code ?? "ERROR",
            message: (err as Error).message,
          });
        continue;
      }
    }
    if (!st.compiled) continue;
    const prev = previousOf.get(e.id);
    const lastMonth = lastOf.get(e.id) ?? null;
    const deadlineDay = prev
      ? (policy.lookup("si-city-settings", { city: prev.city }, firstDay(previous))?.values.paymentDeadlineDay as
          | number
          | undefined)
      : undefined;
    const facts = {
      scope: "employee",
      month,
      previousMonth: previous,
      employeeNo: e.employee_no,
      employeeName: e.name,
      city: en?.insured_city ?? e.insured_city,
      enrolled: !!en,
      leftBeforeMonth: !!e.leave_date && e.leave_date < firstDay(month),
      leaveDate: e.leave_date ?? null,
      declaredBase,
      wageBase,
      expectedBase,
      previousMonthStatus: prev?.status ?? null,
      previousDeadlinePassed: deadlineDay !== undefined && at > dayOfMonth(previous, deadlineDay),
      gapMonths: en && lastMonth ? Math.max(0, monthsBetween(lastMonth, month) - 1) : 0,
      lastContributionMonth: lastMonth,
    };
    const evaluation = await st.compiled.evaluate(facts, { at, services: { tenantId, policy } });
    if (evaluation.events.length) await dispatch(st, batch, trx, facts, evaluation, e.id);
  }
  // A month already paid is never "not received", whatever the rule set says; the alert names its month,
  // so paying it resolves it.
  batch.alerts = batch.alerts.filter(
    (a) => a.type !== "not_received" || previousOf.get(a.employee_id as string)?.status !== "paid",
  );
  for (const a of batch.alerts)
    if (a.type === "not_received") a.data = JSON.stringify({ ...JSON.parse(a.data as string), month: previous });
  // Active employees without an enrollment are not skipped silently (issue 9, point 4).
  batch.alerts.push(
    ...(await notEnrolledAlerts(
      trx,
      tenantId,
      month,
      st.decisionId,
      employees.filter((e) => !enrollmentOf.has(e.id)),
    )),
  );
  // A not-received alert marks last month's ledger row (read before the batch is stored).
  const notReceived = batch.alerts.filter((a) => a.type === "not_received").map((a) => a.employee_id as string);
  if (rows.length) {
    // One JSON parameter instead of ~13 bindings a row: cheaper to build and to parse for large chunks.
    // Re-running a month replaces rows still due (a corrected base) and never touches paid ones, nor
    // rows a 差额补缴 adjustment already settles (the adjustment is relative to what the row charged).
    await trx.raw(
      `INSERT INTO contributions
         (tenant_id, employee_id, month, city, base, employer, employee, items, status, back_paid, job_id,
          wage, provisional, carried_from)
       SELECT ?, r.employee_id, ?, r.city, r.base, r.employer, r.employee, r.items, 'due', false, ?,
              r.wage, r.provisional, r.carried_from
       FROM jsonb_to_recordset(?::jsonb)
         AS r(employee_id uuid, city text, base numeric, employer numeric, employee numeric, items jsonb,
              wage numeric, provisional boolean, carried_from text)
       ON CONFLICT (tenant_id, employee_id, month) DO UPDATE SET
         city = excluded.city, base = excluded.base, employer = excluded.employer,
         employee = excluded.employee, items = excluded.items, job_id = excluded.job_id, wage = excluded.wage,
         provisional = excluded.provisional, carried_from = excluded.carried_from, updated_at = now()
       WHERE contributions.status = 'due' AND NOT EXISTS (SELECT 1 FROM contribution_adjustments a
         WHERE a.tenant_id = contributions.tenant_id AND a.contribution_id = contributions.id)`,
      [tenantId, month, st.jobId, JSON.stringify(rows)],
    );
    st.counts.ledger += rows.length;
  }
  await flush(st, batch, trx);
  if (notReceived.length) {
    await trx("contributions")
      .where({ tenant_id: tenantId, month: previous, status: "due" })
      .whereIn("employee_id", notReceived)
      .update({ status: "not_received", updated_at: trx.fn.now() });
    // A payment that committed while this chunk was read: its month stays paid and its alert resolved.
    await resolveRaisedForPaid(trx, tenantId, notReceived, previous);
  }
}

const checkpointOf = (st: RunState, after: string | null, done: number): Checkpoint => ({
  after,
  done,
  decisionId: st.decisionId,
  version: st.version,
  counts: st.counts,
  errors: st.errors.slice(0, 20),
});

/**
 * The city scope of the monthly check: one evaluation per city with the month's totals (sums in SQL),
 * committed with `finish` (the job marked done), so a retry never writes the city alerts again.
 */
async function cityChecks(db: Knex, st: RunState, finish: (trx: Knex.Transaction) => Promise<unknown>): Promise<void> {
  if (!st.compiled) {
    await db.transaction(finish);
    return;
  }
  const cities: Row[] = await db("contributions")
    .where({ tenant_id: st.tenantId, month: st.month, status: "due" })
    .groupBy("city")
    .select("city", db.raw("count(*)::int AS employees"), db.raw("sum(employer + employee)::text AS amount"));
  await db.transaction(async (trx) => {
    const batch = new WriteBatch();
    for (const c of cities) {
      const day = st.policy.lookup("si-city-settings", { city: c.city }, firstDay(st.month))?.values
        .paymentDeadlineDay as number | undefined;
      if (day === undefined) continue;
      const paymentDeadline = dayOfMonth(st.month, day);
      const facts = {
        scope: "city",
        month: st.month,
        city: c.city,
        daysToDeadline: daysBetween(st.at, paymentDeadline),
        paymentDeadline,
        employees: Number(c.employees),
        amountDue: String(c.amount ?? "0.00"),
      };
      const evaluation = await st.compiled!.evaluate(facts, {
        at: st.at,
        services: { tenantId: st.tenantId, policy: st.policy },
      });
      if (!evaluation.events.length) continue;
      await dispatch(st, batch, trx, facts, evaluation, null, {
        city: c.city,
        month: st.month,
        employees: facts.employees,
        amountDue: facts.amountDue,
      });
    }
    await flush(st, batch, trx);
    await finish(trx);
  });
}

/** Hands one evaluation's events to their registered actions, with services writing into `batch`. */
async function dispatch(
  st: RunState,
  batch: WriteBatch,
  trx: Knex.Transaction,
  facts: Record<string, unknown>,
  evaluation: Awaited<ReturnType<CompiledRuleSet["evaluate"]>>,
  employeeId: string | null,
  alertData?: Record<string, unknown>,
): Promise<void> {
  const scope: DecisionScope = {
    trx,
    tenantId: st.tenantId,
    employeeId,
    at: st.at,
    policy: st.policy,
    decisionId: st.decisionId!,
    operation: "monthly-run",
    actorId: st.actorId,
    alertData,
  };
  await runActions(evaluation.events, st.registry, {
    tenantId: st.tenantId,
    ruleSet: RULE_SETS.monthly,
    version: st.version ?? "draft",
    facts,
    trace: evaluation.results,
    services: batch.services(scope),
  });
}

async function flush(st: RunState, batch: WriteBatch, trx: Knex.Transaction): Promise<void> {
  for (const a of batch.alerts) st.counts.byType[a.type as string] = (st.counts.byType[a.type as string] ?? 0) + 1;
  const stored = await batch.flush(trx);
  st.counts.alerts += stored.alerts;
  st.counts.reminders += stored.reminders;
  st.counts.decisions += stored.decisions;
}
