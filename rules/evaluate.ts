// The run loop: priority groups from highest to lowest, like json-rules-engine's run(). Within a
// group json-rules-engine evaluates rules concurrently and records them as they finish; Ordo
// reproduces that order from the microtask count of each rule (its `ticks`), ties by position.
// With truly asynchronous facts json-rules-engine's order depends on I/O timing; Ordo's stays the
// order json-rules-engine gives when facts resolve at once.
import type { ConditionNode } from "./condition-node";
import { settle, topTicks } from "./condition-node";
import { RulesError } from "./errors";
import { isThenable, Run, type FactTable } from "./run-state";
import { traceOf, type TraceNode } from "./trace";
import type { RuleEvent, TopLevelCondition } from "./types";
import type { EventParam } from "./compile";
import { ASYNC, generateRule, type RuleFn } from "./codegen";

export interface CompiledRule {
  index: number;
  label: string;
  name?: string;
  priority: number;
  node: ConditionNode;
  event: RuleEvent;
  /** With replaceFactsInEventParams: the event's params, resolved per run. */
  eventParams?: EventParam[];
  source: TopLevelCondition;
}

// json-rules-engine's resolveEventParams: a Promise.all over one `.then` per param (one more for a
// path on a known fact) before the rule's result is emitted; with no params it costs nothing.
function eventTicks(rule: CompiledRule, run: Run | undefined): number {
  const params = rule.eventParams;
  if (!params) return 0;
  let extra = 0;
  for (const p of params) {
    if (p.fact?.path) {
      if (!run) return -1;
      if (run.defined(p.fact.name, p.fact.dynamic)) extra = 1;
    }
  }
  return 2 + extra;
}

/** The event with its params resolved (a Promise only when an asynchronous fact is involved). */
function resolveEvent(rule: CompiledRule, run: Run): RuleEvent | Promise<RuleEvent> {
  const list = rule.eventParams!;
  const params: Record<string, unknown> = {};
  let pending: Promise<unknown>[] | undefined;
  try {
    for (const p of list) {
      if (!p.fact) {
        params[p.key] = p.value;
        continue;
      }
      const read = p.fact;
      const raw = read.read(run);
      params[p.key] = raw; // keeps the key order when the value comes later
      if (isThenable(raw))
        (pending ??= []).push(Promise.resolve(raw).then((v) => (params[p.key] = read.path ? read.path(v) : v)));
      else if (read.path) params[p.key] = read.path(raw);
    }
  } catch (e) {
    settle(pending);
    throw e;
  }
  const event = { type: rule.event.type, params };
  return pending ? Promise.all(pending).then(() => event) : event;
}

export interface EvaluateOptions {
  /** Evaluation date YYYY-MM-DD; defaults to today's UTC date. */
  at?: string;
  /** Host services for fact resolvers (e.g. the tenant's policy set), seen as `FactContext.services`; kept per run. */
  services?: Record<string, unknown>;
}

export interface RuleOutcome {
  /** Rule name, or `#<index>` when unnamed. */
  rule: string;
  index: number;
  priority: number;
  result: boolean;
  event: RuleEvent;
  /** The condition tree with fact values and results (computed on first access). */
  readonly conditions: TraceNode;
}

export interface Evaluation {
  at: string;
  /** Events of the rules that passed, in json-rules-engine's order. */
  events: RuleEvent[];
  failureEvents: RuleEvent[];
  /** Every evaluated rule, in the order it finished. */
  results: RuleOutcome[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

class Outcome implements RuleOutcome {
  readonly rule: string;
  readonly index: number;
  readonly priority: number;
  event: RuleEvent;
  private trace?: TraceNode;
  constructor(
    private readonly compiled: CompiledRule,
    private readonly run: Run,
    readonly result: boolean,
    private readonly shared: Record<string, TopLevelCondition>,
  ) {
    this.rule = compiled.label;
    this.index = compiled.index;
    this.priority = compiled.priority;
    this.event = compiled.event;
  }
  get conditions(): TraceNode {
    return (this.trace ??= traceOf(this.compiled.source, this.compiled.node, this.run, this.shared));
  }
  toJSON() {
    return {
      rule: this.rule,
      index: this.index,
      priority: this.priority,
      result: this.result,
      event: this.event,
      conditions: this.conditions,
    };
  }
}

/** An evaluation; the per-rule outcomes are built when first read (bulk callers often need only events). */
class Result implements Evaluation {
  readonly at: string;
  /** With replaceFactsInEventParams: each rule's resolved event, in finishing order. */
  ruleEvents?: RuleEvent[];
  private outcomeList?: RuleOutcome[];
  constructor(
    private readonly run: Run,
    private readonly shared: Record<string, TopLevelCondition>,
    private readonly outcomes: boolean[],
    private readonly order: CompiledRule[],
    readonly events: RuleEvent[],
    readonly failureEvents: RuleEvent[],
  ) {
    this.at = run.at;
  }
  get results(): RuleOutcome[] {
    if (this.outcomeList) return this.outcomeList;
    const list: RuleOutcome[] = new Array(this.order.length);
    for (let i = 0; i < this.order.length; i++) {
      const rule = this.order[i];
      const o = new Outcome(rule, this.run, this.outcomes[rule.index], this.shared);
      if (this.ruleEvents) o.event = this.ruleEvents[i];
      list[i] = o;
    }
    return (this.outcomeList = list);
  }
  toJSON() {
    return { at: this.at, events: this.events, failureEvents: this.failureEvents, results: this.results };
  }
  /** `{"events":[{type,params}],"results":[{rule,priority,result}]}` from text prepared per rule. */
  summaryJson(): string {
    let s = '{"events":[';
    if (this.ruleEvents) s += this.events.map(eventJson).join(",");
    else {
      let first = true;
      for (let i = 0; i < this.order.length; i++) {
        const rule = this.order[i];
        if (!this.outcomes[rule.index]) continue;
        s += first ? json(rule).event : `,${json(rule).event}`;
        first = false;
      }
    }
    s += '],"results":[';
    for (let i = 0; i < this.order.length; i++) {
      const rule = this.order[i];
      s += (i > 0 ? "," : "") + json(rule).head + (this.outcomes[rule.index] ? "true}" : "false}");
    }
    return `${s}]}`;
  }
  /** summaryJson as UTF-8; without replaced params it depends only on order and outcomes, so `cache` can hold it. */
  summaryBytes(cache: SummaryCache | undefined): Uint8Array {
    if (this.ruleEvents || !cache) return utf8.encode(this.summaryJson());
    // The outcomes by rule as a bit mask (a string past 31 rules); the order is compared, not hashed.
    const order = this.order;
    const outcomes = this.outcomes;
    let key: number | string;
    if (outcomes.length <= 31) {
      let mask = 0;
      for (let i = 0; i < outcomes.length; i++) mask |= outcomes[i] ? 1 << i : 0;
      key = mask;
    } else {
      key = "";
      for (let i = 0; i < outcomes.length; i++) key += outcomes[i] ? "1" : "0";
    }
    let list = cache.patterns.get(key);
    if (list) {
      next: for (let p = 0; p < list.length; p++) {
        const seen = list[p].order;
        for (let i = 0; i < order.length; i++) if (seen[i] !== order[i]) continue next;
        return list[p].bytes;
      }
    } else cache.patterns.set(key, (list = []));
    const bytes = utf8.encode(this.summaryJson());
    if (cache.bytes + bytes.length <= cache.maxBytes) {
      list.push({ order, bytes });
      cache.bytes += bytes.length;
    }
    return bytes;
  }
}

const utf8 = new TextEncoder();

/**
 * Encoded summaries by outcomes and finishing order: the records of a batch share few patterns (733
 * among the bench's 100,000 employees), so most are written as a copy of bytes encoded once. One
 * cache serves one compiled rule set (it holds that rule set's texts) and keeps up to `maxBytes`.
 */
export interface SummaryCache {
  readonly patterns: Map<number | string, { order: readonly CompiledRule[]; bytes: Uint8Array }[]>;
  readonly maxBytes: number;
  bytes: number;
}

export const createSummaryCache = (maxBytes = 1 << 20): SummaryCache => ({ patterns: new Map(), maxBytes, bytes: 0 });

const eventJson = (e: RuleEvent) => JSON.stringify({ type: e.type, params: e.params ?? {} });
const texts = new WeakMap<CompiledRule, { event: string; head: string }>();
function json(rule: CompiledRule) {
  let t = texts.get(rule);
  if (!t) {
    const head = `{"rule":${JSON.stringify(rule.label)},"priority":${JSON.stringify(rule.priority)},"result":`;
    texts.set(rule, (t = { event: eventJson(rule.event), head }));
  }
  return t;
}

/**
 * The JSON text of `{ events, results: [{ rule, priority, result }] }` for an evaluation, as
 * JSON.stringify would write it; bulk answers use it to skip building the outcome objects.
 */
export function summaryJson(evaluation: Evaluation): string {
  if (evaluation instanceof Result) return evaluation.summaryJson();
  return JSON.stringify({
    events: evaluation.events.map((e) => ({ type: e.type, params: e.params ?? {} })),
    results: evaluation.results.map((o) => ({ rule: o.rule, priority: o.priority, result: o.result })),
  });
}

/** summaryJson's text as UTF-8 bytes, shared through `cache` by evaluations of one rule set with the same outcomes. */
export function summaryBytes(evaluation: Evaluation, cache?: SummaryCache): Uint8Array {
  if (evaluation instanceof Result) return evaluation.summaryBytes(cache);
  return utf8.encode(summaryJson(evaluation));
}

export function createEvaluator(
  rules: CompiledRule[],
  table: FactTable,
  nodeCount: number,
  shared: Record<string, TopLevelCondition>,
  codegen = true,
) {
  // Generated straight-line code per rule for the synchronous path; the closures remain the
  // asynchronous path (and the whole engine when codegen is off).
  const generated: RuleFn[] | undefined = codegen ? rules.map((r) => generateRule(r.node)) : undefined;
  const byPriority = new Map<number, CompiledRule[]>();
  for (const r of rules) byPriority.set(r.priority, [...(byPriority.get(r.priority) ?? []), r]);
  const groups = [...byPriority.keys()].sort((a, b) => b - a).map((p) => byPriority.get(p)!);

  // Groups whose rules all have run-independent tick counts get their finishing order once, here.
  const fixedOrder = groups.map((group) =>
    group.every((r) => r.node.staticTicks >= 0 && eventTicks(r, undefined) >= 0)
      ? group
          .map((r, i) => ({ r, i, t: topTicks(r.node, undefined as never) + eventTicks(r, undefined) }))
          .sort((a, b) => a.t - b.t || a.i - b.i)
          .map((x) => x.r)
      : undefined,
  );

  // Per rule of a group whose order depends on the run: its ticks when they do not, else -1.
  const groupTicks = groups.map((group) =>
    group.map((r) =>
      r.node.staticTicks >= 0 && eventTicks(r, undefined) >= 0
        ? topTicks(r.node, undefined as never) + eventTicks(r, undefined)
        : -1,
    ),
  );

  // Insertion by (ticks, position): groups are small, and this allocates nothing.
  const finishGroup = (run: Run, g: number, order: CompiledRule[], ticks: number[]) => {
    const fixed = fixedOrder[g];
    if (fixed) {
      for (let i = 0; i < fixed.length; i++) order.push(fixed[i]);
      return;
    }
    const group = groups[g];
    const fixedTicks = groupTicks[g];
    const start = order.length;
    for (let i = 0; i < group.length; i++) {
      const rule = group[i];
      const t = fixedTicks[i] >= 0 ? fixedTicks[i] : topTicks(rule.node, run) + eventTicks(rule, run);
      let j = order.length;
      order.push(rule);
      while (j > start && ticks[j - 1] > t) {
        order[j] = order[j - 1];
        ticks[j] = ticks[j - 1];
        j--;
      }
      order[j] = rule;
      ticks[j] = t;
    }
  };

  const replacing = rules.some((r) => r.eventParams);
  const result = (run: Run, outcomes: boolean[], order: CompiledRule[]): Evaluation | Promise<Evaluation> => {
    const events: RuleEvent[] = [];
    const failureEvents: RuleEvent[] = [];
    const evaluation = new Result(run, shared, outcomes, order, events, failureEvents);
    if (!replacing) {
      for (let i = 0; i < order.length; i++) {
        const rule = order[i];
        (outcomes[rule.index] ? events : failureEvents).push(rule.event);
      }
      return evaluation;
    }
    const resolved: RuleEvent[] = (evaluation.ruleEvents = new Array(order.length));
    let pending: Promise<unknown>[] | undefined;
    for (let i = 0; i < order.length; i++) {
      const rule = order[i];
      const list = outcomes[rule.index] ? events : failureEvents;
      let event: RuleEvent | Promise<RuleEvent>;
      try {
        event = rule.eventParams ? resolveEvent(rule, run) : rule.event;
      } catch (e) {
        settle(pending);
        throw e;
      }
      if (isThenable(event)) {
        const at = list.push(rule.event) - 1;
        (pending ??= []).push(event.then((e) => (list[at] = resolved[i] = e)));
      } else list.push((resolved[i] = event));
    }
    return pending ? Promise.all(pending).then(() => evaluation) : evaluation;
  };

  const loop = (
    run: Run,
    from: number,
    outcomes: boolean[],
    order: CompiledRule[],
    ticks: number[],
  ): Evaluation | Promise<Evaluation> => {
    for (let g = from; g < groups.length; g++) {
      const group = groups[g];
      let pending: Promise<unknown>[] | undefined;
      try {
        for (let i = 0; i < group.length; i++) {
          const rule = group[i];
          const r = rule.node.evaluate(run);
          if (isThenable(r)) (pending ??= []).push(r.then((v) => (outcomes[rule.index] = v)));
          else outcomes[rule.index] = r;
        }
      } catch (e) {
        settle(pending);
        throw e;
      }
      if (pending) {
        return Promise.all(pending).then(() => {
          finishGroup(run, g, order, ticks);
          return loop(run, g + 1, outcomes, order, ticks);
        });
      }
      finishGroup(run, g, order, ticks);
    }
    return result(run, outcomes, order);
  };

  let lastAt = "";
  const start = (facts: Record<string, unknown>, options: EvaluateOptions | undefined, allowAsync: boolean) => {
    const at = options?.at ?? new Date().toISOString().slice(0, 10);
    if (at !== lastAt) {
      if (!DATE.test(at))
        throw new RulesError("INVALID_DATE", `"at" must be a date written as YYYY-MM-DD, not "${at}".`);
      lastAt = at; // bulk runs use one date: test it once
    }
    const run = new Run(table, facts ?? {}, at, allowAsync, nodeCount, options?.services);
    if (generated) {
      const outcomes: boolean[] = new Array(rules.length);
      const order: CompiledRule[] = [];
      const ticks: number[] = [];
      try {
        for (let g = 0; g < groups.length; g++) {
          const group = groups[g];
          for (let i = 0; i < group.length; i++) {
            const index = group[i].index;
            outcomes[index] = generated[index](run, run.input);
          }
          finishGroup(run, g, order, ticks);
        }
      } catch (e) {
        if (e !== ASYNC) throw e;
        // A Promise turned up: start again with the closures. Memoised facts (and the pending
        // Promise) stay in the run's slots, so no resolver runs twice.
        run.result.fill(undefined);
        return loop(run, 0, new Array(rules.length), [], []);
      }
      return result(run, outcomes, order);
    }
    return loop(run, 0, new Array(rules.length), [], []);
  };

  return {
    evaluate(facts: Record<string, unknown>, options?: EvaluateOptions): Promise<Evaluation> {
      try {
        return Promise.resolve(start(facts, options, true));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    evaluateSync(facts: Record<string, unknown>, options?: EvaluateOptions): Evaluation {
      return start(facts, options, false) as Evaluation;
    },
    evaluateNow(facts: Record<string, unknown>, options?: EvaluateOptions): Evaluation | Promise<Evaluation> {
      return start(facts, options, true);
    },
  };
}
