/**
 * Appending to the audit log, in the caller's transaction. Entries of a tenant form a chain: each
 * stores the previous entry's hash and its own, sha256(prev hash + canonical JSON of the entry), and
 * appends are serialised per tenant by an advisory lock held to the end of the transaction, so two
 * servers never fork the chain. An edited row no longer matches its hash; a deleted one leaves a gap.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { auditScope } from "./scope";
import { boundedAsync, canonical, changeOfAsync } from "./diff";
import { yieldEvery } from "../util/yield";

export const GENESIS = "0".repeat(64);
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export interface AuditWrite {
  resource: string;
  resourceId?: string | null;
  operation: string;
  before?: unknown;
  after?: unknown;
  decisionId?: string | null;
  /** Stored as given (already a difference), not diffed again. */
  raw?: boolean;
}

type Row = Record<string, any>;

/** The fields the hash covers, read the same way from a new entry and from a stored row. */
export function hashedFields(row: Row): Row {
  return {
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    id: row.id,
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
  };
}

export const entryHash = (prevHash: string, row: Row) =>
  createHash("sha256")
    .update(prevHash + canonical(hashedFields(row)))
    .digest("hex");

/** Runs `fn` in `db` if it is a transaction, else in a new one: an entry commits with its change. */
export function inTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Knex.Transaction) : db.transaction(fn);
}

/** Takes the tenant's chain lock (to the end of the transaction) and answers its head. */
async function chainHead(trx: Knex, tenantId: string): Promise<{ seq: number; hash: string }> {
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [`ordo.audit:${tenantId}`]);
  const last = await trx("audit_log").where({ tenant_id: tenantId }).orderBy("seq", "desc").first("seq", "hash");
  if (last) return { seq: Number(last.seq), hash: last.hash };
  const anchor = await trx("audit_anchors").where({ tenant_id: tenantId }).first("seq", "hash");
  return anchor ? { seq: Number(anchor.seq), hash: anchor.hash } : { seq: 0, hash: GENESIS };
}

/** Appends entries for one tenant in order; a write whose before and after are equal is still recorded. */
export async function appendAudit(db: Knex, tenantId: string, writes: AuditWrite[]): Promise<string[]> {
  if (!writes.length) return [];
  // The changes first, letting the event loop in on large documents, and before the chain lock is taken.
  const pause = yieldEvery(10);
  const changes: { before: unknown; after: unknown }[] = [];
  for (const w of writes)
    changes.push(
      await boundedAsync(
        w.raw
          ? { before: w.before ?? null, after: w.after ?? null }
          : await changeOfAsync(w.before ?? null, w.after ?? null, pause),
        sha256,
        pause,
      ),
    );
  return inTransaction(db, async (trx) => {
    const scope = auditScope();
    let head = await chainHead(trx, tenantId);
    const at = new Date().toISOString();
    const rows: Row[] = writes.map((w, i) => {
      const change = changes[i]!;
      const row: Row = {
        tenant_id: tenantId,
        seq: head.seq + 1,
        id: randomUUID(),
        at,
        user_id: scope?.userId ?? null,
        user_email: scope?.userEmail ?? null,
        role: scope?.role ?? "system",
        request_id: scope?.requestId ?? null,
        resource: w.resource,
        resource_id: w.resourceId ?? null,
        operation: w.operation,
        before: change.before,
        after: change.after,
        decision_id: w.decisionId ?? null,
        prev_hash: head.hash,
      };
      // What is hashed is what reads back: JSON through jsonb (key order aside) is the same value.
      row.before = JSON.parse(JSON.stringify(row.before));
      row.after = JSON.parse(JSON.stringify(row.after));
      row.hash = entryHash(head.hash, row);
      head = { seq: row.seq, hash: row.hash };
      return row;
    });
    for (let i = 0; i < rows.length; i += 500)
      await trx("audit_log").insert(
        rows.slice(i, i + 500).map((r) => ({
          ...r,
          before: r.before === null ? null : JSON.stringify(r.before),
          after: r.after === null ? null : JSON.stringify(r.after),
        })),
      );
    if (scope) scope.written += rows.length;
    return rows.map((r) => r.id as string);
  });
}

/** One entry. */
export async function audit(db: Knex, tenantId: string, write: AuditWrite): Promise<string> {
  return (await appendAudit(db, tenantId, [write]))[0]!;
}
