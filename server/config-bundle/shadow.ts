/**
 * Shadow evaluation: the tenant's latest recorded decisions replayed through the rule sets and policy
 * tables in force now ("before") and through the incoming ones ("after", inside the dry run's
 * transaction, so policy facts come from the incoming tables). The baseline is today's configuration,
 * not the events stored with each decision: a decision made under an older version would otherwise
 * count as changed by a bundle that changes nothing. The stored events are shown beside each example.
 */
import type { Knex } from "knex";
import { canonicalJson, changedPointers, checksum, type RuleSetContent } from "../../rules/index";
import type { PolicySet } from "../../policies/index";
import type { AppContext } from "../http/context";
import { loadPolicySet } from "../policy-tables/policy-set";
import type { Resolved } from "../rule-sets/service";
import type { DocAsset } from "./bundle";

interface Event {
  type: string;
  params: Record<string, unknown>;
}
type Outcome = { events: Event[] } | { error: string };
interface DecisionRow {
  id: string;
  rule_set: string;
  employee_id: string | null;
  facts: Record<string, unknown>;
  events: unknown;
  created_at: string | Date;
}
export interface Baseline {
  rows: DecisionRow[];
  before: Map<string, Outcome>;
  limit: number;
}
export interface ShadowExample {
  decisionId: string;
  employeeId: string | null;
  recordedAt: string;
  recorded: unknown;
  before: Outcome;
  after: Outcome;
  added: Event[];
  removed: Event[];
  /** Events of a type found on both sides whose params differ (amounts), with the changed pointers. */
  changedParams: { type: string; pointers: string[] }[];
}
export interface ShadowReport {
  limit: number;
  replayed: number;
  changed: number;
  byRuleSet: Record<string, { replayed: number; changed: number; errors: number; examples: ShadowExample[] }>;
}

const EXAMPLES = 20;
const today = () => new Date().toISOString().slice(0, 10);
const dateOf = (v: string | Date) => (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10);

async function outcome(
  ctx: AppContext,
  tenantId: string,
  r: Resolved | string,
  row: DecisionRow,
  policy: PolicySet,
): Promise<Outcome> {
  if (typeof r === "string") return { error: r };
  try {
    const facts = ctx.rules.checkFacts(r, row.facts);
    const at = dateOf(row.created_at);
    const res = await ctx.rules.evaluate(ctx.rules.compile(tenantId, r), r, facts, at, { tenantId, policy });
    return { events: res.events.map((e) => ({ type: e.type, params: (e.params ?? {}) as Record<string, unknown> })) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** The version in force today per rule set, or why there is none (memoized per replay). */
function resolver(trx: Knex, ctx: AppContext, tenantId: string) {
  const cache = new Map<string, Promise<Resolved | string>>();
  return (key: string) => {
    let p = cache.get(key);
    if (!p) {
      p = ctx.rules.resolve(trx, tenantId, key, undefined, today()).catch((e: Error) => e.message);
      cache.set(key, p);
    }
    return p;
  };
}

export async function replayBefore(trx: Knex, ctx: AppContext, tenantId: string, limit: number): Promise<Baseline> {
  const rows: DecisionRow[] = await trx("decisions")
    .where({ tenant_id: tenantId })
    .orderBy([
      { column: "created_at", order: "desc" },
      { column: "id", order: "desc" },
    ])
    .limit(limit)
    .select("id", "rule_set", "employee_id", "facts", "events", "created_at");
  const policy = await loadPolicySet(trx, tenantId);
  const resolve = resolver(trx, ctx, tenantId);
  const before = new Map<string, Outcome>();
  for (const row of rows) before.set(row.id, await outcome(ctx, tenantId, await resolve(row.rule_set), row, policy));
  return { rows, before, limit };
}

const eventKey = (e: Event) => canonicalJson({ type: e.type, params: e.params });
function minus(a: Event[], b: Event[]): Event[] {
  const left = new Map<string, number>();
  for (const e of b) left.set(eventKey(e), (left.get(eventKey(e)) ?? 0) + 1);
  return a.filter((e) => {
    const n = left.get(eventKey(e)) ?? 0;
    if (n > 0) left.set(eventKey(e), n - 1);
    return n === 0;
  });
}

function compare(row: DecisionRow, before: Outcome, after: Outcome): ShadowExample | null {
  if (canonicalJson(before) === canonicalJson(after)) return null;
  const [b, a] = ["events" in before ? before.events : [], "events" in after ? after.events : []];
  const added = minus(a, b);
  const removed = minus(b, a);
  const changedParams = added
    .filter(
      (x) =>
        removed.filter((y) => y.type === x.type).length === 1 && added.filter((y) => y.type === x.type).length === 1,
    )
    .map((x) => ({
      type: x.type,
      pointers: changedPointers(removed.find((y) => y.type === x.type)!.params, x.params),
    }));
  return {
    decisionId: row.id,
    employeeId: row.employee_id ?? null,
    recordedAt: row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at),
    recorded: row.events,
    before,
    after,
    added,
    removed,
    changedParams,
  };
}

/** After the incoming assets are written (same transaction): replays the baseline's decisions and compares. */
export async function replayAfter(
  trx: Knex,
  ctx: AppContext,
  tenantId: string,
  incoming: DocAsset[],
  base: Baseline,
): Promise<ShadowReport> {
  const policy = await loadPolicySet(trx, tenantId);
  const resolve = resolver(trx, ctx, tenantId);
  const byKey = new Map(incoming.map((a) => [a.key, a]));
  const report: ShadowReport = { limit: base.limit, replayed: base.rows.length, changed: 0, byRuleSet: {} };
  for (const row of base.rows) {
    const asset = byKey.get(row.rule_set);
    const content = asset?.content as unknown as RuleSetContent | undefined;
    const r: Resolved | string = content
      ? { key: row.rule_set, version: "draft", content, checksum: checksum(content) }
      : await resolve(row.rule_set);
    const after = await outcome(ctx, tenantId, r, row, policy);
    const before = base.before.get(row.id)!;
    const entry = (report.byRuleSet[row.rule_set] ??= { replayed: 0, changed: 0, errors: 0, examples: [] });
    entry.replayed++;
    if ("error" in after && "error" in before) {
      entry.errors++;
      continue;
    }
    const ex = compare(row, before, after);
    if (!ex) continue;
    entry.changed++;
    report.changed++;
    if (entry.examples.length < EXAMPLES) entry.examples.push(ex);
  }
  return report;
}
