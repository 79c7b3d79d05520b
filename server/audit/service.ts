/**
 * Reading the audit log: the list with its filters, one entry with its decision expanded, the chain
 * check, and the retention purge (the only DELETE the table's trigger lets through).
 */
import type { Knex } from "knex";
import { fail } from "../errors";
import { isUuid } from "../http/formats";
import type { SimpleListQuery } from "../http/list";
import { entryHash, GENESIS } from "./log";

type Row = Record<string, any>;

export const AUDIT_SORT = ["seq", "at", "resource", "operation", "userEmail"] as const;
const SORT_COLUMN: Record<string, string> = {
  id: "seq",
  seq: "seq",
  at: "seq",
  resource: "resource",
  operation: "operation",
  userEmail: "user_email",
};

export function entryRecord(row: Row) {
  return {
    id: row.id,
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    userId: row.user_id ?? null,
    userEmail: row.user_email ?? null,
    role: row.role,
    requestId: row.request_id ?? null,
    resource: row.resource,
    resourceId: row.resource_id ?? null,
    operation: row.operation,
    before: row.before ?? null,
    after: row.after ?? null,
    decisionId: row.decision_id ?? null,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

function filtered(db: Knex, tenantId: string, filter: Record<string, unknown>) {
  const q = db("audit_log").where({ tenant_id: tenantId });
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null || v === "") continue;
    const s = String(v);
    if (k === "userId") {
      if (!isUuid(s)) throw badFilter(k, "must be a user id (UUID)");
      q.andWhere("user_id", s);
    } else if (k === "resource") q.andWhere("resource", s);
    else if (k === "resourceId" || k === "recordId") q.andWhere("resource_id", s);
    else if (k === "operation") q.andWhere("operation", s);
    else if (k === "decisionId") {
      if (!isUuid(s)) throw badFilter(k, "must be a decision id (UUID)");
      q.andWhere("decision_id", s);
    } else if (k === "from" || k === "to" || k === "at_gte" || k === "at_lte") {
      if (Number.isNaN(Date.parse(s))) throw badFilter(k, "must be a date or time (ISO 8601)");
      q.andWhere("at", k === "from" || k === "at_gte" ? ">=" : "<=", new Date(s).toISOString());
    } else if (k === "id" && Array.isArray(v)) q.whereIn("id", v.map(String).filter(isUuid));
    else throw badFilter(k, "is not a filter of audit entries");
  }
  return q;
}

const badFilter = (field: string, problem: string) =>
  fail("INVALID_FILTER", { field, problem }, { details: { parameter: "filter", field } });

export async function listAudit(db: Knex, tenantId: string, q: SimpleListQuery) {
  const base = filtered(db, tenantId, q.filter);
  const column = SORT_COLUMN[q.sort[0]] ?? "seq";
  const dir = q.sort[1] === "ASC" ? "asc" : "desc";
  const [rows, count] = await Promise.all([
    base
      .clone()
      .orderBy(column, dir)
      .orderBy("seq", dir)
      .offset(q.range[0])
      .limit(q.range[1] - q.range[0] + 1),
    base.clone().count({ n: "*" }),
  ]);
  return { data: rows.map(entryRecord), total: Number(count[0]!.n) };
}

/** One entry; a lifecycle operation's or monthly run's with its decision: rule set, version, facts, trace. */
export async function getAudit(db: Knex, tenantId: string, id: string) {
  const row = isUuid(id) ? await db("audit_log").where({ tenant_id: tenantId, id }).first() : undefined;
  if (!row) throw fail("NOT_FOUND", { resource: "audit entries", id }, { details: { resource: "audit", id } });
  const d = row.decision_id
    ? await db("decisions").where({ tenant_id: tenantId, id: row.decision_id }).first()
    : undefined;
  return {
    ...entryRecord(row),
    decision: d
      ? {
          id: d.id,
          ruleSet: d.rule_set,
          version: d.version ?? null,
          operation: d.operation,
          employeeId: d.employee_id ?? null,
          facts: d.facts,
          events: d.events,
          trace: d.trace,
          actions: d.actions,
          createdAt: d.created_at,
        }
      : null,
  };
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The purge's anchor the first kept entry continues from (seq 0: nothing purged). */
  anchorSeq: number;
  lastSeq: number;
  broken?: { id: string | null; seq: number; reason: "gap" | "prev-hash" | "hash"; message: string };
}

/** Walks the tenant's chain in order and answers the first broken link, if any. */
export async function verifyAudit(db: Knex, tenantId: string): Promise<VerifyResult> {
  const anchor = await db("audit_anchors").where({ tenant_id: tenantId }).first("seq", "hash");
  const anchorSeq = anchor ? Number(anchor.seq) : 0;
  let prev: string = anchor?.hash ?? GENESIS;
  let expected = anchorSeq + 1;
  let entries = 0;
  for (;;) {
    const rows: Row[] = await db("audit_log")
      .where({ tenant_id: tenantId })
      .andWhere("seq", ">=", expected)
      .orderBy("seq")
      .limit(1000);
    if (!rows.length) break;
    for (const row of rows) {
      const seq = Number(row.seq);
      const broken = (reason: "gap" | "prev-hash" | "hash", message: string) => ({
        ok: false,
        entries,
        anchorSeq,
        lastSeq: expected - 1,
        broken: { id: row.id ?? null, seq, reason, message },
      });
      if (seq !== expected)
        return broken("gap", `entry ${expected}${seq > expected + 1 ? `–${seq - 1}` : ""} is missing before ${seq}`);
      if (row.prev_hash !== prev) return broken("prev-hash", `entry ${seq} does not continue from entry ${seq - 1}`);
      if (entryHash(prev, row) !== row.hash) return broken("hash", `entry ${seq} was altered after it was written`);
      prev = row.hash;
      expected = seq + 1;
      entries++;
    }
  }
  // Entries before the first kept one were removed without the purge's anchor.
  return { ok: true, entries, anchorSeq, lastSeq: expected - 1 };
}

/**
 * Deletes every tenant's entries older than `retentionDays`; the last deleted entry becomes the tenant's
 * anchor, so the chain still verifies from the first kept entry. Idempotent (any server may run it).
 */
export async function purgeAudit(db: Knex, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const tenants: Row[] = await db("audit_log").where("at", "<", cutoff).distinct("tenant_id");
  let purged = 0;
  for (const { tenant_id: tenantId } of tenants)
    purged += await db.transaction(async (trx) => {
      await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [`ordo.audit:${tenantId}`]);
      const last = await trx("audit_log")
        .where({ tenant_id: tenantId })
        .andWhere("at", "<", cutoff)
        .orderBy("seq", "desc")
        .first("seq", "hash");
      if (!last) return 0;
      await trx.raw("SELECT set_config('ordo.audit_purge', 'on', true)");
      const deleted = await trx("audit_log")
        .where({ tenant_id: tenantId })
        .andWhere("seq", "<=", last.seq)
        .delete()
        .returning("seq");
      await trx("audit_anchors")
        .insert({ tenant_id: tenantId, seq: last.seq, hash: last.hash, purged_at: trx.fn.now() })
        .onConflict("tenant_id")
        .merge();
      return deleted.length;
    });
  return purged;
}
