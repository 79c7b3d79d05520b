/**
 * Ending sessions, all in the database (no per-server memory): logout revokes one token by its id;
 * a password change or disabling a user bumps the user's token_version, which every older token carries.
 */
import type { Knex } from "knex";
import { audit, inTransaction } from "../audit/log";
import { fail, validationError } from "../errors";
import type { Actor } from "../http/context";
import { hashPassword } from "./passwords";
import { checkPassword, issueToken, publicUser, type AuthUser } from "./service";
import { UUID, type TokenPayload } from "./tokens";

export async function logout(db: Knex, token: TokenPayload): Promise<void> {
  await db("revoked_tokens")
    .insert({ jti: token.jti, user_id: token.sub, expires_at: new Date(token.exp * 1000) })
    .onConflict("jti")
    .ignore();
}

/** Checks the current password (under the login throttle), stores the new one, revokes every older token. */
export async function changePassword(
  db: Knex,
  secret: string,
  ttlSeconds: number,
  user: AuthUser,
  address: string,
  input: { currentPassword: string; newPassword: string },
) {
  const stored = await checkPassword(db, user.email, input.currentPassword, address);
  if (!stored || stored.id !== user.id) {
    throw fail("WRONG_PASSWORD", {}, { errors: { currentPassword: "is wrong" } });
  }
  if (input.newPassword === input.currentPassword) {
    throw validationError({ newPassword: "must differ from the current password" });
  }
  const [row] = await db("users")
    .where({ id: user.id })
    .update({
      password_hash: await hashPassword(input.newPassword),
      token_version: db.raw("token_version + 1"),
      updated_at: db.fn.now(),
    })
    .returning(["id", "token_version"]);
  return {
    token: issueToken(secret, { id: row.id, tokenVersion: row.token_version }, ttlSeconds),
    user: publicUser(user),
  };
}

/** Disables (revoking every token) or re-enables a user of the actor's tenant. */
export async function setDisabled(db: Knex, actor: Actor, userId: string, disabled: boolean) {
  const notFound = fail("NOT_FOUND", { resource: "users", id: userId });
  if (!UUID.test(userId)) throw notFound;
  if (disabled && userId.toLowerCase() === actor.user.id) throw fail("CANNOT_DISABLE_SELF");
  const member = await db("user_tenants").where({ tenant_id: actor.tenant.id, user_id: userId }).first();
  if (!member) throw notFound;
  return inTransaction(db, async (trx) => {
    const before = await trx("users").where({ id: userId }).first("disabled");
    const [row] = await trx("users")
      .where({ id: userId })
      .update({
        disabled,
        ...(disabled ? { token_version: trx.raw("token_version + 1") } : {}),
        updated_at: trx.fn.now(),
      })
      .returning(["id", "email", "name", "role", "disabled"]);
    // The user's audit entry, in the tenant the change was made from.
    await audit(trx, actor.tenant.id, {
      resource: "users",
      resourceId: row.id,
      operation: disabled ? "disable" : "enable",
      before: { disabled: before?.disabled ?? null },
      after: { disabled: row.disabled },
    });
    return row as { id: string; email: string; name: string; role: string; disabled: boolean };
  });
}
