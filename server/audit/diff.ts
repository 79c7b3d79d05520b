/**
 * What an audit entry stores of a change: the before / after differences only (a sparse copy of the
 * changed paths on each side), with secrets masked; and the canonical JSON its hash is taken over.
 */
type Json = unknown;

/** Keys whose values never reach the log: channel secrets, passwords, tokens, keys. */
const SECRET = /secret|password|passwd|token|api[-_]?key|smtp[-_]?url|credential|authorization|private[-_]?key/i;
export const MASK = "***";
/** Bookkeeping that changes on every write and says nothing about the change. */
const IGNORED = new Set(["updatedAt", "updated_at", "revision"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A copy with every value under a secret-looking key replaced by MASK (null stays null: "not set"). */
export function mask(value: Json): Json {
  if (Array.isArray(value)) return value.map(mask);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET.test(k) ? maskAll(v) : mask(v);
  return out;
}

function maskAll(value: Json): Json {
  if (value === null || value === undefined) return value ?? null;
  if (isObject(value)) return Object.fromEntries(Object.keys(value).map((k) => [k, maskAll(value[k])]));
  return MASK;
}

function same(a: Json, b: Json): boolean {
  return canonical(a) === canonical(b);
}

/**
 * The differences of two JSON values as two sparse values: objects keep only changed keys, arrays of
 * objects only changed indexes (as `{"3": …}`), so a rate changed in row 3 of a 10,000-row table is a
 * few bytes. Answers undefined when nothing differs.
 */
export function diff(before: Json, after: Json, top = true): { before: Json; after: Json } | undefined {
  if (same(before, after)) return undefined;
  if (isObject(before) && isObject(after)) {
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (top && IGNORED.has(key)) continue;
      const d = diff(before[key], after[key], false);
      if (!d) continue;
      if (key in before) b[key] = d.before;
      if (key in after) a[key] = d.after;
    }
    return Object.keys(a).length || Object.keys(b).length ? { before: b, after: a } : undefined;
  }
  if (Array.isArray(before) && Array.isArray(after) && (before.some(isObject) || after.some(isObject))) {
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const d = diff(before[i], after[i], false);
      if (!d) continue;
      if (i < before.length) b[i] = d.before;
      if (i < after.length) a[i] = d.after;
    }
    return { before: b, after: a };
  }
  return { before: before ?? null, after: after ?? null };
}

/** The change an entry records: masked first, so a changed secret shows as changed but never its value. */
export function changeOf(before: Json | null, after: Json | null): { before: Json | null; after: Json | null } {
  const b = before === null || before === undefined ? null : mask(before);
  const a = after === null || after === undefined ? null : mask(after);
  if (b === null || a === null) return { before: b, after: a };
  const d = diff(b, a);
  if (d) return d;
  // A masked secret changed: the masks are equal, so say which keys were written.
  const secretChanged = diff(before, after);
  return secretChanged
    ? { before: {}, after: { changedSecrets: Object.keys(secretChanged.after as object) } }
    : { before: {}, after: {} };
}

/** JSON with object keys sorted at every level: the same text for the same value, however jsonb ordered it. */
export function canonical(value: Json): string {
  if (value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** The JSON pointers of a sparse difference's leaves, at most `limit` of them. */
export function pointers(value: Json, limit = 100, path = "", out: string[] = []): string[] {
  if (out.length >= limit) return out;
  if (isObject(value) && Object.keys(value).length)
    for (const [k, v] of Object.entries(value)) pointers(v, limit, `${path}/${k}`, out);
  else out.push(path || "/");
  return out;
}

/** A change too large to store whole (a 60,000-row table replaced): kept as its size, hash and paths. */
export const CHANGE_LIMIT = 256 * 1024;
export function bounded(change: { before: Json; after: Json }, sha256: (text: string) => string) {
  const text = canonical(change);
  if (text.length <= CHANGE_LIMIT) return change;
  const summary = (side: Json) => ({
    truncated: true,
    bytes: canonical(side).length,
    sha256: sha256(canonical(side)),
    paths: pointers(side),
  });
  return {
    before: change.before === null ? null : summary(change.before),
    after: change.after === null ? null : summary(change.after),
  };
}

/** Waits for the event loop when a budget of work has passed (server/util/yield.ts yieldEvery). */
export type Pause = () => Promise<void>;

/** mask() that yields between the elements of arrays, for documents of many rows. */
async function maskAsync(value: Json, pause: Pause): Promise<Json> {
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const v of value) {
      out.push(mask(v));
      await pause();
    }
    return out;
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET.test(k) ? maskAll(v) : Array.isArray(v) || isObject(v) ? await maskAsync(v, pause) : v;
  return out;
}

/**
 * diff() for large documents (a policy table of 60,000 rows): arrays of objects are compared element by
 * element (equal JSON text first, which is cheap; canonical comparison only where the text differs), with
 * the event loop let in between, so a save never holds other requests for the whole comparison.
 */
async function diffAsync(
  before: Json,
  after: Json,
  pause: Pause,
  top = true,
): Promise<{ before: Json; after: Json } | undefined> {
  if (Array.isArray(before) && Array.isArray(after) && (before.some(isObject) || after.some(isObject))) {
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    let changed = false;
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (JSON.stringify(before[i]) !== JSON.stringify(after[i])) {
        const d = diff(before[i], after[i], false);
        if (d) {
          changed = true;
          if (i < before.length) b[i] = d.before;
          if (i < after.length) a[i] = d.after;
        }
      }
      await pause();
    }
    return changed ? { before: b, after: a } : undefined;
  }
  if (isObject(before) && isObject(after)) {
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (top && IGNORED.has(key)) continue;
      const d = await diffAsync(before[key], after[key], pause, false);
      if (!d) continue;
      if (key in before) b[key] = d.before;
      if (key in after) a[key] = d.after;
    }
    return Object.keys(a).length || Object.keys(b).length ? { before: b, after: a } : undefined;
  }
  return diff(before, after, top);
}

/** changeOf() for any size, yielding to the event loop while it works (the same answer). */
export async function changeOfAsync(before: Json | null, after: Json | null, pause: Pause) {
  const b = before === null || before === undefined ? null : await maskAsync(before, pause);
  const a = after === null || after === undefined ? null : await maskAsync(after, pause);
  if (b === null || a === null) return { before: b, after: a };
  const d = await diffAsync(b, a, pause);
  if (d) return d;
  const secretChanged = await diffAsync(before, after, pause);
  return secretChanged
    ? { before: {}, after: { changedSecrets: Object.keys(secretChanged.after as object) } }
    : { before: {}, after: {} };
}

/** canonical() that yields between array elements. */
async function canonicalAsync(value: Json, pause: Pause): Promise<string> {
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const v of value) {
      parts.push(canonical(v));
      await pause();
    }
    return `[${parts.join(",")}]`;
  }
  if (isObject(value)) {
    const parts: string[] = [];
    for (const k of Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort())
      parts.push(`${JSON.stringify(k)}:${await canonicalAsync(value[k], pause)}`);
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * bounded() for any size: the size is measured on JSON text (as long as the canonical text), and a side
 * too large is hashed over its canonical text built with the event loop let in.
 */
export async function boundedAsync(
  change: { before: Json; after: Json },
  sha256: (text: string) => string,
  pause: Pause,
) {
  if (JSON.stringify(change).length <= CHANGE_LIMIT) return change;
  const summary = async (side: Json) => {
    const text = await canonicalAsync(side, pause);
    return { truncated: true, bytes: text.length, sha256: sha256(text), paths: pointers(side) };
  };
  return {
    before: change.before === null ? null : await summary(change.before),
    after: change.after === null ? null : await summary(change.after),
  };
}
