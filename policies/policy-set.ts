import { PolicyError } from "./errors";
import { serializeKey, type KeyValue, type PolicyRow, type PolicyTable, type TableDef } from "./tables";

export interface PolicySetOptions {
  /**
   * Return the latest row that started on or before the date even after it ended. Models the
   * provisional collection at the old limits while a late notice is pending (差额补缴).
   */
  carryForward?: boolean;
}

interface Indexed {
  def: TableDef;
  rows: PolicyRow[];
  byKey: Map<string, { from: string[]; rows: PolicyRow[] }>;
}

/** An immutable in-memory index over many tables, built once: lookup is a map hit plus a binary search. */
export class PolicySet {
  private readonly tables = new Map<string, Indexed>();
  readonly options: PolicySetOptions;
  /** Per-set memo for derived data (e.g. a city's resolved month); cleared never, as the set is immutable. */
  readonly memo = new Map<string, unknown>();

  constructor(tables: PolicyTable[], options: PolicySetOptions = {}) {
    this.options = options;
    for (const { def, rows } of tables) {
      const byKey = new Map<string, { from: string[]; rows: PolicyRow[] }>();
      for (const row of rows) {
        const k = serializeKey(def, row.key);
        (byKey.get(k) ?? byKey.set(k, { from: [], rows: [] }).get(k)!).rows.push(row);
      }
      for (const entry of byKey.values()) {
        entry.rows.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
        entry.from = entry.rows.map((r) => r.effectiveFrom);
      }
      this.tables.set(def.key, { def, rows: [...rows], byKey });
    }
  }

  has(tableKey: string): boolean {
    return this.tables.has(tableKey);
  }

  def(tableKey: string): TableDef {
    return this.table(tableKey).def;
  }

  rows(tableKey: string): PolicyRow[] {
    return this.table(tableKey).rows;
  }

  tableKeys(): string[] {
    return [...this.tables.keys()];
  }

  /** The row for `key` in force on `date` (YYYY-MM-DD), or undefined. */
  lookup(tableKey: string, key: Record<string, KeyValue>, date: string): PolicyRow | undefined {
    const t = this.table(tableKey);
    const entry = t.byKey.get(serializeKey(t.def, key));
    if (!entry) return undefined;
    const from = entry.from;
    let lo = 0;
    let hi = from.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (from[mid] <= date) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const row = entry.rows[found];
    if (row.effectiveTo !== null && row.effectiveTo < date && !this.options.carryForward) return undefined;
    return row;
  }

  /** All rows of one key, sorted by effectiveFrom. */
  history(tableKey: string, key: Record<string, KeyValue>): PolicyRow[] {
    const t = this.table(tableKey);
    return t.byKey.get(serializeKey(t.def, key))?.rows ?? [];
  }

  private table(tableKey: string): Indexed {
    const t = this.tables.get(tableKey);
    if (!t) throw new PolicyError("UNKNOWN_TABLE", `unknown policy table ${tableKey}`, { table: tableKey });
    return t;
  }
}

export function createPolicySet(tables: PolicyTable[], options?: PolicySetOptions): PolicySet {
  return new PolicySet(tables, options);
}

/** A copy of `tables` with `replacement` rows swapped in for the tables they name. */
export function withRows(tables: PolicyTable[], replacement: Record<string, PolicyRow[]>): PolicyTable[] {
  return tables.map((t) => (replacement[t.def.key] ? { def: t.def, rows: replacement[t.def.key] } : t));
}
