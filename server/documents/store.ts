/**
 * Versioned documents (rule sets, policy tables): an editable draft with a revision number for optimistic
 * concurrency, and immutable published versions with a checksum, author, time, note and effective date.
 * Records are flat for react-admin: `{id: key, key, name, description, industry, ...content, revision, latestVersion}`.
 */
import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { checksum } from "../../rules/index";
import { fail } from "../errors";
import { INT4_MAX, isInt4 } from "../http/formats";
import type { AuthUser } from "../auth/service";
import { audit, inTransaction } from "../audit/log";

export type Content = Record<string, unknown>;
export interface DocRecord extends Record<string, unknown> {
  id: string;
  key: string;
  name: string;
  description: string | null;
  industry: string | null;
  revision: number;
  latestVersion: number | null;
  updatedAt: string;
}
export interface VersionRecord {
  id: number;
  version: number;
  checksum: string;
  effectiveFrom: string;
  note: string | null;
  /** The day the notice behind this version was published (policy tables), beside its effective date. */
  publishedOn: string | null;
  author: string | null;
  rolledBackFrom: number | null;
  createdAt: string;
  content?: Content;
}

const KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Versions and revisions are int4 columns counting from 1. */
const isCount = (n: unknown): n is number => isInt4(n) && n >= 1;
const SORTABLE = new Map([
  ["id", "key"],
  ["key", "key"],
  ["name", "name"],
  ["industry", "industry"],
  ["updatedAt", "updated_at"],
  ["latestVersion", "latest_version"],
]);
const revisionRequired = () =>
  fail(
    "REVISION_REQUIRED",
    {},
    {
      message: `revision (the revision you loaded, a whole number up to ${INT4_MAX}) is required to save a draft`,
      details: { field: "revision" },
      errors: { revision: "is required" },
    },
  );
const today = () => new Date().toISOString().slice(0, 10);

export interface StoreOptions {
  kind: string;
  /** Top-level record fields that make up the versioned content. */
  contentFields: readonly string[];
  /** Defaults for content fields missing on create. */
  emptyContent: () => Content;
  /** SQL for the draft in list answers (instead of the whole draft), e.g. to leave out unbounded rows. */
  listDraft?: string;
  /** A list content field that `saveDraftChunked` may store in chunks beside the draft (see migration 015). */
  chunkedField?: string;
}

/** The draft's pointer to its chunked field: which set of chunks, how many, and how many items in all. */
export const CHUNKS = "$chunks";
export interface ChunkRef {
  generation: string;
  chunks: number;
  total: number;
}
/** Items per chunk: a 1,000-row chunk of a policy table is about 170 kB, a statement of a few milliseconds. */
export const CHUNK_ITEMS = 1000;

export class DocumentStore {
  constructor(readonly opts: StoreOptions) {}

  /** The audit entry of a write, in its transaction (server/audit/log.ts). */
  private audit(trx: Knex, tenantId: string, operation: string, key: string, before: unknown, after: unknown) {
    return audit(trx, tenantId, { resource: this.opts.kind, resourceId: key, operation, before, after });
  }

  private docs(db: Knex, tenantId: string) {
    return db("documents").where({ tenant_id: tenantId, kind: this.opts.kind });
  }

  /** The columns of a record; with `listDraft`, its projection of the draft instead of the whole draft. */
  private summaryColumns(db: Knex): (Knex.Ref<string, object> | Knex.Raw)[] | "*" {
    if (!this.opts.listDraft) return "*";
    const cols = ["key", "name", "description", "industry", "revision", "latest_version", "updated_at"];
    return [...cols.map((c) => db.ref(c)), db.raw(`${this.opts.listDraft} AS draft`)];
  }

  contentOf(body: Record<string, unknown>, base: Content): Content {
    const content: Content = { ...base };
    for (const f of this.opts.contentFields) if (body[f] !== undefined) content[f] = body[f];
    return content;
  }

  toRecord(row: Record<string, any>): DocRecord {
    const { [CHUNKS]: _ref, ...draft } = (row.draft ?? {}) as Content;
    return {
      id: row.key,
      key: row.key,
      name: row.name,
      description: row.description ?? null,
      industry: row.industry ?? null,
      ...draft,
      revision: row.revision,
      latestVersion: row.latest_version ?? null,
      updatedAt: row.updated_at,
    };
  }

  async list(
    db: Knex,
    tenantId: string,
    q: { sort: [string, "ASC" | "DESC"]; range: [number, number]; filter: Record<string, unknown> },
  ) {
    const column = SORTABLE.get(q.sort[0]);
    if (!column)
      throw fail("INVALID_SORT", { resource: this.opts.kind, field: q.sort[0] }, { details: { parameter: "sort" } });
    const base = this.docs(db, tenantId);
    for (const [k, v] of Object.entries(q.filter)) {
      if (k === "q" && typeof v === "string")
        base.andWhereRaw("search LIKE ?", [`%${v.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
      else if ((k === "id" || k === "key") && Array.isArray(v)) base.whereIn("key", v.map(String));
      else if (k === "id" || k === "key" || k === "industry" || k === "name")
        base.andWhere(k === "id" ? "key" : k, String(v));
      else
        throw fail(
          "INVALID_FILTER",
          { field: k, problem: `is not a filter of ${this.opts.kind}` },
          { message: `Cannot filter by "${k}"`, details: { parameter: "filter", field: k } },
        );
    }
    const [rows, count] = await Promise.all([
      base
        .clone()
        .select(this.summaryColumns(db))
        .orderBy(column, q.sort[1].toLowerCase() as "asc" | "desc")
        .orderBy("key")
        .offset(q.range[0])
        .limit(q.range[1] - q.range[0] + 1),
      base.clone().count({ n: "*" }),
    ]);
    return { data: rows.map((r: Record<string, unknown>) => this.toRecord(r)), total: Number(count[0]!.n) };
  }

  async get(db: Knex, tenantId: string, key: string, forUpdate = false, summary = false): Promise<DocRecord> {
    for (let attempt = 0; ; attempt++) {
      const q = this.docs(db, tenantId)
        .where({ key })
        .first(summary ? this.summaryColumns(db) : "*");
      if (forUpdate) q.forUpdate();
      const row = await q;
      if (!row)
        throw fail(
          "NOT_FOUND",
          { resource: this.opts.kind, id: key },
          { message: `No ${this.opts.kind} "${key}"`, details: { key } },
        );
      const ref = summary ? undefined : (row.draft?.[CHUNKS] as ChunkRef | undefined);
      if (!ref || !this.opts.chunkedField) return this.toRecord(row);
      const items = await this.readChunks(db, tenantId, key, ref);
      // undefined: a newer save replaced these chunks between the two reads; read the draft again.
      if (items || attempt >= 5)
        return this.toRecord({ ...row, draft: { ...row.draft, [this.opts.chunkedField]: items } });
    }
  }

  private chunksQ(db: Knex, tenantId: string, key: string) {
    return db("document_draft_chunks").where({ tenant_id: tenantId, kind: this.opts.kind, key });
  }

  /** The chunked field's items, one short statement per chunk; undefined when a chunk is gone. */
  private async readChunks(db: Knex, tenantId: string, key: string, ref: ChunkRef): Promise<unknown[] | undefined> {
    const items: unknown[] = [];
    for (let seq = 0; seq < ref.chunks; seq++) {
      const row = await this.chunksQ(db, tenantId, key).where({ generation: ref.generation, seq }).first("items");
      if (!row) return undefined;
      for (const item of row.items as unknown[]) items.push(item);
    }
    return items;
  }

  /** After a draft was written inline: chunks of an earlier chunked draft are no longer read. */
  private async dropChunks(db: Knex, tenantId: string, key: string, keep?: string): Promise<void> {
    if (!this.opts.chunkedField) return;
    const q = this.chunksQ(db, tenantId, key);
    if (keep) q.whereNot({ generation: keep });
    await q.delete();
  }

  draftOf(rec: DocRecord): Content {
    return Object.fromEntries(this.opts.contentFields.filter((f) => rec[f] !== undefined).map((f) => [f, rec[f]]));
  }

  async create(
    db: Knex,
    tenantId: string,
    body: Record<string, any>,
    content: Content,
    user: AuthUser | null,
  ): Promise<DocRecord> {
    if (typeof body.key !== "string" || !KEY.test(body.key)) {
      throw fail(
        "INVALID_KEY",
        { field: "key", problem: "use lower-case letters, digits and dashes" },
        { details: { field: "key" }, errors: { key: "must be lower-case letters, digits and dashes" } },
      );
    }
    const inserted = await inTransaction(db, async (trx) => {
      const rows = await trx("documents")
        .insert({
          tenant_id: tenantId,
          kind: this.opts.kind,
          key: body.key,
          name: body.name ?? body.key,
          description: body.description ?? null,
          industry: body.industry ?? null,
          draft: JSON.stringify(content),
          revision: 1,
          updated_by: user?.id ?? null,
        })
        .onConflict(["tenant_id", "kind", "key"])
        .ignore()
        .returning("*");
      if (rows.length) await this.audit(trx, tenantId, "create", body.key, null, this.toRecord(rows[0]));
      return rows;
    });
    if (!inserted.length)
      throw fail(
        "DUPLICATE",
        { field: "key" },
        { message: `A ${this.opts.kind} "${body.key}" already exists`, details: { field: "key" } },
      );
    return this.toRecord(inserted[0]);
  }

  /**
   * Replaces the draft; refused with 409 when `revision` is not the stored one (a stale copy). `content`
   * may come as its JSON text; `summary` answers the record as lists do (see `listDraft`).
   */
  async saveDraft(
    db: Knex,
    tenantId: string,
    key: string,
    body: Record<string, any>,
    content: Content | string,
    user: AuthUser | null,
    opts: { summary?: boolean } = {},
  ): Promise<DocRecord> {
    if (!isCount(body.revision)) throw revisionRequired();
    const patch: Record<string, unknown> = {
      draft: typeof content === "string" ? content : JSON.stringify(content),
      revision: db.raw("revision + 1"),
      updated_at: db.fn.now(),
      updated_by: user?.id ?? null,
    };
    for (const f of ["name", "description", "industry"]) if (body[f] !== undefined) patch[f] = body[f];
    return inTransaction(db, async (db) => {
      const before = await this.get(db, tenantId, key);
      const rows = await this.docs(db, tenantId)
        .where({ key, revision: body.revision })
        .update(patch)
        .returning(opts.summary ? this.summaryColumns(db) : "*");
      if (!rows.length) throw this.stale(await this.get(db, tenantId, key, false, true), body.revision);
      const ref = (typeof content === "string" ? undefined : content[CHUNKS]) as ChunkRef | undefined;
      await this.dropChunks(db, tenantId, key, ref?.generation);
      const record = this.toRecord(rows[0]);
      const after = ref || opts.summary ? await this.get(db, tenantId, key) : record;
      await this.audit(db, tenantId, "save-draft", key, before, after);
      return record;
    });
  }

  /**
   * saveDraft with the chunked field's `items` stored beside the draft in chunks of CHUNK_ITEMS, one short
   * statement each: other requests get the (single, on PGlite) connection in between. The chunks are
   * written first under a new generation; the draft then points at them in the revision-checked update,
   * so readers see the old set or the new one, never a mix. Not a transaction: it would hold the connection
   * for the whole write. A failed save removes its own chunks.
   */
  async saveDraftChunked(
    db: Knex,
    tenantId: string,
    key: string,
    body: Record<string, any>,
    head: Content,
    items: unknown[],
    user: AuthUser | null,
    opts: { summary?: boolean; pause?: () => Promise<void> } = {},
  ): Promise<DocRecord> {
    const field = this.opts.chunkedField;
    if (!field) throw new Error(`${this.opts.kind} has no chunked field`);
    if (!isCount(body.revision)) throw revisionRequired();
    const generation = randomUUID();
    const chunks = Math.ceil(items.length / CHUNK_ITEMS);
    try {
      for (let seq = 0; seq < chunks; seq++) {
        await opts.pause?.();
        await db("document_draft_chunks").insert({
          tenant_id: tenantId,
          kind: this.opts.kind,
          key,
          generation,
          seq,
          items: JSON.stringify(items.slice(seq * CHUNK_ITEMS, (seq + 1) * CHUNK_ITEMS)),
        });
      }
      const { [field]: _inline, ...rest } = head;
      const ref: ChunkRef = { generation, chunks, total: items.length };
      return await this.saveDraft(db, tenantId, key, body, { ...rest, [CHUNKS]: ref }, user, opts);
    } catch (err) {
      await this.chunksQ(db, tenantId, key).where({ generation }).delete();
      throw err;
    }
  }

  /** Refuses a save made from a stale copy before anything else is checked. */
  assertRevision(current: DocRecord, revision: unknown): void {
    if (!isCount(revision)) throw revisionRequired();
    if (current.revision !== revision) throw this.stale(current, revision as number);
  }

  private stale(current: DocRecord, revision: number) {
    return fail(
      "STALE_REVISION",
      { current: current.revision },
      {
        message:
          `This ${this.opts.kind} was changed by someone else (revision ${current.revision}, yours ${revision}). ` +
          "Reload and apply your change again.",
        details: { currentRevision: current.revision, yourRevision: revision, updatedAt: current.updatedAt },
      },
    );
  }

  async remove(db: Knex, tenantId: string, key: string): Promise<DocRecord> {
    return inTransaction(db, async (db) => {
      const rec = await this.get(db, tenantId, key);
      await this.docs(db, tenantId).where({ key }).delete();
      await this.audit(db, tenantId, "delete", key, rec, null);
      return rec;
    });
  }

  /** Publishes `content` (by default the draft) as the next version, in the caller's transaction. */
  async publish(
    trx: Knex.Transaction,
    tenantId: string,
    key: string,
    opts: { effectiveFrom?: string; note?: string; content?: Content; rolledBackFrom?: number; publishedOn?: string },
    user: AuthUser | null,
  ): Promise<VersionRecord> {
    const doc = await this.get(trx, tenantId, key, true);
    const content = opts.content ?? this.draftOf(doc);
    const sum = checksum(content);
    if (!opts.content && doc.latestVersion) {
      // A new version identical to the latest would be noise in the history (and in every diff).
      const latest = await trx("document_versions")
        .where({ tenant_id: tenantId, kind: this.opts.kind, key, version: doc.latestVersion })
        .first("checksum");
      if (latest?.checksum === sum) throw fail("DRAFT_UNCHANGED", { key, version: doc.latestVersion });
    }
    const version = (doc.latestVersion ?? 0) + 1;
    const [row] = await trx("document_versions")
      .insert({
        tenant_id: tenantId,
        kind: this.opts.kind,
        key,
        version,
        content: JSON.stringify(content),
        checksum: sum,
        effective_from: opts.effectiveFrom ?? today(),
        note: opts.note ?? null,
        published_on: opts.publishedOn ?? null,
        author_id: user?.id ?? null,
        author: user ? `${user.name} <${user.email}>` : "system",
        rolled_back_from: opts.rolledBackFrom ?? null,
      })
      .returning("*");
    const patch: Record<string, unknown> = { latest_version: version, updated_at: trx.fn.now() };
    if (opts.content) Object.assign(patch, { draft: JSON.stringify(content), revision: trx.raw("revision + 1") });
    await this.docs(trx, tenantId).where({ key }).update(patch);
    if (opts.content) await this.dropChunks(trx, tenantId, key);
    await this.audit(
      trx,
      tenantId,
      opts.rolledBackFrom ? "rollback" : "publish",
      key,
      { latestVersion: doc.latestVersion, ...(opts.content ? this.draftOf(doc) : {}) },
      { latestVersion: version, effectiveFrom: row.effective_from, note: row.note, ...(opts.content ?? {}) },
    );
    return this.versionRecord(row, true);
  }

  versionRecord(row: Record<string, any>, withContent = false): VersionRecord {
    return {
      id: row.version,
      version: row.version,
      checksum: row.checksum,
      effectiveFrom: row.effective_from,
      note: row.note ?? null,
      publishedOn: row.published_on ?? null,
      author: row.author ?? null,
      rolledBackFrom: row.rolled_back_from ?? null,
      createdAt: row.created_at,
      ...(withContent ? { content: row.content } : {}),
    };
  }

  private versionsQ(db: Knex, tenantId: string, key: string) {
    return db("document_versions").where({ tenant_id: tenantId, kind: this.opts.kind, key });
  }

  async versions(
    db: Knex,
    tenantId: string,
    key: string,
    range: [number, number] = [0, 99],
    order: "ASC" | "DESC" = "DESC",
  ) {
    await this.get(db, tenantId, key);
    const [rows, count] = await Promise.all([
      this.versionsQ(db, tenantId, key)
        .select(
          "version",
          "checksum",
          "effective_from",
          "published_on",
          "note",
          "author",
          "rolled_back_from",
          "created_at",
        )
        .orderBy("version", order.toLowerCase() as "asc" | "desc")
        .offset(range[0])
        .limit(range[1] - range[0] + 1),
      this.versionsQ(db, tenantId, key).count({ n: "*" }),
    ]);
    return { data: rows.map((r: Record<string, unknown>) => this.versionRecord(r)), total: Number(count[0]!.n) };
  }

  async version(
    db: Knex,
    tenantId: string,
    key: string,
    version: number,
  ): Promise<VersionRecord & { content: Content }> {
    const row = isCount(version) ? await this.versionsQ(db, tenantId, key).where({ version }).first() : undefined;
    if (!row)
      throw fail(
        "NOT_FOUND",
        { resource: `${this.opts.kind} "${key}" versions`, id: String(version) },
        { message: `${this.opts.kind} "${key}" has no version ${version}`, details: { key, version } },
      );
    return this.versionRecord(row, true) as VersionRecord & { content: Content };
  }

  /** The version in force on a date: the latest published one whose effectiveFrom is on or before it. */
  async inForce(
    db: Knex,
    tenantId: string,
    key: string,
    date: string,
  ): Promise<(VersionRecord & { content: Content }) | undefined> {
    const row = await this.versionsQ(db, tenantId, key)
      .where("effective_from", "<=", date)
      .orderBy([
        { column: "effective_from", order: "desc" },
        { column: "version", order: "desc" },
      ])
      .first();
    return row ? (this.versionRecord(row, true) as VersionRecord & { content: Content }) : undefined;
  }

  /** Every document of this kind with the version in force on `date` (one query; for runs over many employees). */
  async allInForce(
    db: Knex,
    tenantId: string,
    date: string,
  ): Promise<Map<string, VersionRecord & { content: Content }>> {
    const rows = await db("document_versions")
      .distinctOn("key")
      .where({ tenant_id: tenantId, kind: this.opts.kind })
      .andWhere("effective_from", "<=", date)
      .orderBy([{ column: "key" }, { column: "effective_from", order: "desc" }, { column: "version", order: "desc" }]);
    return new Map(
      rows.map((r: Record<string, any>) => [
        r.key,
        this.versionRecord(r, true) as VersionRecord & { content: Content },
      ]),
    );
  }
}
