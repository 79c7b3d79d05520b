/**
 * Records that a tenant runs the packs installRulePacks just installed (seed and new tenants), so they show
 * their pack version and drift from the start: each asset's adopted copy is the pack's shipped content.
 */
import type { Knex } from "knex";
import type { AuthUser } from "../auth/service";
import { defaultCatalogue, type Pack } from "./catalogue";
import { adoptionStore } from "./store";

export async function recordInstalledPack(
  trx: Knex.Transaction,
  tenantId: string,
  key: string,
  user: AuthUser | null,
  catalogue: readonly Pack[] = defaultCatalogue,
): Promise<void> {
  const p = catalogue.find((c) => c.manifest.key === key);
  if (!p) throw new Error(`no pack ${key}`);
  const v = p.manifest.version;
  const fresh = await adoptionStore.insert(trx, tenantId, {
    packKey: key,
    version: v,
    packChecksum: p.checksum,
    userId: user?.id ?? null,
  });
  if (!fresh) return;
  const assets = p.assets.map((a) => ({
    kind: a.kind,
    key: a.key,
    packVersion: v,
    checksum: a.checksum,
    content: a.content,
  }));
  await adoptionStore.putAssets(trx, tenantId, key, assets);
}
