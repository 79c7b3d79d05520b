/**
 * Records that a tenant runs the packs installRulePacks just installed (seed and new tenants), so they show
 * their pack version and drift from the start: each asset's adopted copy is the pack's shipped content.
 * The assets installRulePacks does not install itself (a pack's policy tables, reports and custom fields)
 * are written here when the tenant lacks them, through their kinds' services.
 */
import type { Knex } from "knex";
import type { AuthUser } from "../auth/service";
import type { EntityRegistry } from "../entities/registry";
import { ASSET_KINDS, defaultCatalogue, packEntities, type Pack } from "./catalogue";
import { currentCopy, writeCopy } from "./copies";
import { adoptionStore } from "./store";

export async function recordInstalledPack(
  trx: Knex.Transaction,
  tenantId: string,
  key: string,
  user: AuthUser | null,
  catalogue: readonly Pack[] = defaultCatalogue(),
  entities: EntityRegistry = packEntities(),
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
  const note = `Ordo default pack ${key} ${v}`;
  for (const kind of ASSET_KINDS)
    for (const a of p.assets.filter((x) => x.kind === kind))
      if (!(await currentCopy(trx, tenantId, a))) await writeCopy(trx, tenantId, a, note, user, entities);
  const assets = p.assets.map((a) => ({
    kind: a.kind,
    key: a.key,
    packVersion: v,
    checksum: a.checksum,
    content: a.content,
  }));
  await adoptionStore.putAssets(trx, tenantId, key, assets);
}
