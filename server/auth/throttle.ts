/**
 * Login throttling in the database, shared by every server. An attempt is reserved with one atomic
 * upsert BEFORE its password is checked, so parallel guesses cannot all be checked: the row lock
 * serialises the upserts, and once a key reaches its limit the upsert's WHERE refuses further
 * reservations until the lock expires (which doubles on each reservation past the limit).
 *
 * Three keys per attempt:
 * - account + client address: 5 free failures. This is the lock that guessing triggers, so a guesser
 *   locks themselves out, not the account's owner elsewhere.
 * - client address, across accounts (password spraying): 30 free failures.
 * - account, across addresses (guessing spread over many addresses): 100 free failures.
 * A successful login clears its account + address key and gives back its reservation on the others.
 */
import { isIPv6 } from "node:net";
import type { Knex } from "knex";
import { fail } from "../errors";

interface Limit {
  maxFree: number;
  baseLockMs: number;
}
export const LIMITS = {
  pair: { maxFree: 5, baseLockMs: 30_000 },
  address: { maxFree: 30, baseLockMs: 60_000 },
  account: { maxFree: 100, baseLockMs: 60_000 },
} satisfies Record<string, Limit>;
const WINDOW = "15 minutes";
const MAX_LOCK = "15 minutes";

/** The address a limit applies to: IPv4 as is, IPv6 by its /64 (one subscriber's prefix). */
export function clientAddress(ip: string | undefined): string {
  if (!ip) return "unknown";
  const v4 = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (v4) return v4[1]!;
  if (!isIPv6(ip)) return ip;
  const bare = ip.split("%")[0]!.toLowerCase();
  const [head, tail] = bare.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export function throttleKeys(email: string, address: string) {
  return { pair: `account+address:${email} ${address}`, address: `address:${address}`, account: `account:${email}` };
}

const newFailures = `CASE WHEN t.last_attempt_at < now() - interval '${WINDOW}' THEN 1 ELSE t.failures + 1 END`;
const lockFor = (failures: string, max: string, base: string) =>
  `CASE WHEN ${failures} >= ${max} THEN now() + ` +
  `least(${base} * power(2, ${failures} - ${max}) * interval '1 millisecond', interval '${MAX_LOCK}') END`;

/** Reserves one attempt on each key; answers the keys reserved (a key missing is locked). */
async function reserve(db: Knex, rows: [string, Limit][]): Promise<Set<string>> {
  // Keys in one order everywhere, so two upserts never wait on each other's rows crosswise.
  const sorted = [...rows].sort(([a], [b]) => (a < b ? -1 : 1));
  const values = sorted.map(() => "(?::text, 1, ?::int, ?::int, now())").join(", ");
  const { rows: out } = await db.raw(
    `INSERT INTO login_throttle AS t (key, failures, max_free, base_lock_ms, last_attempt_at, locked_until)
     SELECT key, failures, max_free, base_lock_ms, last_attempt_at,
       ${lockFor("v.failures", "v.max_free", "v.base_lock_ms")}
     FROM (VALUES ${values}) AS v (key, failures, max_free, base_lock_ms, last_attempt_at)
     ON CONFLICT (key) DO UPDATE SET
       failures = ${newFailures},
       max_free = excluded.max_free,
       base_lock_ms = excluded.base_lock_ms,
       last_attempt_at = now(),
       locked_until = ${lockFor(newFailures, "excluded.max_free", "excluded.base_lock_ms")}
     WHERE t.locked_until IS NULL OR t.locked_until <= now()
     RETURNING t.key`,
    sorted.flatMap(([key, limit]) => [key, limit.maxFree, limit.baseLockMs]),
  );
  return new Set((out as { key: string }[]).map((r) => r.key));
}

/** Gives reservations back (the attempt was not a failure): the count drops, and the lock with it. */
async function release(db: Knex, keys: string[]) {
  if (!keys.length) return;
  await db.raw(
    `UPDATE login_throttle SET failures = greatest(failures - 1, 0),
       locked_until = CASE WHEN failures - 1 >= max_free THEN locked_until END
     WHERE key = ANY(?)`,
    [keys],
  );
}

/** Seconds until the last of these keys' locks ends; 0 when none is locked. */
async function lockedFor(db: Knex, keys: string[]): Promise<number> {
  // Plain IN and no aggregate: this runs for every refused attempt of a flood (on PGlite, on the event loop).
  const { rows } = await db.raw(
    `SELECT extract(epoch FROM locked_until - now()) AS seconds FROM login_throttle
     WHERE key IN (${keys.map(() => "?").join(", ")}) AND locked_until > now()`,
    keys,
  );
  return Math.ceil(Math.max(0, ...(rows as { seconds: string | number }[]).map((r) => Number(r.seconds))));
}

const refuse = (retryAfterSeconds: number) =>
  fail("TOO_MANY_ATTEMPTS", { retryAfterSeconds: Math.max(1, retryAfterSeconds) });

export interface Attempt {
  /** The password was right: clear the account + address failures, give back the other reservations. */
  succeeded(): Promise<void>;
}

/**
 * Reserves a login attempt for `email` from `address`, or throws 429 TOO_MANY_ATTEMPTS with the
 * seconds until the lock ends. A wrong password needs nothing more: its reservation is the failure.
 */
export async function reserveAttempt(db: Knex, email: string, address: string): Promise<Attempt> {
  const keys = throttleKeys(email, address);
  const all = [keys.pair, keys.address, keys.account];
  // Fast path for a flood against a lock: one read, no write. The upserts below are the real gate.
  const locked = await lockedFor(db, all);
  if (locked) throw refuse(locked);
  // The most specific key first, alone: parallel guesses on one account stop here, before they
  // can inflate the shared counters.
  if (!(await reserve(db, [[keys.pair, LIMITS.pair]])).size) throw refuse(await lockedFor(db, [keys.pair]));
  const shared: [string, Limit][] = [
    [keys.address, LIMITS.address],
    [keys.account, LIMITS.account],
  ];
  const got = await reserve(db, shared);
  if (got.size < shared.length) {
    await release(db, [keys.pair, ...got]);
    throw refuse(await lockedFor(db, [keys.address, keys.account]));
  }
  return {
    async succeeded() {
      await db("login_throttle").where({ key: keys.pair }).delete();
      await release(db, [keys.address, keys.account]);
    },
  };
}

/** Drops rows whose window and lock are over, and revoked tokens past their expiry. */
export async function purgeExpired(db: Knex) {
  await db.raw(
    `DELETE FROM login_throttle WHERE last_attempt_at < now() - interval '${WINDOW}'
       AND (locked_until IS NULL OR locked_until < now())`,
  );
  await db.raw("DELETE FROM revoked_tokens WHERE expires_at < now()");
}

let lastPurge = 0;
/** Runs purgeExpired at most once a minute per server, in the background (housekeeping, not state). */
export function housekeeping(db: Knex, log?: { warn(obj: object, msg: string): void }) {
  if (Date.now() - lastPurge < 60_000) return;
  lastPurge = Date.now();
  purgeExpired(db).catch((err) => log?.warn({ err }, "purging expired logins and tokens failed"));
}
