/** Users, tenants, login with throttling, and token resolution. */
import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { hashPassword, verifyPassword, dummyPasswordHash } from "./passwords";
import { signToken, verifyToken, type TokenPayload } from "./tokens";
import { housekeeping, reserveAttempt } from "./throttle";
import { fail } from "../errors";

export type Role = "consultant" | "hr_admin" | "employee";
export interface TenantRef {
  id: string;
  slug: string;
  name: string;
}
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  employeeId: string | null;
  tenants: TenantRef[];
}
export interface StoredUser extends AuthUser {
  passwordHash: string;
  tokenVersion: number;
  disabled: boolean;
}

export async function tokenSecret(db: Knex, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const row = await db("settings").where({ key: "token_secret" }).first();
  if (row) return row.value as string;
  const secret = randomBytes(32).toString("base64url");
  await db("settings")
    .insert({ key: "token_secret", value: JSON.stringify(secret) })
    .onConflict("key")
    .ignore();
  const stored = await db("settings").where({ key: "token_secret" }).first();
  return stored.value as string;
}

/**
 * A user with their tenants in one query (every authenticated request runs it); with `jti`, also
 * whether that token was revoked.
 */
export async function loadUser(
  db: Knex,
  by: "id" | "email",
  value: string,
  jti?: string,
): Promise<(StoredUser & { revoked: boolean }) | undefined> {
  const { rows } = await db.raw(
    `SELECT u.id, u.email, u.name, u.role, u.employee_id, u.password_hash, u.token_version, u.disabled,
       coalesce((SELECT json_agg(json_build_object('id', t.id, 'slug', t.slug, 'name', t.name) ORDER BY t.slug)
                 FROM user_tenants ut JOIN tenants t ON t.id = ut.tenant_id WHERE ut.user_id = u.id), '[]'::json)
         AS tenants,
       EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = ?::uuid) AS revoked
     FROM users u WHERE ${by === "id" ? "u.id = ?::uuid" : "lower(u.email) = ?"}`,
    [jti ?? null, by === "id" ? value : value.toLowerCase()],
  );
  const row = rows[0];
  if (!row) return undefined;
  const tenants = typeof row.tenants === "string" ? JSON.parse(row.tenants) : row.tenants;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    employeeId: row.employee_id ?? null,
    tenants,
    passwordHash: row.password_hash,
    tokenVersion: row.token_version,
    disabled: row.disabled,
    revoked: row.revoked,
  };
}

export const publicUser = (user: AuthUser) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  employeeId: user.employeeId,
  tenants: user.tenants.map(({ slug, name }) => ({ slug, name })),
});

export const issueToken = (secret: string, user: { id: string; tokenVersion: number }, ttlSeconds: number) =>
  signToken(secret, { sub: user.id, ver: user.tokenVersion }, ttlSeconds);

/**
 * Password checks in progress on this server. Each costs database work on the event loop (PGlite
 * runs there) and a scrypt; beyond this many, a login is refused at once with 429 LOGIN_BUSY, so a
 * flood of logins queues neither the database nor the CPU in front of every other request. This is
 * load shedding, not security state: the throttle itself lives in the database.
 */
export const MAX_LOGINS_IN_FLIGHT = 16;
let inFlight = 0;

/**
 * Checks a password under the login throttle: the attempt is reserved before scrypt runs (429 when
 * locked), a wrong password stays counted, a right one clears its account + address count.
 */
export async function checkPassword(
  db: Knex,
  email: string,
  password: string,
  address: string,
): Promise<StoredUser | undefined> {
  if (inFlight >= MAX_LOGINS_IN_FLIGHT) throw fail("LOGIN_BUSY", { retryAfterSeconds: 1 });
  inFlight++;
  try {
    const attempt = await reserveAttempt(db, email, address);
    const user = await loadUser(db, "email", email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) return undefined;
    await attempt.succeeded();
    return user;
  } finally {
    inFlight--;
  }
}

export async function login(
  db: Knex,
  secret: string,
  ttlSeconds: number,
  email: string,
  password: string,
  address: string,
) {
  const user = await checkPassword(db, email.trim().toLowerCase(), password, address);
  if (!user) throw fail("INVALID_CREDENTIALS");
  // Said only after the right password, so it reveals nothing to a guesser.
  if (user.disabled) throw fail("ACCOUNT_DISABLED");
  housekeeping(db);
  return { token: issueToken(secret, user, ttlSeconds), user: publicUser(user) };
}

/** Resolves a bearer token to its user: signed, unexpired, not revoked, current version, user enabled. */
export async function authenticate(
  db: Knex,
  secret: string,
  header: string | undefined,
): Promise<{ user: AuthUser; token: TokenPayload }> {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (!match) throw fail("UNAUTHORIZED", {}, { message: "Authorization: Bearer <token> is required" });
  const check = verifyToken(secret, match[1]!);
  if (!check.ok) throw fail(check.reason === "expired" ? "TOKEN_EXPIRED" : "INVALID_TOKEN");
  const { sub, ver, jti } = check.payload;
  const user = await loadUser(db, "id", sub, jti);
  if (!user || user.disabled || user.revoked || user.tokenVersion !== ver) throw fail("INVALID_TOKEN");
  const { id, email, name, role, employeeId, tenants } = user;
  return { user: { id, email, name, role, employeeId, tenants }, token: check.payload };
}

/** The tenant a request works in: X-Tenant when given (403 if not the user's), else the user's only tenant. */
export function pickTenant(user: AuthUser, slug: string | undefined): TenantRef {
  if (slug) {
    const tenant = user.tenants.find((t) => t.slug === slug);
    if (!tenant) throw fail("TENANT_FORBIDDEN", { tenant: slug });
    return tenant;
  }
  if (user.tenants.length === 1) return user.tenants[0]!;
  if (user.tenants.length === 0) throw fail("NO_TENANT");
  throw fail("TENANT_REQUIRED");
}

export async function createUser(
  db: Knex,
  input: { email: string; name: string; password: string; role: Role; tenantIds: string[]; employeeId?: string | null },
) {
  const [row] = await db("users")
    .insert({
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      password_hash: await hashPassword(input.password),
      employee_id: input.employeeId ?? null,
    })
    .returning("id");
  if (input.tenantIds.length) {
    await db("user_tenants").insert(input.tenantIds.map((tenant_id) => ({ user_id: row.id, tenant_id })));
  }
  return row.id as string;
}
