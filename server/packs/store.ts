/** Pack adoption records (migration 020): one per (tenant, pack), with the copy of each asset it came from. */
import type { Knex } from "knex";
import type { Content } from "../documents/store";

export interface AdoptedAsset {
  kind: string;
  key: string;
  packVersion: string;
  checksum: string;
  content: Content;
}

export interface Adoption {
  packKey: string;
  version: string;
  packChecksum: string;
  adoptedAt: string;
  adoptedBy: string | null;
  upgradedAt: string | null;
  upgradedBy: string | null;
  assets: AdoptedAsset[];
}

const toAdoption = (row: Record<string, any>, assets: Record<string, any>[]): Adoption => ({
  packKey: row.pack_key,
  version: row.version,
  packChecksum: row.pack_checksum,
  adoptedAt: row.adopted_at,
  adoptedBy: row.adopted_by ?? null,
  upgradedAt: row.upgraded_at ?? null,
  upgradedBy: row.upgraded_by ?? null,
  assets: assets
    .filter((a) => a.pack_key === row.pack_key)
    .map((a) => ({
      kind: a.kind,
      key: a.asset_key,
      packVersion: a.pack_version,
      checksum: a.checksum,
      content: a.content,
    })),
});

export const adoptionStore = {
  async list(db: Knex, tenantId: string): Promise<Adoption[]> {
    const [rows, assets] = await Promise.all([
      db("pack_adoptions").where({ tenant_id: tenantId }).orderBy("pack_key"),
      db("pack_adoption_assets").where({ tenant_id: tenantId }),
    ]);
    return rows.map((r: Record<string, any>) => toAdoption(r, assets));
  },

  async get(db: Knex, tenantId: string, packKey: string, forUpdate = false): Promise<Adoption | undefined> {
    const q = db("pack_adoptions").where({ tenant_id: tenantId, pack_key: packKey });
    const row = await (forUpdate ? q.forUpdate() : q).first();
    if (!row) return undefined;
    const assets = await db("pack_adoption_assets").where({ tenant_id: tenantId, pack_key: packKey });
    return toAdoption(row, assets);
  },

  /** Inserts the adoption; answers false when the tenant already has one for this pack. */
  async insert(
    trx: Knex.Transaction,
    tenantId: string,
    a: { packKey: string; version: string; packChecksum: string; userId: string | null },
  ): Promise<boolean> {
    const rows = await trx("pack_adoptions")
      .insert({
        tenant_id: tenantId,
        pack_key: a.packKey,
        version: a.version,
        pack_checksum: a.packChecksum,
        adopted_by: a.userId,
      })
      .onConflict(["tenant_id", "pack_key"])
      .ignore()
      .returning("pack_key");
    return rows.length > 0;
  },

  async markUpgraded(
    trx: Knex.Transaction,
    tenantId: string,
    a: { packKey: string; version: string; packChecksum: string; userId: string | null },
  ): Promise<void> {
    await trx("pack_adoptions").where({ tenant_id: tenantId, pack_key: a.packKey }).update({
      version: a.version,
      pack_checksum: a.packChecksum,
      upgraded_at: trx.fn.now(),
      upgraded_by: a.userId,
    });
  },

  /** Records (or replaces) the copies these assets came from. */
  async putAssets(trx: Knex.Transaction, tenantId: string, packKey: string, assets: AdoptedAsset[]): Promise<void> {
    if (!assets.length) return;
    await trx("pack_adoption_assets")
      .insert(
        assets.map((a) => ({
          tenant_id: tenantId,
          pack_key: packKey,
          kind: a.kind,
          asset_key: a.key,
          pack_version: a.packVersion,
          checksum: a.checksum,
          content: JSON.stringify(a.content),
        })),
      )
      .onConflict(["tenant_id", "pack_key", "kind", "asset_key"])
      .merge(["pack_version", "checksum", "content"]);
  },
};
