/** Installs the shipped reference tables (policies/data) into a tenant: version 1 of each table it lacks. */
import type { Knex } from "knex";
import { referenceTables } from "../../policies/index";
import type { AuthUser } from "../auth/service";
import { checkContent, policyTableStore } from "./service";

export const REFERENCE_EFFECTIVE_FROM = "2000-01-01";
export const REFERENCE_NOTE = "Ordo reference data";

/** Idempotent: tables the tenant already has (edited or not) are left alone. */
export async function installReferenceTables(db: Knex, tenantId: string, user: AuthUser | null) {
  return db.transaction(async (trx) => {
    const existing = new Set<string>(
      (
        await trx("documents")
          .select("key")
          .where({ tenant_id: tenantId, kind: policyTableStore.opts.kind })
          .whereIn(
            "key",
            referenceTables.map((t) => t.def.key),
          )
      ).map((r: { key: string }) => r.key),
    );
    const installed: string[] = [];
    for (const { def, rows } of referenceTables) {
      if (existing.has(def.key)) continue;
      const meta = { key: def.key, name: def.name, description: def.description ?? null };
      const content = checkContent(meta, {
        keyColumns: def.keyColumns,
        valueColumns: def.valueColumns,
        optionalValues: def.optionalValues ?? [],
        rows,
      });
      await policyTableStore.create(trx, tenantId, meta, content, user);
      await policyTableStore.publish(
        trx,
        tenantId,
        def.key,
        { effectiveFrom: REFERENCE_EFFECTIVE_FROM, note: REFERENCE_NOTE },
        user,
      );
      installed.push(def.key);
    }
    return { installed, skipped: [...existing].sort() };
  });
}
