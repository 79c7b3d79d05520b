import type { PolicyRow } from "./tables";

export interface ColumnChange {
  /** "values.lower", "effectiveTo", "source", "confidence", "note" or "publishedOn". */
  column: string;
  before: unknown;
  after: unknown;
}

export interface TableDiff {
  added: PolicyRow[];
  removed: PolicyRow[];
  modified: { before: PolicyRow; after: PolicyRow; changes: ColumnChange[] }[];
}

/** Rows are matched on key + effectiveFrom; the key's column order does not matter. */
export function rowIdentity(row: PolicyRow): string {
  const key = Object.keys(row.key)
    .sort()
    .map((k) => `${k}=${String(row.key[k])}`)
    .join("&");
  return `${key}@${row.effectiveFrom}`;
}

export function diffTables(aRows: PolicyRow[], bRows: PolicyRow[]): TableDiff {
  const before = new Map(aRows.map((r) => [rowIdentity(r), r]));
  const after = new Map(bRows.map((r) => [rowIdentity(r), r]));
  const diff: TableDiff = { added: [], removed: [], modified: [] };
  for (const [id, b] of after) {
    const a = before.get(id);
    if (!a) {
      diff.added.push(b);
      continue;
    }
    const changes: ColumnChange[] = [];
    const cols = new Set([...Object.keys(a.values), ...Object.keys(b.values)]);
    for (const c of cols) {
      if (!same(a.values[c], b.values[c]))
        changes.push({ column: `values.${c}`, before: a.values[c], after: b.values[c] });
    }
    for (const c of ["effectiveTo", "source", "confidence", "note", "publishedOn"] as const) {
      if (!same(a[c], b[c])) changes.push({ column: c, before: a[c], after: b[c] });
    }
    if (changes.length) diff.modified.push({ before: a, after: b, changes });
  }
  for (const [id, a] of before) if (!after.has(id)) diff.removed.push(a);
  return diff;
}

function same(x: unknown, y: unknown): boolean {
  const nx = x === undefined || x === null || x === "" ? null : String(x);
  const ny = y === undefined || y === null || y === "" ? null : String(y);
  return nx === ny;
}
