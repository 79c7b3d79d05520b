/**
 * The unit of work of lifecycle operations (hire, wage change, leave, move): the employees they concern
 * and their open enrollment periods are loaded (locked) once, the operations read and change them in
 * memory, and `flush` stores every change with one statement per table. A single operation is a unit of
 * one employee; a batch upload runs a chunk of rows in one unit, so a row costs no round trip of its own.
 *
 * A row of a batch is `begin` … `commit` or `rollback`: a rollback restores the employee (each row
 * concerns one) and drops the writes the row asked for, as a savepoint would.
 */
import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import Decimal from "decimal.js";
import type { PolicySet } from "../../policies/index";
import type { ReminderInput } from "../../rules/index";
import { AppError, fail } from "../errors";
import { isUuid } from "../http/formats";
import type { RuleSetService, Resolved } from "../rule-sets/service";
import { insertNotifications } from "../notifications/outbox";
import { queueDispatch } from "../notifications/dispatch";
import { ReminderFactsLoader } from "../reminders/facts";
import { resolveAlerts } from "../alerts/service";
import { appendAudit } from "../audit/log";
import { alertRow, decisionRow, reminderRows, type DecisionScope, type OrdoServices } from "./host-services";
import { enrollmentRecord, isOpenOn, OPEN_STATUSES, patchColumns } from "./enrollment-services";

type Row = Record<string, any>;

interface EnrollmentEntry {
  row: Row;
  isNew: boolean;
  dirty: boolean;
}
interface EmployeeEntry {
  row: Row;
  isNew: boolean;
  dirty: boolean;
  enrollments: EnrollmentEntry[];
}

/** Employee columns an operation may change (and a new employee is inserted with). */
const EMPLOYEE_COLUMNS = [
  "name",
  "insured_city",
  "work_city",
  "monthly_wage",
  "employment_type",
  "hukou_local",
  "hire_date",
  "leave_date",
  "status",
] as const;
const HIDDEN = new Set(["tenant_id", "search", "created_at", "updated_at"]);
const visible = (row: Row) => Object.fromEntries(Object.entries(row).filter(([k]) => !HIDDEN.has(k)));
const STATEMENT_ROWS = 500;

type Columns = Record<string, string>;

/**
 * Inserts rows as one JSON parameter (jsonb_to_recordset) instead of a binding a cell: far cheaper for
 * PostgreSQL to parse and bind for hundreds of rows. A jsonb column's value may be given as JSON text.
 */
function insertRecords(trx: Knex.Transaction, table: string, columns: Columns, rows: Row[], onConflict = "") {
  const names = Object.keys(columns);
  const json = `[${rows
    .map(
      (r) =>
        `{${names
          .map((c) => {
            const v = r[c];
            const json = columns[c] === "jsonb" && typeof v === "string" ? v : JSON.stringify(v ?? null);
            return `${JSON.stringify(c)}:${json}`;
          })
          .join(",")}}`,
    )
    .join(",")}]`;
  return trx.raw(
    `INSERT INTO ${table} (${names.join(", ")}) SELECT ${names.map((c) => `r.${c}`).join(", ")}
     FROM jsonb_to_recordset(?::jsonb) AS r(${names.map((c) => `${c} ${columns[c]}`).join(", ")}) ${onConflict}`,
    [json],
  );
}

const DECISION_COLUMNS: Columns = {
  tenant_id: "uuid",
  id: "uuid",
  rule_set: "text",
  version: "integer",
  operation: "text",
  employee_id: "uuid",
  facts: "jsonb",
  events: "jsonb",
  trace: "jsonb",
  actions: "jsonb",
  actor_id: "uuid",
};
const ALERT_COLUMNS: Columns = {
  tenant_id: "uuid",
  type: "text",
  severity: "text",
  employee_id: "uuid",
  due_date: "date",
  message: "text",
  data: "jsonb",
  dedupe_key: "text",
  decision_id: "uuid",
};
const ENROLLMENT_COLUMNS: Columns = {
  tenant_id: "uuid",
  id: "uuid",
  employee_id: "uuid",
  insured_city: "text",
  insurances: "jsonb",
  base: "numeric",
  from_date: "date",
  to_date: "date",
  status: "text",
  reason: "text",
  decision_id: "uuid",
};
const NEW_EMPLOYEE_COLUMNS: Columns = {
  tenant_id: "uuid",
  id: "uuid",
  employee_no: "text",
  name: "text",
  insured_city: "text",
  work_city: "text",
  monthly_wage: "numeric",
  employment_type: "text",
  hukou_local: "boolean",
  hire_date: "date",
  leave_date: "date",
  status: "text",
};

async function inStatements(rows: Row[], write: (part: Row[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += STATEMENT_ROWS) await write(rows.slice(i, i + STATEMENT_ROWS));
}

/**
 * What the units of one batch share: the versions in force, the installed industry rule sets and the
 * org units, read once for every chunk (a batch applies the rule sets in force when it started).
 */
export class UnitShared {
  private resolved = new Map<string, Promise<Resolved>>();
  private industry?: Promise<string[]>;
  private units?: Promise<Row[]>;

  constructor(
    readonly rules: RuleSetService,
    readonly tenantId: string,
    readonly policy: PolicySet,
  ) {}

  /** The version of `key` in force on `at` (its NO_VERSION_IN_FORCE error, the same each time). */
  resolve(db: Knex, key: string, at: string): Promise<Resolved> {
    const k = `${key}|${at}`;
    let r = this.resolved.get(k);
    if (!r) {
      r = this.rules.resolve(db, this.tenantId, key, undefined, at);
      r.catch(() => {}); // awaited by each caller
      this.resolved.set(k, r);
    }
    return r;
  }

  /** The published rule sets of the tenant that carry an industry, by key. */
  industryRuleSets(db: Knex): Promise<string[]> {
    this.industry ??= db("documents")
      .where({ tenant_id: this.tenantId, kind: "rule-set" })
      .whereNotNull("industry")
      .whereNotNull("latest_version")
      .orderBy("key")
      .select("key")
      .then((rows: Row[]) => rows.map((r) => r.key as string));
    return this.industry;
  }

  /** The tenant's org units (id, city, parent, type), oldest first. */
  orgUnits(db: Knex): Promise<Row[]> {
    this.units ??= db("org_units")
      .where({ tenant_id: this.tenantId })
      .orderBy("created_at")
      .select("id", "city", "parent_id", "type")
      .then((rows: Row[]) => rows);
    return this.units;
  }
}

export class LifecycleUnit {
  private readonly entries = new Map<string, EmployeeEntry>();
  private decisions: Row[] = [];
  private alerts: Row[] = [];
  private wageChanges: Row[] = [];
  private reminders: { scope: DecisionScope; input: ReminderInput }[] = [];
  private audits: { before: Row; employeeId: string; operation: string; decisionId: string | null }[] = [];
  private resolved: { employeeId: string; type: string; reason: string; actorId: string | null }[] = [];
  private journal: Map<string, EmployeeEntry | undefined> | null = null;
  private marks: number[] = [];

  private constructor(
    readonly trx: Knex.Transaction,
    readonly shared: UnitShared,
    readonly dryRun: boolean,
  ) {}

  get tenantId() {
    return this.shared.tenantId;
  }
  get policy() {
    return this.shared.policy;
  }

  /**
   * Loads (and locks) the employees and their open periods. A `dryRun` unit (a preview, rolled back
   * afterwards) stores only what a preview reads back: employees, periods, alerts and reminders; the
   * decision rows, wage history, audit entries and resolved alerts are skipped.
   */
  static async load(
    trx: Knex.Transaction,
    shared: UnitShared,
    employeeIds: string[],
    opts: { dryRun?: boolean } = {},
  ): Promise<LifecycleUnit> {
    const unit = new LifecycleUnit(trx, shared, opts.dryRun ?? false);
    const ids = [...new Set(employeeIds.filter(isUuid))];
    for (let i = 0; i < ids.length; i += 1000) {
      const part = ids.slice(i, i + 1000);
      const [employees, enrollments] = await Promise.all([
        trx("employees")
          .where({ tenant_id: shared.tenantId })
          .whereIn("id", part)
          .orderBy("id")
          .forUpdate()
          .select("*"),
        trx("enrollments")
          .where({ tenant_id: shared.tenantId })
          .whereIn("employee_id", part)
          .whereIn("status", [...OPEN_STATUSES])
          .select("*"),
      ]);
      for (const e of employees) unit.entries.set(e.id, { row: e, isNew: false, dirty: false, enrollments: [] });
      for (const n of enrollments)
        unit.entries.get(n.employee_id)?.enrollments.push({ row: n, isNew: false, dirty: false });
    }
    return unit;
  }

  // --- rows of a batch ------------------------------------------------------------------------------

  begin(): void {
    this.journal = new Map();
    this.marks = [
      this.decisions.length,
      this.alerts.length,
      this.wageChanges.length,
      this.reminders.length,
      this.audits.length,
      this.resolved.length,
    ];
  }

  commit(): void {
    this.journal = null;
  }

  rollback(): void {
    for (const [id, saved] of this.journal ?? []) {
      if (saved) this.entries.set(id, saved);
      else this.entries.delete(id);
    }
    this.journal = null;
    const [d, a, w, r, au, res] = this.marks;
    this.decisions.length = d!;
    this.alerts.length = a!;
    this.wageChanges.length = w!;
    this.reminders.length = r!;
    this.audits.length = au!;
    this.resolved.length = res!;
  }

  /** Before a change to an employee in a row: keeps what a rollback restores. */
  private touch(id: string): EmployeeEntry | undefined {
    const entry = this.entries.get(id);
    if (this.journal && !this.journal.has(id))
      this.journal.set(
        id,
        entry && {
          ...entry,
          row: { ...entry.row },
          enrollments: entry.enrollments.map((n) => ({ ...n, row: { ...n.row } })),
        },
      );
    return entry;
  }

  // --- employees ------------------------------------------------------------------------------------

  /** The employee as the operations so far left it (a copy); throws NOT_FOUND when not loaded. */
  employee(id: string): Row {
    const e = this.entries.get(id);
    if (!e) throw fail("NOT_FOUND", { resource: "Employees", id }, { details: { resource: "employees", id } });
    return { ...e.row };
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** A new employee (stored with the flush); answers its id. */
  addEmployee(fields: Row): string {
    const id = randomUUID();
    this.touch(id);
    this.entries.set(id, {
      row: {
        tenant_id: this.tenantId,
        id,
        work_city: null,
        org_unit_id: null,
        leave_date: null,
        hukou_local: false,
        status: "active",
        ...fields,
        monthly_wage: new Decimal(fields.monthly_wage).toFixed(2),
      },
      isNew: true,
      dirty: false,
      enrollments: [],
    });
    return id;
  }

  updateEmployee(id: string, patch: Row): void {
    const e = this.touch(id);
    if (!e) throw fail("NOT_FOUND", { resource: "Employees", id }, { details: { resource: "employees", id } });
    const next = { ...patch };
    if (next.monthly_wage !== undefined) next.monthly_wage = new Decimal(next.monthly_wage).toFixed(2);
    Object.assign(e.row, next);
    e.dirty = true;
  }

  // --- enrollments ----------------------------------------------------------------------------------

  private openEntries(employeeId: string, date: string): EnrollmentEntry[] {
    return (this.entries.get(employeeId)?.enrollments ?? [])
      .filter((n) => isOpenOn(n.row, date))
      .sort((a, b) => (String(a.row.from_date) < String(b.row.from_date) ? 1 : -1));
  }

  openEnrollment(employeeId: string, date: string): Row | undefined {
    const row = this.openEntries(employeeId, date)[0]?.row;
    return row && { ...row };
  }

  openEnrollmentCount(employeeId: string, date: string): number {
    return this.openEntries(employeeId, date).length;
  }

  /** Rows of this unit's periods by decision id are not needed: the flush stores them, effects read them. */
  private enrollmentServices(s: DecisionScope): OrdoServices["enrollments"] {
    const employeeId = s.employeeId;
    return {
      open: async (date) => {
        if (!employeeId) return undefined;
        const row = this.openEnrollment(employeeId, date);
        return row ? enrollmentRecord(row) : undefined;
      },
      create: async (n) => {
        const e = employeeId ? this.touch(employeeId) : undefined;
        if (!e) throw fail("NOT_FOUND", { resource: "Employees", id: String(employeeId) });
        const id = randomUUID();
        e.enrollments.push({
          row: {
            tenant_id: this.tenantId,
            id,
            employee_id: employeeId,
            insured_city: n.insuredCity,
            insurances: n.insurances,
            base: n.base === null ? null : new Decimal(n.base).toFixed(2),
            from_date: n.fromDate,
            to_date: n.toDate,
            status: n.status,
            reason: n.reason,
            decision_id: s.decisionId,
          },
          isNew: true,
          dirty: false,
        });
        return id;
      },
      update: async (id, patch) => {
        const e = employeeId ? this.touch(employeeId) : undefined;
        const n = e?.enrollments.find((x) => x.row.id === id);
        if (!n) throw fail("NOT_FOUND", { resource: "enrollments", id });
        const cols = patchColumns(patch, s.decisionId);
        if (cols.base !== undefined && cols.base !== null) cols.base = new Decimal(cols.base).toFixed(2);
        Object.assign(n.row, cols);
        n.dirty = true;
      },
    };
  }

  // --- writes of decisions --------------------------------------------------------------------------

  /** The host services of one decision about an employee of this unit (writes stored with the flush). */
  services(s: DecisionScope): OrdoServices {
    return {
      trx: s.trx,
      tenantId: s.tenantId,
      employeeId: s.employeeId,
      at: s.at,
      policy: s.policy,
      decisionId: s.decisionId,
      recordDecision: async (d) => {
        const id = randomUUID();
        this.decisions.push(decisionRow(s, d, id));
        return { written: true, queued: true, id };
      },
      raiseAlert: async (a) => {
        const row = alertRow(s, a);
        this.alerts.push(row);
        return { written: true, queued: true, dedupeKey: row.dedupe_key as string | null };
      },
      // Rendered with the flush, once the employee and the periods the rows changed are stored.
      queueReminder: async (input) => {
        this.reminders.push({ scope: s, input });
        return { written: true, queued: true };
      },
      resolveAlerts: async (match, reason) => {
        if (!s.employeeId) return { written: false, reason: "no employee", resolved: 0 };
        this.resolveAlerts(s.employeeId, match.type, reason, s.actorId);
        return { written: true, queued: true };
      },
      enrollments: this.enrollmentServices(s),
      employee: {
        get: async () => {
          const e = s.employeeId ? this.entries.get(s.employeeId) : undefined;
          return e
            ? { id: e.row.id, insuredCity: e.row.insured_city, employmentType: e.row.employment_type }
            : undefined;
        },
        setInsuredCity: async (city) => {
          if (s.employeeId) this.updateEmployee(s.employeeId, { insured_city: city });
        },
      },
    };
  }

  decision(row: Row): void {
    this.decisions.push(row);
  }

  wageChange(row: Row): void {
    this.wageChanges.push({ tenant_id: this.tenantId, ...row });
  }

  /** The employee's open alerts of `type` resolve with the flush (after the alerts the unit raises). */
  resolveAlerts(employeeId: string, type: string, reason: string, actorId: string | null): void {
    this.resolved.push({ employeeId, type, reason, actorId });
  }

  /** An audit entry for the operation: the employee before it (given) and after the flush (read back). */
  audit(before: Row, employeeId: string, operation: string, decisionId: string | null): void {
    this.audits.push({ before, employeeId, operation, decisionId });
  }

  // --- the flush ------------------------------------------------------------------------------------

  /** Stores every change and write of the unit in the unit's transaction; the unit is then spent. */
  async flush(): Promise<void> {
    const { trx, tenantId } = this;
    const entries = [...this.entries.values()];
    const employeeRow = (e: Row) => ({
      tenant_id: tenantId,
      id: e.id,
      employee_no: e.employee_no,
      ...Object.fromEntries(EMPLOYEE_COLUMNS.map((c) => [c, e[c] ?? null])),
      hukou_local: e.hukou_local ?? false,
      status: e.status ?? "active",
    });
    await inStatements(
      entries.filter((e) => e.isNew).map((e) => employeeRow(e.row)),
      (part) => insertRecords(trx, "employees", NEW_EMPLOYEE_COLUMNS, part),
    );
    // The periods and alerts below check their employee key with a plan made when the table was small
    // (a scan of every employee per row, as PGlite never analyzes): fresh statistics make it a lookup.
    if (entries.filter((e) => e.isNew).length >= 100) await trx.raw("ANALYZE employees");
    const changed = entries.filter((e) => !e.isNew && e.dirty).map((e) => employeeRow(e.row));
    await inStatements(changed, (part) =>
      trx.raw(
        `UPDATE employees AS e SET name = r.name, insured_city = r.insured_city, work_city = r.work_city,
           monthly_wage = r.monthly_wage, employment_type = r.employment_type, hukou_local = r.hukou_local,
           hire_date = r.hire_date, leave_date = r.leave_date, status = r.status, updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS r(id uuid, name text, insured_city text, work_city text,
           monthly_wage numeric, employment_type text, hukou_local boolean, hire_date date, leave_date date,
           status text)
         WHERE e.tenant_id = ? AND e.id = r.id`,
        [JSON.stringify(part), tenantId],
      ),
    );
    // Periods and alerts name their decision through deferred keys: a rolled-back dry run never checks them.
    if (!this.dryRun)
      await inStatements(this.decisions, (part) => insertRecords(trx, "decisions", DECISION_COLUMNS, part));
    const periods = entries.flatMap((e) => e.enrollments);
    await inStatements(
      periods.filter((n) => n.isNew).map((n) => n.row),
      (part) => insertRecords(trx, "enrollments", ENROLLMENT_COLUMNS, part),
    );
    await inStatements(
      periods.filter((n) => !n.isNew && n.dirty).map((n) => n.row),
      (part) =>
        trx.raw(
          `UPDATE enrollments AS n SET insured_city = r.insured_city, base = r.base, to_date = r.to_date,
             status = r.status, reason = r.reason, decision_id = r.decision_id, updated_at = now()
           FROM jsonb_to_recordset(?::jsonb) AS r(id uuid, insured_city text, base numeric, to_date date,
             status text, reason text, decision_id uuid)
           WHERE n.tenant_id = ? AND n.id = r.id`,
          [JSON.stringify(part), tenantId],
        ),
    );
    if (!this.dryRun) await inStatements(this.wageChanges, (part) => trx("wage_changes").insert(part));
    await inStatements(this.alerts, (part) =>
      insertRecords(trx, "alerts", ALERT_COLUMNS, part, "ON CONFLICT (tenant_id, dedupe_key) DO NOTHING"),
    );
    // Grouped by type, reason and actor: one statement for a batch's rows.
    const groups = new Map<string, { type: string; reason: string; actorId: string | null; ids: string[] }>();
    for (const r of this.resolved) {
      const k = `${r.type}|${r.reason}|${r.actorId}`;
      const g = groups.get(k) ?? groups.set(k, { type: r.type, reason: r.reason, actorId: r.actorId, ids: [] }).get(k)!;
      g.ids.push(r.employeeId);
    }
    for (const g of this.dryRun ? [] : groups.values())
      for (let i = 0; i < g.ids.length; i += 1000)
        await resolveAlerts(
          trx,
          tenantId,
          { type: g.type, employeeIds: g.ids.slice(i, i + 1000) },
          g.reason,
          g.actorId,
        );
    if (this.reminders.length) {
      const ids = [...new Set(this.reminders.map((r) => r.scope.employeeId).filter((id): id is string => !!id))];
      const loader = new ReminderFactsLoader(trx, tenantId, ids);
      const rows: Row[] = [];
      for (const r of this.reminders) rows.push(...(await reminderRows(r.scope, r.input, loader)).rows);
      if (rows.length && (await insertNotifications(trx, rows)).length)
        await queueDispatch(trx, tenantId, this.reminders[0]!.scope.actorId);
    }
    if (this.audits.length && !this.dryRun) {
      const after = new Map<string, Row>();
      const ids = [...new Set(this.audits.map((a) => a.employeeId))];
      for (let i = 0; i < ids.length; i += 1000)
        for (const e of await trx("employees")
          .where({ tenant_id: tenantId })
          .whereIn("id", ids.slice(i, i + 1000))
          .select("*"))
          after.set(e.id, e);
      await appendAudit(
        trx,
        tenantId,
        this.audits.map((a) => ({
          resource: "employees",
          resourceId: a.employeeId,
          operation: a.operation,
          before: visible(a.before),
          after: visible(after.get(a.employeeId) ?? {}),
          decisionId: a.decisionId,
        })),
      );
    }
    this.entries.clear();
    this.decisions = [];
    this.alerts = [];
    this.wageChanges = [];
    this.reminders = [];
    this.audits = [];
    this.resolved = [];
  }
}

/** Whether an error is one a row of a batch reports (and the batch goes on without the row). */
export const isRowError = (e: unknown): e is AppError => e instanceof AppError && e.isPublic;
