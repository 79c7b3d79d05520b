/**
 * Reminder templates: every save validates (templateErrors), publishing runs the test cases and refuses
 * when one fails, rollback publishes an older version's content again, diff compares by JSON pointer.
 */
import type { Knex } from "knex";
import { canonicalJson, type Registry } from "../../rules/index";
import { fail } from "../errors";
import type { AuthUser } from "../auth/service";
import type { Content } from "../documents/store";
import { reminderTemplateStore as store } from "./store";
import { checkTemplate, type TemplateContent, type TemplateTestCase } from "./content";
import { renderContent, requestFacts } from "./render";
import { defaultSegmentRegistry } from "./segment";

export interface TestCaseResult {
  name: string;
  passed: boolean;
  differences: string[];
  subject?: string;
  body?: string;
  segmentMatched?: boolean;
}

export class ReminderTemplateService {
  constructor(readonly registry: Registry = defaultSegmentRegistry) {}

  async create(db: Knex, tenantId: string, body: Record<string, unknown>, user: AuthUser | null) {
    const content = store.contentOf(body, store.opts.emptyContent());
    checkTemplate(content, this.registry);
    return store.create(db, tenantId, body, content, user);
  }

  async save(db: Knex, tenantId: string, key: string, body: Record<string, unknown>, user: AuthUser | null) {
    const current = await store.get(db, tenantId, key);
    store.assertRevision(current, body.revision);
    const content = store.contentOf(body, store.draftOf(current));
    checkTemplate(content, this.registry);
    return store.saveDraft(db, tenantId, key, body, content, user);
  }

  /** The draft or a numbered version's content. */
  async content(db: Knex, tenantId: string, key: string, version: unknown = "draft") {
    if (version === undefined || version === "draft") {
      const rec = await store.get(db, tenantId, key);
      return { version: "draft" as const, content: store.draftOf(rec) as unknown as TemplateContent };
    }
    const n = Number(version);
    if (!Number.isInteger(n) || n < 1)
      throw fail(
        "INVALID_VERSION",
        {},
        { details: { field: "version" }, errors: { version: "must be a number or draft" } },
      );
    const v = await store.version(db, tenantId, key, n);
    return { version: n, content: v.content as unknown as TemplateContent };
  }

  async runTestCases(content: TemplateContent): Promise<TestCaseResult[]> {
    const out: TestCaseResult[] = [];
    for (const tc of content.testCases ?? []) out.push(await this.runTestCase(content, tc));
    return out;
  }

  private async runTestCase(content: TemplateContent, tc: TemplateTestCase): Promise<TestCaseResult> {
    try {
      const r = await renderContent(content, tc.facts, {
        locale: tc.locale,
        channel: tc.channel,
        registry: this.registry,
      });
      const differences: string[] = [];
      if (tc.expectSegmentMatched !== undefined && r.segmentMatched !== tc.expectSegmentMatched)
        differences.push(`segment ${r.segmentMatched ? "matches" : "does not match"}, expected the opposite`);
      for (const s of tc.expectSubjectContains ?? [])
        if (!r.subject.includes(s)) differences.push(`subject lacks ${JSON.stringify(s)}`);
      for (const s of tc.expectBodyContains ?? [])
        if (!r.body.includes(s)) differences.push(`body lacks ${JSON.stringify(s)}`);
      return { name: tc.name, passed: differences.length === 0, differences, ...r };
    } catch (err) {
      return { name: tc.name, passed: false, differences: [(err as Error).message] };
    }
  }

  async test(db: Knex, tenantId: string, key: string, version: unknown) {
    const { version: v, content } = await this.content(db, tenantId, key, version);
    const results = await this.runTestCases(content);
    return { template: key, version: v, passed: results.every((r) => r.passed), results };
  }

  /** Publishes the draft in the caller's transaction; refused (409 TESTS_FAILED) while a test case fails. */
  async publishIn(
    trx: Knex.Transaction,
    tenantId: string,
    key: string,
    body: { effectiveFrom?: string; note?: string },
    user: AuthUser | null,
  ) {
    const doc = await store.get(trx, tenantId, key, true);
    const content = store.draftOf(doc);
    checkTemplate(content, this.registry);
    const results = await this.runTestCases(content as unknown as TemplateContent);
    const failed = results.filter((r) => !r.passed);
    if (failed.length)
      throw fail(
        "TESTS_FAILED",
        { failed: failed.length, total: results.length, names: failed.map((f) => f.name).join(", ") },
        { details: { results } },
      );
    return store.publish(trx, tenantId, key, { effectiveFrom: body.effectiveFrom, note: body.note }, user);
  }

  publish(db: Knex, tenantId: string, key: string, body: { effectiveFrom?: string; note?: string }, user: AuthUser) {
    return db.transaction((trx) => this.publishIn(trx, tenantId, key, body, user));
  }

  rollback(
    db: Knex,
    tenantId: string,
    key: string,
    body: { version: number; note?: string; effectiveFrom?: string },
    user: AuthUser,
  ) {
    return db.transaction(async (trx) => {
      const old = await store.version(trx, tenantId, key, body.version);
      return store.publish(
        trx,
        tenantId,
        key,
        {
          content: old.content,
          rolledBackFrom: body.version,
          effectiveFrom: body.effectiveFrom,
          note: body.note ?? `Rollback to version ${body.version}`,
        },
        user,
      );
    });
  }

  /** Changes between two versions (or the draft), by JSON pointer: added, removed, modified. */
  async diff(db: Knex, tenantId: string, key: string, a: string, b: string) {
    const [ca, cb] = await Promise.all([this.content(db, tenantId, key, a), this.content(db, tenantId, key, b)]);
    const flat = (c: TemplateContent) => {
      const out = new Map<string, unknown>();
      const add = (p: string, v: unknown) => {
        if (v !== undefined && v !== null) out.set(p, v);
      };
      add("/audience", c.audience);
      add("/channels", c.channels);
      for (const part of ["subject", "body"] as const)
        for (const [l, t] of Object.entries(c[part] ?? {})) add(`/${part}/${l}`, t);
      add("/segment", c.segment);
      for (const [i, tc] of (c.testCases ?? []).entries()) add(`/testCases/${i}`, tc);
      return out;
    };
    const fa = flat(ca.content);
    const fb = flat(cb.content);
    const same = (x: unknown, y: unknown) => canonicalJson(x) === canonicalJson(y);
    return {
      template: key,
      from: ca.version,
      to: cb.version,
      added: [...fb.keys()].filter((p) => !fa.has(p)).map((p) => ({ pointer: p, after: fb.get(p) })),
      removed: [...fa.keys()].filter((p) => !fb.has(p)).map((p) => ({ pointer: p, before: fa.get(p) })),
      modified: [...fa.keys()]
        .filter((p) => fb.has(p) && !same(fa.get(p), fb.get(p)))
        .map((p) => ({ pointer: p, before: fa.get(p), after: fb.get(p) })),
    };
  }

  /**
   * Renders the draft (or `version`, or unsaved `content` laid over the draft) for an employee or given
   * facts; answers subject, body, the segment's verdict and the facts used.
   */
  async preview(
    db: Knex,
    tenantId: string,
    key: string,
    body: {
      employeeId?: string;
      facts?: Record<string, unknown>;
      event?: Record<string, unknown>;
      locale?: string;
      channel?: string;
      version?: number | "draft";
      at?: string;
      content?: Content;
    },
  ) {
    const base = await this.content(db, tenantId, key, body.version ?? "draft");
    let content = base.content;
    if (body.content) {
      content = { ...content, ...body.content } as TemplateContent;
      checkTemplate(content as unknown as Content, this.registry);
    }
    const facts = await requestFacts(db, tenantId, {
      employeeId: body.employeeId,
      facts: body.facts,
      eventParams: body.event,
      at: body.at,
    });
    const rendered = await renderContent(content, facts, {
      locale: body.locale,
      channel: body.channel,
      registry: this.registry,
    });
    return { template: key, version: base.version, audience: content.audience, ...rendered, facts };
  }
}
