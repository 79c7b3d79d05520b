/**
 * The tenant's policies as one `PolicySet`, from the latest published version of every policy table.
 * Built sets are cached by tenant and fingerprint (key:version:checksum of each table); finding the
 * fingerprint is one small query, so a publish on any server is seen by the next calculation on every server.
 */
import type { Knex } from "knex";
import { PolicySet, type PolicyRow } from "../../policies/index";
import { LruCache } from "../util/lru";
import { policyTableStore, tableDef } from "./service";

export interface LoadedPolicies {
  set: PolicySet;
  /** Table key to the published version the set was built from. */
  versions: Record<string, number>;
  fingerprint: string;
}

const LATEST = "9999-12-31";
const cache = new LruCache<string, LoadedPolicies>(64);

const fingerprintOf = (rows: { key: string; version: number; checksum: string }[]) =>
  rows.map((r) => `${r.key}:${r.version}:${r.checksum}`).join("|");

/** The versions allInForce would pick, without their content. */
async function currentFingerprint(db: Knex, tenantId: string): Promise<string> {
  const rows = await db("document_versions")
    .distinctOn("key")
    .select("key", "version", "checksum")
    .where({ tenant_id: tenantId, kind: policyTableStore.opts.kind })
    .orderBy([{ column: "key" }, { column: "effective_from", order: "desc" }, { column: "version", order: "desc" }]);
  return fingerprintOf(rows);
}

export async function loadPolicies(db: Knex, tenantId: string): Promise<LoadedPolicies> {
  const hit = cache.get(`${tenantId}|${await currentFingerprint(db, tenantId)}`);
  if (hit) return hit;
  const latest = await policyTableStore.allInForce(db, tenantId, LATEST);
  const metas = latest.size
    ? await db("documents")
        .select("key", "name", "description")
        .where({ tenant_id: tenantId, kind: policyTableStore.opts.kind })
        .whereIn("key", [...latest.keys()])
    : [];
  const byKey = new Map(metas.map((m: { key: string; name: string; description: string | null }) => [m.key, m]));
  const tables = [...latest.entries()].map(([key, v]) => ({
    def: tableDef(byKey.get(key) ?? { key, name: key }, v.content),
    rows: (v.content.rows ?? []) as PolicyRow[],
  }));
  // Keyed by what was actually read: a publish between the two queries only makes this entry newer.
  const entries = [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fingerprint = fingerprintOf(entries.map(([key, v]) => ({ key, version: v.version, checksum: v.checksum })));
  // Cities keep collecting at the last published values until a new notice is published (and a late
  // notice is settled by difference back-payment), so the latest row of a key stays in force after its
  // effectiveTo. Before a key's first row there is still no policy.
  const loaded: LoadedPolicies = {
    set: new PolicySet(tables, { carryForward: true }),
    versions: Object.fromEntries(entries.map(([k, v]) => [k, v.version])),
    fingerprint,
  };
  cache.set(`${tenantId}|${fingerprint}`, loaded);
  return loaded;
}

export async function loadPolicySet(db: Knex, tenantId: string): Promise<PolicySet> {
  return (await loadPolicies(db, tenantId)).set;
}
