// Everything that changes during one evaluation lives here, never on the compiled rule set:
// a reused json-rules-engine Engine keeps its run status on the engine, so concurrent runs
// with async facts and several priorities skip rules (upstream issue #303).
import { AsyncFactError, UndefinedFactError } from "./errors";
import type { FactContext, FactDef, Registry } from "./plugins";
import { compilePath } from "./json-path";
import { canonicalJson } from "./canonical-json";

export const NOT_YET: unique symbol = Symbol("not yet resolved");

export const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";

const has = Object.prototype.hasOwnProperty;

/** What the compiled rule set shares with every run: fact definitions and memo slots. */
export interface FactTable {
  registry: Registry;
  /** memo key (fact + canonical params) → slot index */
  slots: ReadonlyMap<string, number>;
  slotCount: number;
  /** allowUndefinedFacts: false — a fact that is neither input nor computed is an error. */
  strict: boolean;
}

export const memoKey = (fact: string, params: Record<string, unknown> | undefined): string =>
  `${fact}\u0000${canonicalJson(params ?? {})}`;

const NO_SERVICES: Readonly<Record<string, unknown>> = Object.freeze({});

export class Run {
  readonly slots: unknown[];
  private extra?: Map<string, unknown>;
  private context?: FactContext;
  readonly result: (boolean | undefined)[];
  readonly factValue: unknown[];
  readonly valueResult: unknown[];

  constructor(
    readonly table: FactTable,
    readonly input: Record<string, unknown>,
    readonly at: string,
    readonly allowAsync: boolean,
    nodeCount: number,
    readonly services: Readonly<Record<string, unknown>> = NO_SERVICES,
  ) {
    this.slots = table.slotCount > 0 ? new Array(table.slotCount).fill(NOT_YET) : [];
    this.result = new Array(nodeCount);
    this.factValue = new Array(nodeCount);
    this.valueResult = new Array(nodeCount);
  }

  /** Whether json-rules-engine's almanac would know the fact (input or dynamic). */
  defined(name: string, dynamic: boolean): boolean {
    return dynamic || has.call(this.input, name);
  }

  /** A fact's value: input first (it replaces computed facts, as runtime facts do in json-rules-engine). */
  read(name: string, def: FactDef | undefined, slot: number, params: Record<string, unknown>): unknown {
    if (has.call(this.input, name)) return this.input[name];
    if (!def) {
      if (this.table.strict) throw new UndefinedFactError(name);
      return undefined;
    }
    const cached = this.slots[slot];
    if (cached !== NOT_YET) return cached;
    const value = this.resolve(def, params);
    this.slots[slot] = value;
    if (isThenable(value))
      value.then(
        (v) => (this.slots[slot] = v),
        () => undefined,
      );
    return value;
  }

  private resolve(def: FactDef, params: Record<string, unknown>): unknown {
    const value = def.resolve(params, this.ctx());
    if (isThenable(value) && !this.allowAsync) throw new AsyncFactError(def.name);
    return isThenable(value) ? Promise.resolve(value) : value;
  }

  ctx(): FactContext {
    if (this.context) return this.context;
    const run = this;
    return (this.context = {
      at: run.at,
      input: run.input,
      services: run.services,
      factValue(name: string, params?: Record<string, unknown>, path?: string): unknown {
        const def = has.call(run.input, name) ? undefined : run.table.registry.getFact(name);
        let value: unknown;
        if (!def) {
          if (!has.call(run.input, name) && run.table.strict) throw new UndefinedFactError(name);
          value = has.call(run.input, name) ? run.input[name] : undefined;
        } else {
          const key = memoKey(name, params);
          const slot = run.table.slots.get(key);
          if (slot !== undefined) value = run.read(name, def, slot, params ?? {});
          else {
            const extra = (run.extra ??= new Map());
            if (!extra.has(key)) extra.set(key, run.resolve(def, params ?? {}));
            value = extra.get(key);
          }
        }
        if (!path) return value;
        const at = compilePath(path, name);
        return isThenable(value) ? Promise.resolve(value).then(at) : at(value);
      },
    });
  }
}
