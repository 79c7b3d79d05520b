/**
 * The bureau's payment file in two steps. Preview: each file row is matched against the ledger
 * (`matched`, `mismatched` with both figures, or `unknown`) and the preview is stored, nothing paid.
 * Apply: the stored matched rows are paid in one transaction; mismatched and unknown rows are reported.
 * A row whose ledger amounts changed since the preview (a re-run month) is not paid either. Applying an
 * applied import again changes nothing and answers the same.
 */
import type { Knex } from "knex";
import { PolicyDecimal } from "../../policies/index";
import { fail } from "../errors";
import { isUuid } from "../http/formats";
import { loadPolicySet } from "../policy-tables/policy-set";
import { readPaymentFile, type PaymentFileRow } from "./payment-file";
import { checkPaidOn, payRows, todayInChina } from "./service";

type Row = Record<string, any>;
type Amounts = { employer: string; employee: string };
export type MatchStatus = "matched" | "mismatched" | "unknown";

export interface PreviewRow {
  line: number;
  employeeNo: string;
  month: string;
  status: MatchStatus;
  /** The amounts in the file. */
  file: Amounts;
  /** The ledger's amounts (matched and mismatched rows). */
  expected?: Amounts;
  /** Which of employer / employee differ (mismatched rows). */
  differs?: ("employer" | "employee")[];
  contributionId?: string;
  employeeId?: string;
  /** The ledger row's status at preview time: a matched row already paid is left as it is. */
  ledgerStatus?: string;
  paidOn?: string;
  reason?: string;
}

export interface ImportView {
  id: string;
  fileName: string | null;
  format: string;
  status: string;
  paidOn: string;
  counts: Record<string, number>;
  rows: PreviewRow[];
  result: unknown;
  createdAt: string;
  appliedAt: string | null;
}

const view = (r: Row): ImportView => ({
  id: r.id,
  fileName: r.file_name ?? null,
  format: r.format,
  status: r.status,
  paidOn: r.paid_on,
  counts: r.counts,
  rows: r.rows,
  result: r.result ?? null,
  createdAt: r.created_at,
  appliedAt: r.applied_at ?? null,
});

const same = (a: string, b: string) => new PolicyDecimal(a).equals(b);
const money = (v: string) => new PolicyDecimal(v).toFixed(2);

async function inChunks<T>(items: T[], size: number, f: (part: T[]) => Promise<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await f(items.slice(i, i + size))));
  return out;
}

async function match(db: Knex, tenantId: string, rows: PaymentFileRow[]): Promise<PreviewRow[]> {
  const numbers = [...new Set(rows.map((r) => r.employeeNo))];
  const employees = await inChunks(numbers, 1000, (part) =>
    db("employees").where({ tenant_id: tenantId }).whereIn("employee_no", part).select("id", "employee_no"),
  );
  const idOf = new Map(employees.map((e) => [e.employee_no as string, e.id as string]));
  const months = [...new Set(rows.map((r) => r.month))];
  const ledger = await inChunks([...idOf.values()], 1000, (part) =>
    db("contributions")
      .where({ tenant_id: tenantId })
      .whereIn("employee_id", part)
      .whereIn("month", months)
      .select("id", "employee_id", "month", "employer", "employee", "status"),
  );
  const rowOf = new Map(ledger.map((c) => [`${c.employee_id}|${c.month}`, c]));
  return rows.map((r): PreviewRow => {
    const file = { employer: money(r.employer), employee: money(r.employee) };
    const base = {
      line: r.line,
      employeeNo: r.employeeNo,
      month: r.month,
      file,
      ...(r.paidOn && { paidOn: r.paidOn }),
    };
    const employeeId = idOf.get(r.employeeNo);
    if (!employeeId) return { ...base, status: "unknown", reason: `no employee ${r.employeeNo}` };
    const c = rowOf.get(`${employeeId}|${r.month}`);
    if (!c) return { ...base, status: "unknown", employeeId, reason: `no ledger row for ${r.month}` };
    const expected = { employer: c.employer as string, employee: c.employee as string };
    const differs = (["employer", "employee"] as const).filter((k) => !same(expected[k], file[k]));
    const common = { ...base, employeeId, contributionId: c.id as string, ledgerStatus: c.status as string, expected };
    return differs.length ? { ...common, status: "mismatched", differs } : { ...common, status: "matched" };
  });
}

function countOf(rows: PreviewRow[]): Record<string, number> {
  const counts = { rows: rows.length, matched: 0, mismatched: 0, unknown: 0, alreadyPaid: 0 };
  for (const r of rows) {
    counts[r.status]++;
    if (r.status === "matched" && r.ledgerStatus === "paid") counts.alreadyPaid++;
  }
  return counts;
}

/** POST /payment-imports: reads and matches the file, stores the preview; nothing is paid. */
export async function previewImport(
  db: Knex,
  tenantId: string,
  actorId: string | null,
  body: string | Buffer,
  opts: { paidOn?: string; fileName?: string },
): Promise<ImportView> {
  const paidOn = opts.paidOn ?? todayInChina();
  checkPaidOn(paidOn);
  const file = await readPaymentFile(body, { latestPaidOn: todayInChina() });
  const rows = await match(db, tenantId, file.rows);
  const [stored] = await db("payment_imports")
    .insert({
      tenant_id: tenantId,
      file_name: opts.fileName ?? null,
      format: file.format,
      status: "previewed",
      paid_on: paidOn,
      rows: JSON.stringify(rows),
      counts: JSON.stringify(countOf(rows)),
      created_by: actorId,
    })
    .returning("*");
  return view(stored);
}

const notFound = (id: string) =>
  fail("NOT_FOUND", { resource: "payment-imports", id }, { details: { resource: "payment-imports", id } });

export async function getImport(db: Knex, tenantId: string, id: string): Promise<ImportView> {
  const row = isUuid(id) ? await db("payment_imports").where({ tenant_id: tenantId, id }).first() : undefined;
  if (!row) throw notFound(id);
  return view(row);
}

export async function listImports(db: Knex, tenantId: string, range: [number, number]) {
  const base = db("payment_imports").where({ tenant_id: tenantId });
  const [rows, [{ n }]] = await Promise.all([
    base
      .clone()
      .orderBy([
        { column: "created_at", order: "desc" },
        { column: "id", order: "desc" },
      ])
      .offset(range[0])
      .limit(range[1] - range[0] + 1)
      .select("id", "file_name", "format", "status", "paid_on", "counts", "created_at", "applied_at"),
    base.clone().count({ n: "*" }),
  ]);
  return { data: rows.map((r: Row) => ({ ...view({ ...r, rows: undefined }), rows: undefined })), total: Number(n) };
}

const brief = (r: PreviewRow) => ({ line: r.line, employeeNo: r.employeeNo, month: r.month });

/** POST /payment-imports/:id/apply: pays the matched rows in one transaction. */
export async function applyImport(db: Knex, tenantId: string, actorId: string | null, id: string) {
  if (!isUuid(id)) throw notFound(id);
  const policy = await loadPolicySet(db, tenantId);
  return db.transaction(async (trx) => {
    const imp = await trx("payment_imports").where({ tenant_id: tenantId, id }).forUpdate().first();
    if (!imp) throw notFound(id);
    if (imp.status === "applied") return view(imp);
    const rows = imp.rows as PreviewRow[];
    const matched = rows.filter((r) => r.status === "matched");
    const current = await inChunks(
      matched.map((r) => r.contributionId!),
      1000,
      (part) =>
        trx("contributions")
          .where({ tenant_id: tenantId })
          .whereIn("id", part)
          .forUpdate()
          .select("id", "employee_id", "month", "city", "employer", "employee", "status"),
    );
    const byId = new Map(current.map((c) => [c.id as string, c]));
    const toPay: Row[] = [];
    const changed: Row[] = [];
    let alreadyPaid = 0;
    for (const r of matched) {
      const c = byId.get(r.contributionId!);
      if (!c) changed.push({ ...brief(r), reason: "the ledger row no longer exists" });
      else if (c.status === "paid") alreadyPaid++;
      else if (!same(c.employer, r.expected!.employer) || !same(c.employee, r.expected!.employee))
        changed.push({
          ...brief(r),
          reason: "the ledger amounts changed since the preview",
          expected: { employer: c.employer, employee: c.employee },
          file: r.file,
        });
      else toPay.push({ ...c, paid_on: r.paidOn ?? imp.paid_on });
    }
    const out = await payRows(trx, tenantId, policy, toPay, { paidOn: imp.paid_on, source: "import", importId: id });
    const result = {
      applied: out.paid.length,
      alreadyPaid,
      lateFee: out.lateFee,
      alertsResolved: out.alertsResolved,
      changed,
      mismatched: rows
        .filter((r) => r.status === "mismatched")
        .map((r) => ({ ...brief(r), expected: r.expected, file: r.file, differs: r.differs })),
      unknown: rows.filter((r) => r.status === "unknown").map((r) => ({ ...brief(r), reason: r.reason })),
    };
    const [updated] = await trx("payment_imports")
      .where({ tenant_id: tenantId, id })
      .update({
        status: "applied",
        result: JSON.stringify(result),
        applied_by: actorId,
        applied_at: trx.fn.now(),
        updated_at: trx.fn.now(),
      })
      .returning("*");
    return view(updated);
  });
}
