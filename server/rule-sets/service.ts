/**
 * Rule sets: versioned documents whose content is json-rules-engine rules plus declared input facts and
 * test cases. Every save validates; publishing runs the test cases; evaluation uses a compiled version,
 * compiled once per (tenant, key, checksum) and cached.
 */
import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import {
  compileRuleSet,
  createFactValidator,
  createSummaryCache,
  diffRuleSets,
  runActions,
  runTestCases,
  validateRuleSet,
  checksum,
  diagnosticIn,
  summaryBytes,
  type CompiledRuleSet,
  type Registry,
  type RuleSetContent,
  type Diagnostic,
  type FactValidator,
  type Limits,
  RulesError,
  type SummaryCache,
  type TextLocale,
} from "../../rules/index";
import type { PolicySet } from "../../policies/index";
import { type AppError, ERRORS, type ErrorCode, fail, type Locale } from "../errors";
import type { AuthUser } from "../auth/service";
import { DocumentStore, type Content } from "../documents/store";
import { LruCache } from "../util/lru";
import { yieldEvery } from "../util/yield";
import { immediateServices, type OrdoServices } from "../lifecycle/host-services";
import { loadPolicySet } from "../policy-tables/policy-set";

export const ruleSetStore = new DocumentStore({
  kind: "rule-set",
  contentFields: ["facts", "options", "sharedConditions", "rules", "testCases"],
  emptyContent: () => ({ facts: {}, rules: [], testCases: [] }),
});

const today = () => new Date().toISOString().slice(0, 10);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** evaluate-batch closes a chunk of its answer after this long or this many bytes (see evaluateBatch). */
const CHUNK_MS = 10;
const CHUNK_BYTES = 256 * 1024;
const COMMA = Buffer.from(",");

/** Validation diagnostics as an error answer: problem, details and field errors in the reader's language. */
function diagnosticsExtra(lists: Record<string, Diagnostic[]>, errorsOf: string) {
  const render = (locale: TextLocale) => {
    const details = Object.fromEntries(
      Object.entries(lists).map(([k, list]) => [k, list.map((d) => diagnosticIn(d, locale))]),
    );
    const errors = details[errorsOf]!;
    return {
      params: { problem: errors[0]?.message ?? "" },
      details,
      errors: Object.fromEntries(errors.map((e) => [e.pointer || "/", e.message])),
    };
  };
  const en = render("en");
  return { details: en.details, errors: en.errors, localize: render };
}

function invalid(errors: Diagnostic[], warnings: Diagnostic[]): AppError {
  return fail(
    "INVALID_RULE_SET",
    { pointer: errors[0]!.pointer || "/", problem: errors[0]!.message },
    diagnosticsExtra({ errors, warnings }, "errors"),
  );
}

/** A batch item's evaluation error, as the error answer of `evaluate` would carry it, with the item's pointer. */
function itemError(e: RulesError, index: number, locale: Locale) {
  const code = (e.code in ERRORS ? e.code : "INVALID_INPUT") as ErrorCode;
  const error = fail(code, { problem: e.message }, { message: e.message });
  return { code, message: error.localized(locale), pointer: `/items/${index}` };
}

export interface Resolved {
  key: string;
  version: number | "draft";
  content: RuleSetContent;
  checksum: string;
}

export class RuleSetService {
  private readonly compiled = new LruCache<string, CompiledRuleSet>(500);
  /** evaluate-batch's encoded answers by compiled rule set (1 MB each at most), shared by its batches. */
  private readonly summaries = new LruCache<CompiledRuleSet, SummaryCache>(16);
  /** Fact validators by content checksum: a request validates its facts without compiling anything. */
  private readonly factValidators = new LruCache<string, FactValidator>(500);

  /** `limits`: the deployment's rule-set limits (config `rulesLimits`); the library's defaults otherwise. */
  constructor(
    readonly registry: Registry,
    readonly limits: Partial<Limits> = {},
  ) {}

  /** Validates content for a save; throws 400 with every error at its JSON pointer, answers the warnings. */
  check(content: Content): Diagnostic[] {
    const { errors, warnings } = validateRuleSet(content, this.registry, this.limits);
    if (errors.length) throw invalid(errors, warnings);
    return warnings;
  }

  async create(db: Knex, tenantId: string, body: Record<string, unknown>, user: AuthUser) {
    const content = ruleSetStore.contentOf(body, ruleSetStore.opts.emptyContent());
    const warnings = this.check(content);
    const rec = await ruleSetStore.create(db, tenantId, body, content, user);
    return { ...rec, warnings };
  }

  async save(db: Knex, tenantId: string, key: string, body: Record<string, unknown>, user: AuthUser) {
    const current = await ruleSetStore.get(db, tenantId, key);
    ruleSetStore.assertRevision(current, body.revision);
    const content = ruleSetStore.contentOf(body, ruleSetStore.draftOf(current));
    const warnings = this.check(content);
    const rec = await ruleSetStore.saveDraft(db, tenantId, key, body, content, user);
    return { ...rec, warnings };
  }

  /** The draft, a numbered version, or (default) the version in force on `at`. */
  async resolve(db: Knex, tenantId: string, key: string, version: unknown, at: string): Promise<Resolved> {
    if (version === "draft") {
      const doc = await ruleSetStore.get(db, tenantId, key);
      const content = ruleSetStore.draftOf(doc) as unknown as RuleSetContent;
      return { key, version: "draft", content, checksum: checksum(content) };
    }
    if (version !== undefined && version !== null) {
      const n = Number(version);
      if (!Number.isInteger(n) || n < 1)
        throw fail(
          "INVALID_VERSION",
          {},
          { details: { field: "version" }, errors: { version: "must be a number or draft" } },
        );
      const v = await ruleSetStore.version(db, tenantId, key, n);
      return { key, version: n, content: v.content as unknown as RuleSetContent, checksum: v.checksum };
    }
    const v = await ruleSetStore.inForce(db, tenantId, key, at);
    if (!v) {
      await ruleSetStore.get(db, tenantId, key);
      throw fail(
        "NO_VERSION_IN_FORCE",
        { key, at },
        { message: `Rule set "${key}" has no published version in force on ${at}`, details: { key, at } },
      );
    }
    return { key, version: v.version, content: v.content as unknown as RuleSetContent, checksum: v.checksum };
  }

  compile(tenantId: string, r: Resolved): CompiledRuleSet {
    const cacheKey = `${tenantId}:${r.key}:${r.checksum}`;
    let c = this.compiled.get(cacheKey);
    if (!c) {
      const { errors, warnings } = validateRuleSet(r.content, this.registry, this.limits);
      if (errors.length) throw invalid(errors, warnings);
      c = compileRuleSet(r.content, this.registry, { limits: this.limits });
      this.compiled.set(cacheKey, c);
    }
    return c;
  }

  /** The fact validator of a resolved version, compiled once per content checksum. */
  factValidator(r: Resolved): FactValidator {
    let v = this.factValidators.get(r.checksum);
    if (!v) {
      v = createFactValidator(r.content);
      this.factValidators.set(r.checksum, v);
    }
    return v;
  }

  /** The facts of a request checked against the version's declared schemas; throws INVALID_FACTS. */
  checkFacts(r: Resolved, facts: unknown, base = "/facts", validator = this.factValidator(r)): Record<string, unknown> {
    if (typeof facts !== "object" || facts === null || Array.isArray(facts)) {
      throw fail(
        "INVALID_FACTS",
        { pointer: base, problem: "must be an object" },
        { message: "facts must be an object", details: { pointer: base }, errors: { [base]: "must be an object" } },
      );
    }
    const errors = validator(facts as Record<string, unknown>, base);
    if (errors.length) {
      throw fail(
        "INVALID_FACTS",
        { pointer: errors[0]!.pointer, problem: errors[0]!.message },
        diagnosticsExtra({ errors }, "errors"),
      );
    }
    return facts as Record<string, unknown>;
  }

  async evaluate(
    compiled: CompiledRuleSet,
    r: Resolved,
    facts: Record<string, unknown>,
    at: string,
    services?: Record<string, unknown>,
  ) {
    const t0 = performance.now();
    const evaluation = await compiled.evaluate(facts, { at, services });
    const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
    return {
      ruleSet: r.key,
      version: r.version,
      at,
      events: evaluation.events.map((e) => ({ type: e.type, params: e.params ?? {} })),
      results: evaluation.results.map((o) => ({
        rule: o.rule,
        priority: o.priority,
        result: o.result,
        event: o.event,
        conditions: o.conditions,
      })),
      durationMs,
    };
  }

  /**
   * evaluate-batch as UTF-8 JSON in chunks: every item's facts are checked first (a 400 names the first
   * bad one), then `{ruleSet, version, items: [{events, results}], durationMs}` is produced chunk by
   * chunk (see json-stream.ts) without building the answer as objects. An item whose evaluation
   * fails (UNDEFINED_FACT with allowUndefinedFacts false) answers `{error: {code, message, pointer}}`
   * in its place, what `evaluate` answers as a 400, and the others go on. Items with the same outcomes
   * share one encoded text (summaryBytes); a chunk closes every CHUNK_MS or CHUNK_BYTES, so the writer
   * yields to the event loop about that often.
   */
  async *evaluateBatch(
    compiled: CompiledRuleSet,
    r: Resolved,
    items: readonly { facts: Record<string, unknown>; at?: string }[],
    at: string,
    locale: Locale = "en",
  ): AsyncGenerator<Uint8Array> {
    // Every item is checked before the first byte goes out (a bad one is a 400), yielding to the event
    // loop every few milliseconds so a 10,000-item batch never holds other requests.
    const pause = yieldEvery(CHUNK_MS);
    const validator = this.factValidator(r);
    for (let i = 0; i < items.length; i++) {
      if (i % 20 === 0) await pause();
      this.checkFacts(r, items[i]!.facts, `/items/${i}/facts`, validator);
    }
    let cache = this.summaries.get(compiled);
    if (!cache) this.summaries.set(compiled, (cache = createSummaryCache()));
    const head = `{"ruleSet":${JSON.stringify(r.key)},"version":${JSON.stringify(r.version)},"items":[`;
    const parts: Uint8Array[] = [Buffer.from(head)];
    let size = parts[0]!.length;
    let ms = 0;
    let since = performance.now();
    let t0 = since;
    for (let i = 0; i < items.length; i++) {
      let bytes: Uint8Array;
      try {
        const item = items[i]!;
        const now = compiled.evaluateNow(item.facts, { at: item.at ?? at });
        bytes = summaryBytes(now instanceof Promise ? await now : now, cache);
      } catch (e) {
        if (!(e instanceof RulesError)) throw e;
        bytes = Buffer.from(JSON.stringify({ error: itemError(e, i, locale) }));
      }
      if (i > 0) parts.push(COMMA);
      parts.push(bytes);
      size += bytes.length + (i > 0 ? 1 : 0);
      const t1 = performance.now();
      ms += t1 - t0;
      t0 = t1;
      if (size >= CHUNK_BYTES || t1 - since >= CHUNK_MS) {
        yield Buffer.concat(parts, size);
        parts.length = 0;
        size = 0;
        since = t0 = performance.now();
      }
    }
    parts.push(Buffer.from(`],"durationMs":${Math.round(ms * 1000) / 1000}}`));
    yield Buffer.concat(parts);
  }

  async test(db: Knex, tenantId: string, key: string, version: unknown) {
    const r = await this.resolve(db, tenantId, key, version ?? "draft", today());
    const results = await runTestCases(this.compile(tenantId, r), r.content.testCases ?? []);
    return { ruleSet: key, version: r.version, passed: results.every((x) => x.passed), results };
  }

  async publish(
    db: Knex,
    tenantId: string,
    key: string,
    body: { effectiveFrom?: string; note?: string },
    user: AuthUser,
  ) {
    return db.transaction(async (trx) => {
      const doc = await ruleSetStore.get(trx, tenantId, key, true);
      const content = ruleSetStore.draftOf(doc) as unknown as RuleSetContent;
      const r: Resolved = { key, version: "draft", content, checksum: checksum(content) };
      const results = await runTestCases(this.compile(tenantId, r), content.testCases ?? []);
      const failed = results.filter((x) => !x.passed);
      if (failed.length) {
        throw fail(
          "TESTS_FAILED",
          { failed: failed.length, total: results.length, names: failed.map((f) => f.name).join(", ") },
          { details: { results } },
        );
      }
      return ruleSetStore.publish(trx, tenantId, key, { effectiveFrom: body.effectiveFrom, note: body.note }, user);
    });
  }

  async rollback(
    db: Knex,
    tenantId: string,
    key: string,
    body: { version: number; note?: string; effectiveFrom?: string },
    user: AuthUser,
  ) {
    return db.transaction(async (trx) => {
      const old = await ruleSetStore.version(trx, tenantId, key, body.version);
      return ruleSetStore.publish(
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

  async diff(db: Knex, tenantId: string, key: string, a: string, b: string) {
    const side = async (v: string) =>
      (await this.resolve(db, tenantId, key, v === "draft" ? "draft" : Number(v), today())).content;
    const [ca, cb] = await Promise.all([side(a), side(b)]);
    return {
      ruleSet: key,
      from: a === "draft" ? "draft" : Number(a),
      to: b === "draft" ? "draft" : Number(b),
      ...diffRuleSets(ca, cb),
    };
  }

  /**
   * Apply mode: evaluates the version in force, hands each event to its registered action with the
   * host services (the transaction `trx`, the policy set, the decision, alerts and reminders; see
   * server/lifecycle/host-services.ts), and stores the decision with key, version, facts and trace.
   */
  async apply(
    trx: Knex.Transaction,
    tenantId: string,
    key: string,
    input: ApplyInput,
    options: { policy?: PolicySet } = {},
  ) {
    const at = input.at ?? today();
    if (!DATE.test(at)) throw fail("INVALID_DATE", { field: "at" }, { details: { field: "at" } });
    const r = await this.resolve(trx, tenantId, key, undefined, at);
    const policy = options.policy ?? (await loadPolicySet(trx, tenantId));
    const decisionId = randomUUID();
    const services = immediateServices({
      trx,
      tenantId,
      employeeId: input.employeeId ?? null,
      at,
      policy,
      decisionId,
      operation: input.operation,
      actorId: input.actorId ?? null,
    });
    const decided = await this.decide(tenantId, r, { ...input, at }, decisionId, services);
    await trx("decisions").insert(decided.row);
    return { decisionId, ...decided.result, actions: decided.actions };
  }

  /**
   * The evaluation and actions of a resolved version with the host's services; answers the decision
   * row for the caller to store (at once, or with a batch's chunk).
   */
  async decide(
    tenantId: string,
    r: Resolved,
    input: ApplyInput & { at: string },
    decisionId: string,
    services: OrdoServices,
  ) {
    const facts = this.checkFacts(r, input.facts);
    const compiled = this.compile(tenantId, r);
    const result = await this.evaluate(compiled, r, facts, input.at, { tenantId, policy: services.policy });
    const trace = result.results;
    const actions = await runActions(result.events, this.registry, {
      tenantId,
      ruleSet: r.key,
      version: r.version,
      facts,
      trace,
      services,
    });
    const row = {
      tenant_id: tenantId,
      id: decisionId,
      rule_set: r.key,
      version: r.version === "draft" ? null : r.version,
      operation: input.operation,
      employee_id: input.employeeId ?? null,
      facts: JSON.stringify(facts),
      events: JSON.stringify(result.events),
      trace: JSON.stringify(trace),
      actions: JSON.stringify(actions.map((a) => ({ type: a.type, handled: a.handled }))),
      actor_id: input.actorId ?? null,
    };
    return { row, result, actions };
  }
}

export interface ApplyInput {
  facts: Record<string, unknown>;
  at?: string;
  operation: string;
  employeeId?: string | null;
  actorId?: string | null;
}
