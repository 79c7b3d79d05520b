/** Users, tenants, login with throttling, and token resolution. */
import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { hashPassword, verifyPassword, dummyPasswordHash } from "./passwords";
import { signToken, verifyToken } from "./tokens";
import { tooMany, unauthorized, forbidden } from "../errors";

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

/** Failed logins: after MAX_FREE failures within the window the account is locked, doubling each time. */
const MAX_FREE = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

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

async function loadUser(
  db: Knex,
  where: Record<string, unknown>,
): Promise<(AuthUser & { passwordHash: string }) | undefined> {
  const row = await db("users").where(where).first();
  if (!row) return undefined;
  const tenants = await db("tenants")
    .join("user_tenants", "user_tenants.tenant_id", "tenants.id")
    .where("user_tenants.user_id", row.id)
    .orderBy("tenants.slug")
    .select("tenants.id", "tenants.slug", "tenants.name");
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    employeeId: row.employee_id ?? null,
    tenants,
    passwordHash: row.password_hash,
  };
}

export const publicUser = ({ passwordHash: _, ...user }: AuthUser & { passwordHash?: string }) => ({
  ...user,
  tenants: user.tenants.map(({ slug, name }) => ({ slug, name })),
});

export async function login(
  db: Knex,
  secret: string,
  ttlSeconds: number,
  email: string,
  password: string,
  now = new Date(),
) {
  const key = email.trim().toLowerCase();
  const throttle = await db("login_failures").where({ email: key }).first();
  if (throttle?.locked_until && new Date(throttle.locked_until) > now) {
    const retry = Math.ceil((new Date(throttle.locked_until).getTime() - now.getTime()) / 1000);
    throw tooMany(`Too many failed logins. Try again in ${retry} seconds.`, retry);
  }
  const user = await db.transaction(async (trx) => loadUser(trx, { email: key }));
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) {
    await recordFailure(db, key, throttle, now);
    throw unauthorized("Wrong email or password", "INVALID_CREDENTIALS");
  }
  if (throttle) await db("login_failures").where({ email: key }).delete();
  return { token: signToken(secret, user.id, ttlSeconds, now.getTime()), user: publicUser(user) };
}

async function recordFailure(
  db: Knex,
  email: string,
  prev: { failures: number; last_failure_at: string } | undefined,
  now: Date,
) {
  const recent = prev && now.getTime() - new Date(prev.last_failure_at).getTime() < WINDOW_MS;
  const failures = recent ? prev.failures + 1 : 1;
  const lockMs = failures >= MAX_FREE ? Math.min(BASE_LOCK_MS * 2 ** (failures - MAX_FREE), MAX_LOCK_MS) : 0;
  const row = { email, failures, last_failure_at: now, locked_until: lockMs ? new Date(now.getTime() + lockMs) : null };
  await db("login_failures").insert(row).onConflict("email").merge();
}

export async function authenticate(db: Knex, secret: string, header: string | undefined): Promise<AuthUser> {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (!match) throw unauthorized("Authorization: Bearer <token> is required");
  const check = verifyToken(secret, match[1]!);
  if (!check.ok)
    throw unauthorized(
      check.reason === "expired" ? "Token expired" : "Invalid token",
      check.reason === "expired" ? "TOKEN_EXPIRED" : "INVALID_TOKEN",
    );
  const user = await loadUser(db, { id: check.payload.sub });
  if (!user) throw unauthorized("Invalid token", "INVALID_TOKEN");
  const { passwordHash: _, ...rest } = user;
  return rest;
}

/** The tenant a request works in: X-Tenant when given (403 if not the user's), else the user's only tenant. */
export function pickTenant(user: AuthUser, slug: string | undefined): TenantRef {
  if (slug) {
    const tenant = user.tenants.find((t) => t.slug === slug);
    if (!tenant) throw forbidden(`Tenant "${slug}" is not available to this user`, "TENANT_FORBIDDEN");
    return tenant;
  }
  if (user.tenants.length === 1) return user.tenants[0]!;
  if (user.tenants.length === 0) throw forbidden("This user has no tenant", "NO_TENANT");
  throw forbidden("Choose a tenant with the X-Tenant header", "TENANT_REQUIRED");
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
