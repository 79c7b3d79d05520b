/**
 * A tenant's copy of a pack asset, per kind: reading it (a document's latest published version, or its
 * draft if never published; a custom field's row) and writing the pack's content over it through the
 * kind's own service, so the kind's validation applies (policy tables and reports are checked on save and
 * publish, custom fields by the entity registry).
 */
import type { Knex } from "knex";
import { checksum } from "../../rules/index";
import type { AuthUser } from "../auth/service";
import type { Content } from "../documents/store";
import type { EntityRegistry } from "../entities/registry";
import { PACK_EFFECTIVE_FROM } from "../lifecycle/packs";
import { createTable, publishTable, saveTable } from "../policy-tables/service";
import { REPORT_FIELDS, ReportService } from "../reports/service";
import { storeOf, type PackAsset } from "./catalogue";

export interface TenantCopy {
  version: number | null;
  content: Content;
  checksum: string;
}

/** The custom-field asset key "entity.name" and its content as custom_fields holds it. */
const fieldOf = (key: string) => {
  const dot = key.indexOf(".");
  return { entity: key.slice(0, dot), name: key.slice(dot + 1) };
};

export async function currentCopy(db: Knex, tenantId: string, a: Pick<PackAsset, "kind" | "key">) {
  if (a.kind === "custom-field") {
    const row = await db("custom_fields")
      .where({ tenant_id: tenantId, ...fieldOf(a.key) })
      .first();
    if (!row) return undefined;
    const { entity, name, label, schema, filterable, sortable } = row;
    const content = { entity, name, label, schema, filterable, sortable };
    return { version: null, content, checksum: checksum(content) } satisfies TenantCopy;
  }
  const store = storeOf(a.kind);
  const doc = await db("documents")
    .where({ tenant_id: tenantId, kind: store.opts.kind, key: a.key })
    .first("key", "latest_version");
  if (!doc) return undefined;
  if (doc.latest_version) {
    const v = await store.version(db, tenantId, a.key, doc.latest_version);
    return { version: v.version as number | null, content: v.content, checksum: v.checksum } satisfies TenantCopy;
  }
  const content = store.draftOf(await store.get(db, tenantId, a.key));
  return { version: null, content, checksum: checksum(content) } satisfies TenantCopy;
}

export interface Written {
  /** The version published (null for a custom field). */
  version: number | null;
  /** A difference back-payment job the policy table's publish queued (server/si/adjustments.ts). */
  adjustmentJobId?: string | null;
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Writes the pack's content as the tenant's copy: a document is created (in force from PACK_EFFECTIVE_FROM)
 * or gets a new published version (from today); a custom field is added or replaced.
 */
export async function writeCopy(
  trx: Knex.Transaction,
  tenantId: string,
  a: PackAsset,
  note: string,
  user: AuthUser | null,
  entities: EntityRegistry,
): Promise<Written> {
  if (a.kind === "custom-field") {
    const { entity, ...body } = a.content as { entity: string } & Content;
    const exists = await currentCopy(trx, tenantId, a);
    await (exists ? entities.updateCustomField : entities.addCustomField).call(entities, trx, tenantId, entity, body);
    return { version: null };
  }
  const store = storeOf(a.kind);
  const doc = await trx("documents")
    .where({ tenant_id: tenantId, kind: store.opts.kind, key: a.key })
    .first("key", "revision");
  const effectiveFrom = doc ? today() : PACK_EFFECTIVE_FROM;
  if (a.kind === "policy-table") {
    const body = { ...a.content, revision: doc?.revision };
    if (doc) await saveTable(trx, tenantId, a.key, body, user);
    else await createTable(trx, tenantId, { ...a.meta, ...a.content }, user);
    const v = await publishTable(trx, tenantId, a.key, { effectiveFrom, note }, user);
    return { version: v.version, adjustmentJobId: v.adjustmentJobId };
  }
  if (a.kind === "report") {
    const reports = new ReportService();
    // Fields the pack's spec leaves out are removed from the tenant's (a save keeps what it is not sent).
    const spec = Object.fromEntries(REPORT_FIELDS.map((f) => [f, a.content[f] ?? null]));
    if (doc) await reports.save(trx, tenantId, a.key, { ...spec, revision: doc.revision }, user);
    else await reports.create(trx, tenantId, { ...a.meta, ...a.content }, user);
    return reports.publish(trx, tenantId, a.key, { effectiveFrom, note }, user);
  }
  if (!doc) {
    await store.create(trx, tenantId, a.meta, a.content, user);
    return store.publish(trx, tenantId, a.key, { effectiveFrom, note }, user);
  }
  return store.publish(trx, tenantId, a.key, { content: a.content, effectiveFrom, note }, user);
}
