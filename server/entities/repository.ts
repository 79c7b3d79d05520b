/**
 * Storage access derived from an entity declaration. Every query is tenant-scoped here, so another
 * tenant's record is a 404, never a leak. Employees (self-service) additionally see only their own rows.
 */
import type { Knex } from "knex";
import { fail, validationError } from "../errors";
import { compileCached, errorMap } from "../http/ajv";
import type { ResolvedEntity } from "./fields";
import { applyFilter, type ListQuery } from "./query";
import { declaredEntity, entityOfTable } from "./types";
import { audit, inTransaction } from "../audit/log";

export interface Scope {
  tenantId: string;
  /** Restrict to rows whose field equals this value (employee self-service). */
  self?: { field: string; value: string | null };
  /** A further condition a resource's own routes add (e.g. the alerts inbox's open / snoozed views). */
  where?: (qb: Knex.QueryBuilder) => void;
}

type Row = Record<string, unknown>;

/** Counting past this many rows costs more than a page; beyond it the planner's estimate is answered. */
export const EXACT_COUNT_LIMIT = 10_000;

/** Exact up to EXACT_COUNT_LIMIT, then the planner's estimate (never below the limit). */
export async function countRows(db: Knex, filtered: Knex.QueryBuilder): Promise<number> {
  const capped = filtered
    .clone()
    .clearSelect()
    .clearOrder()
    .select(db.raw("1"))
    .limit(EXACT_COUNT_LIMIT + 1);
  const [row] = await db.count({ n: "*" }).from(capped.as("capped"));
  const n = (row as { n: number | string }).n;
  if (Number(n) <= EXACT_COUNT_LIMIT) return Number(n);
  const { sql, bindings } = filtered.clone().clearSelect().clearOrder().select(db.raw("1")).toSQL();
  const explained = await db.raw(`EXPLAIN (FORMAT JSON) ${sql}`, bindings);
  const plan = explained.rows[0]["QUERY PLAN"];
  const estimate = Math.round((typeof plan === "string" ? JSON.parse(plan) : plan)[0].Plan["Plan Rows"]);
  return Math.max(EXACT_COUNT_LIMIT + 1, estimate);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference being written: `field` holds `value`, which must be an id of `table` in the writer's tenant. */
export interface ReferenceWrite {
  field: string;
  table: string;
  value: unknown;
}

/**
 * Refuses (400 INVALID_REFERENCE naming the field, nothing written) a reference to a record that does
 * not exist in this tenant: another tenant's record is as absent as a random id. One query per
 * referenced table, however many fields or rows point into it.
 */
export async function checkReferences(db: Knex, tenantId: string, refs: ReferenceWrite[]): Promise<void> {
  const byTable = new Map<string, ReferenceWrite[]>();
  for (const ref of refs) {
    if (ref.value === null || ref.value === undefined) continue;
    if (typeof ref.value !== "string" || !UUID.test(ref.value)) throw invalidReference(ref);
    (byTable.get(ref.table) ?? byTable.set(ref.table, []).get(ref.table)!).push(ref);
  }
  for (const [table, writes] of byTable) {
    const ids = [...new Set(writes.map((w) => (w.value as string).toLowerCase()))];
    const found = await db(table).where({ tenant_id: tenantId }).whereIn("id", ids).select("id");
    const present = new Set(found.map((r: { id: string }) => r.id.toLowerCase()));
    const missing = writes.find((w) => !present.has((w.value as string).toLowerCase()));
    if (missing) throw invalidReference(missing);
  }
}

function invalidReference(ref: ReferenceWrite) {
  return fail(
    "INVALID_REFERENCE",
    { field: ref.field },
    {
      details: { field: ref.field, value: ref.value },
      errors: { [ref.field]: "does not name a record of this tenant" },
    },
  );
}

/** Postgres refused a delete because other rows still reference the record (a foreign key). */
function referencedBy(err: unknown): string | undefined {
  const e = err as { code?: string; table?: string; detail?: string };
  if (e?.code !== "23503") return undefined;
  return e.detail?.match(/referenced from table "([^"]+)"/)?.[1] ?? e.table ?? "another table";
}

export class EntityRepository {
  constructor(readonly entity: ResolvedEntity) {}

  /** The audit entry of a write, in its transaction (server/audit/log.ts). */
  private audit(trx: Knex, scope: Scope, operation: string, before: Row | null, after: Row | null) {
    const id = String((after ?? before)!.id);
    return audit(trx, scope.tenantId, { resource: this.entity.decl.name, resourceId: id, operation, before, after });
  }

  private get table() {
    return this.entity.decl.table;
  }

  private base(db: Knex, scope: Scope) {
    const qb = db(this.table).where(`${this.table}.tenant_id`, scope.tenantId);
    if (scope.self) {
      const field = this.entity.fields.get(scope.self.field)!;
      if (scope.self.value === null) qb.whereRaw("false");
      else qb.whereRaw(`${field.sql} = ?`, [scope.self.value]);
    }
    scope.where?.(qb);
    return qb;
  }

  private columns(): string[] {
    const cols = ["id"];
    for (const f of this.entity.fields.values()) if (!f.custom && f.column && f.column !== "id") cols.push(f.column);
    if (this.entity.custom.length) cols.push("custom");
    return cols;
  }

  toRecord(row: Row): Row {
    const rec: Row = { id: row.id };
    for (const f of this.entity.fields.values())
      if (!f.custom && f.column && f.name !== "id") rec[f.name] = row[f.column] ?? null;
    const custom = (row.custom ?? {}) as Row;
    for (const cf of this.entity.custom) rec[cf.name] = custom[cf.name] ?? null;
    return rec;
  }

  async list(db: Knex, scope: Scope, q: ListQuery): Promise<{ data: Row[]; total: number }> {
    const search = this.entity.decl.ui.searchFields.length ? "search" : null;
    const filtered = this.base(db, scope);
    applyFilter(filtered, this.entity, q.filter, search);
    const [sortName, dir] = q.sort;
    const sortField = this.entity.fields.get(sortName)!;
    const order = `${sortField.sql} ${dir}${sortField.nullable ? " NULLS LAST" : ""}, "id" ${dir}`;
    // Empty values always sort last. For NOT NULL columns the default null order is kept, so it
    // matches the btree indexes in both directions and they serve the sort.
    // A text search is selective but clustered in sort order, where the planner expects it spread out
    // and walks a sort index for seconds; matching first and sorting the matches is what works.
    const searching = typeof q.filter.q === "string" && q.filter.q.trim() !== "";
    const source: Knex.QueryBuilder = searching
      ? db
          .queryBuilder()
          .withMaterialized("matched", filtered.clone().select(this.columns()))
          .select("*")
          .from("matched")
      : filtered.clone().select(this.columns());
    const page = source
      .orderByRaw(order)
      .offset(q.range[0])
      .limit(q.range[1] - q.range[0] + 1);
    const [rows, total] = await Promise.all([page, countRows(db, filtered)]);
    return { data: rows.map((r: Row) => this.toRecord(r)), total };
  }

  async getOne(db: Knex, scope: Scope, id: string): Promise<Row> {
    const row = UUID.test(id) ? await this.base(db, scope).where("id", id).first(this.columns()) : undefined;
    if (!row)
      throw fail(
        "NOT_FOUND",
        { resource: this.entity.decl.label.en, id },
        { details: { resource: this.entity.decl.name, id } },
      );
    return this.toRecord(row);
  }

  /** The declared references among `fields` of the given records, resolved to the tables they point into. */
  private referenceWrites(records: Row[], fields?: Set<string>): ReferenceWrite[] {
    const out: ReferenceWrite[] = [];
    for (const [field, entityName] of Object.entries(this.entity.decl.ui.references)) {
      const f = this.entity.fields.get(field);
      if (!f || f.readOnly || (fields && !fields.has(field))) continue;
      const target = declaredEntity(entityName);
      if (!target) throw new Error(`${this.entity.decl.name}.${field} references undeclared entity "${entityName}"`);
      for (const record of records) if (field in record) out.push({ field, table: target.table, value: record[field] });
    }
    return out;
  }

  /** Validates a whole record (built-in and custom fields) and splits it into columns and custom jsonb. */
  toRow(record: Row, partialOk = false): Row {
    const input: Row = {};
    const errors: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      const field = this.entity.fields.get(key);
      if (!field) {
        errors[key] = "is not a known field";
        continue;
      }
      if (field.readOnly) continue;
      input[key] = field.kind === "decimal" && typeof value === "number" ? String(value) : value;
      if (value === null && field.custom) delete input[key];
    }
    const { properties, required } = this.entity.schema;
    const writable = Object.fromEntries(
      Object.entries(properties).filter(([k]) => !this.entity.fields.get(k)!.readOnly),
    );
    const validate = compileCached({
      type: "object",
      properties: writable,
      required: partialOk ? [] : (required ?? []),
    });
    if (!validate(input)) Object.assign(errors, errorMap(validate.errors));
    for (const [key, value] of Object.entries(input)) {
      const f = this.entity.fields.get(key)!;
      if (f.kind === "decimal" && typeof value === "string" && value.startsWith("-"))
        errors[key] ??= "must not be negative";
    }
    if (!Object.keys(errors).length && this.entity.decl.check) Object.assign(errors, this.entity.decl.check(input));
    if (Object.keys(errors).length) throw validationError(errors);
    const row: Row = {};
    const custom: Row = {};
    for (const [key, value] of Object.entries(input)) {
      const f = this.entity.fields.get(key)!;
      if (f.custom) custom[key] = value;
      else row[f.column!] = typeof value === "object" && value !== null ? JSON.stringify(value) : value;
    }
    row.custom = JSON.stringify(custom);
    return row;
  }

  async create(db: Knex, scope: Scope, record: Row): Promise<Row> {
    const { id: _, ...rest } = record;
    const row = this.toRow(rest);
    await checkReferences(db, scope.tenantId, this.referenceWrites([rest]));
    const insert = async (trx: Knex) => {
      const [created] = await trx(this.table)
        .insert({ ...row, tenant_id: scope.tenantId })
        .returning(this.columns());
      const record = this.toRecord(created);
      await this.entity.decl.afterWrite?.(trx, scope.tenantId, null, record);
      await this.audit(trx, scope, "create", null, record);
      return record;
    };
    return inTransaction(db, insert);
  }

  /** PUT: the body is merged onto the stored record and the whole result validated (updateMany sends partial data). */
  async update(db: Knex, scope: Scope, id: string, record: Row): Promise<Row> {
    return db.transaction(async (trx) => {
      const current = await this.getOne(trx, scope, id);
      const { id: _, ...merged } = { ...current, ...record };
      const row = this.toRow(merged);
      // Only references this write changes are checked: the stored ones are held by the foreign keys.
      const changed = new Set(Object.keys(record).filter((k) => record[k] !== current[k]));
      await checkReferences(trx, scope.tenantId, this.referenceWrites([merged], changed));
      const [updated] = await this.base(trx, scope)
        .where("id", id)
        .update({ ...row, updated_at: trx.fn.now() })
        .returning(this.columns());
      const written = this.toRecord(updated);
      await this.entity.decl.afterWrite?.(trx, scope.tenantId, current, written);
      await this.audit(trx, scope, "update", current, written);
      return written;
    });
  }

  /** A record other records still reference (an employee with ledger rows, say) is kept: 409 STILL_REFERENCED. */
  async delete(db: Knex, scope: Scope, id: string): Promise<Row> {
    return db.transaction(async (trx) => {
      const current = await this.getOne(trx, scope, id);
      try {
        await this.base(trx, scope).where("id", id).delete();
      } catch (err) {
        const table = referencedBy(err);
        if (!table) throw err;
        const by = entityOfTable(table);
        throw fail(
          "STILL_REFERENCED",
          {
            resource: this.entity.decl.label.en,
            resourceZh: this.entity.decl.label.zh,
            id,
            by: by?.label.en ?? table,
            byZh: by?.label.zh ?? table,
          },
          { details: { resource: this.entity.decl.name, id, referencedBy: by?.name ?? table } },
        );
      }
      await this.audit(trx, scope, "delete", current, null);
      return current;
    });
  }
}
