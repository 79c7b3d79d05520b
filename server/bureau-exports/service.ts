/**
 * Bureau files (增减员): the additions (enrollments starting in the month) and removals (enrollments
 * ending in it) of a city, in the column layout of the city's bureau (the `bureau-file-layouts` policy
 * table; its `default` rows when the city has none). Each export is recorded with the rows it holds,
 * so a change already exported is left out of the next export unless `includeExported` asks for it.
 */
import type { Knex } from "knex";
import type { Writable } from "node:stream";
import { once } from "node:events";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";
import type { PolicySet } from "../../policies/index";
import { spreadsheetCell } from "../../policies/spreadsheet";
import { fail } from "../errors";
import { loadPolicySet } from "../policy-tables/policy-set";
import { isUuid } from "../http/formats";

export type Change = "add" | "remove";
export interface LayoutColumn {
  header: string;
  field: string;
  format: string;
}
type Row = Record<string, any>;

const LAYOUT_TABLE = "bureau-file-layouts";

const lastDay = (month: string) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const dateText = (v: unknown) => (v ? String(v instanceof Date ? v.toISOString() : v).slice(0, 10) : "");

/** The city's layout in force on the month's first day, or the default one. */
export function layoutOf(policy: PolicySet, city: string, month: string): { city: string; columns: LayoutColumn[] } {
  if (!policy.has(LAYOUT_TABLE)) throw fail("NOT_FOUND", { resource: "Policy tables", id: LAYOUT_TABLE });
  const day = `${month}-01`;
  const inForce = policy
    .rows(LAYOUT_TABLE)
    .filter((r) => r.effectiveFrom <= day && (r.effectiveTo === null || r.effectiveTo >= day));
  for (const c of [city, "default"]) {
    const rows = inForce
      .filter((r) => r.key.city === c)
      .sort((a, b) => Number(a.key.position) - Number(b.key.position));
    if (rows.length)
      return {
        city: c,
        columns: rows.map((r) => ({
          header: String(r.values.header),
          field: String(r.values.field),
          format: String(r.values.format),
        })),
      };
  }
  throw fail("NOT_FOUND", { resource: "Bureau file layouts", id: city });
}

const CHANGE_ZH: Record<Change, string> = { add: "增员", remove: "减员" };
const REASON_ZH: Record<string, string> = {
  hire: "新入职",
  leave: "离职",
  move: "转移",
  remote: "异地参保调整",
  rehire: "再入职",
};

/** One cell: the field's value written in the column's format (then made spreadsheet-safe). */
export function cell(col: LayoutColumn, r: Row): string {
  const v = r[col.field];
  switch (col.format) {
    case "date":
      return dateText(v);
    case "yyyymmdd":
      return dateText(v).replaceAll("-", "");
    case "yyyymm":
      return dateText(String(v ?? "").length === 7 ? `${v}-01` : v)
        .slice(0, 7)
        .replace("-", "");
    case "decimal2":
      return v === null || v === undefined || v === "" ? "" : Number(v).toFixed(2);
    case "change-zh":
      return CHANGE_ZH[v as Change] ?? String(v ?? "");
    case "gender-zh":
      return v === "male" ? "男" : v === "female" ? "女" : "";
    case "hukou-zh":
      return v === true ? "本地户籍" : v === false ? "外地户籍" : "";
    case "reason-zh":
      return REASON_ZH[String(v)] ?? String(v ?? "");
    default:
      return Array.isArray(v) ? v.join(",") : v === null || v === undefined ? "" : String(v);
  }
}

/** The month's changes of a city, additions first, each in employee-number order. */
async function changesOf(trx: Knex.Transaction, tenantId: string, city: string, month: string, all: boolean) {
  const from = `${month}-01`;
  const to = lastDay(month);
  const q = (change: Change) => {
    const dateCol = change === "add" ? "en.from_date" : "en.to_date";
    const query = trx("enrollments as en")
      .join("employees as e", (j) => j.on("e.tenant_id", "en.tenant_id").andOn("e.id", "en.employee_id"))
      .where({ "en.tenant_id": tenantId, "en.insured_city": city })
      .whereNot("en.status", "cancelled")
      .whereBetween(dateCol, [from, to])
      // Coverage in the city that goes on is no change for the bureau: a period that only carries a new
      // base (调基), whatever the rule set called it, starts the day after the one before it ends.
      .whereNotExists(
        trx("enrollments as p")
          .whereRaw("p.tenant_id = en.tenant_id and p.employee_id = en.employee_id and p.id <> en.id")
          .whereRaw("p.insured_city = en.insured_city and p.status <> 'cancelled'")
          .whereRaw(change === "add" ? "p.to_date = en.from_date - 1" : "p.from_date = en.to_date + 1"),
      )
      .select(
        "en.id as enrollment_id",
        "en.insured_city",
        "en.base",
        "en.from_date",
        "en.to_date",
        "en.reason",
        "en.insurances",
        "e.employee_no",
        "e.name",
        "e.gender",
        "e.birth_date",
        "e.hukou_local",
        "e.employment_type",
        "e.hire_date",
        "e.leave_date",
        "e.monthly_wage",
      )
      .orderBy(["e.employee_no", "en.from_date"]);
    if (change === "remove") query.whereNotNull("en.to_date");
    if (!all)
      query.whereNotExists(
        trx("bureau_export_rows as x")
          .whereRaw("x.tenant_id = en.tenant_id and x.enrollment_id = en.id")
          .where("x.change", change),
      );
    return query;
  };
  const [adds, removes] = await Promise.all([q("add"), q("remove")]);
  const row = (r: Row, change: Change) => ({
    enrollmentId: r.enrollment_id,
    change,
    employeeNo: r.employee_no,
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    hukouLocal: r.hukou_local,
    insuredCity: r.insured_city,
    month,
    date: change === "add" ? r.from_date : r.to_date,
    base: r.base ?? r.monthly_wage,
    reason: r.reason,
    employmentType: r.employment_type,
    hireDate: r.hire_date,
    leaveDate: r.leave_date,
    monthlyWage: r.monthly_wage,
    insurances: r.insurances,
  });
  return [...adds.map((r: Row) => row(r, "add")), ...removes.map((r: Row) => row(r, "remove"))];
}

export interface ExportInput {
  city: string;
  month: string;
  format: "csv" | "xlsx";
  includeExported?: boolean;
}

/** Records an export of the month's changes of the city; answers the record with its rows. */
export async function createBureauExport(db: Knex, tenantId: string, input: ExportInput, actorId: string | null) {
  const policy = await loadPolicySet(db, tenantId);
  const layout = layoutOf(policy, input.city, input.month);
  return db.transaction(async (trx) => {
    // One export of a tenant at a time: two at once would both take the rows not yet exported.
    await trx("tenants").where({ id: tenantId }).forUpdate().first("id");
    const changes = await changesOf(trx, tenantId, input.city, input.month, input.includeExported === true);
    const [rec] = await trx("bureau_exports")
      .insert({
        tenant_id: tenantId,
        city: input.city,
        month: input.month,
        format: input.format,
        rows: changes.length,
        include_exported: input.includeExported === true,
        layout: JSON.stringify(layout),
        created_by: actorId,
      })
      .returning("*");
    const lines = changes.map((c, i) => ({
      ...c,
      line: i + 1,
      cells: layout.columns.map((col) => spreadsheetCell(cell(col, { ...c, line: i + 1 }))),
    }));
    if (lines.length)
      await trx("bureau_export_rows").insert(
        lines.map((l) => ({
          tenant_id: tenantId,
          export_id: rec.id,
          enrollment_id: l.enrollmentId,
          change: l.change,
          line: l.line,
          cells: JSON.stringify(l.cells),
        })),
      );
    return {
      ...present(rec),
      lines: lines.map((l) => ({ line: l.line, enrollmentId: l.enrollmentId, change: l.change, cells: l.cells })),
    };
  });
}

export function present(r: Row) {
  return {
    id: r.id,
    city: r.city,
    month: r.month,
    format: r.format,
    rows: r.rows,
    includeExported: r.include_exported,
    layoutCity: r.layout?.city ?? null,
    headers: (r.layout?.columns ?? []).map((c: LayoutColumn) => c.header),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

async function exportOf(db: Knex, tenantId: string, id: string) {
  const rec = isUuid(id) ? await db("bureau_exports").where({ tenant_id: tenantId, id }).first() : undefined;
  if (!rec)
    throw fail("NOT_FOUND", { resource: "Bureau exports", id }, { details: { resource: "bureau-exports", id } });
  return rec;
}

/** The recorded file of an export: its header and the cells as exported, in its format. */
export async function writeBureauFile(db: Knex, tenantId: string, id: string, out: Writable) {
  const rec = await exportOf(db, tenantId, id);
  const rows = await db("bureau_export_rows").where({ tenant_id: tenantId, export_id: id }).orderBy("line");
  const header = (rec.layout.columns as LayoutColumn[]).map((c) => spreadsheetCell(c.header));
  return { rec, write: () => (rec.format === "xlsx" ? xlsx(out, header, rows, rec) : csv(out, header, rows)) };
}

async function csv(out: Writable, header: string[], rows: Row[]) {
  const s = stringify({ bom: true });
  s.pipe(out);
  for (const cells of [header, ...rows.map((r) => r.cells as string[])]) if (!s.write(cells)) await once(s, "drain");
  s.end();
  await once(out, "finish").catch(() => undefined);
}

async function xlsx(out: Writable, header: string[], rows: Row[], rec: Row) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(`增减员 ${rec.city} ${rec.month}`);
  sheet.addRow(header).commit();
  // Every cell is text: employee numbers and dates keep their leading zeros.
  for (const r of rows) sheet.addRow(r.cells as string[]).commit();
  sheet.commit();
  await workbook.commit();
}
