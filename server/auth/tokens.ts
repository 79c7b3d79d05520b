/**
 * Signed tokens (HMAC-SHA256), verifiable by any Ordo server: `base64url(payload).base64url(hmac)`.
 * The payload names the user (`sub`), their token version (`ver`, bumped to revoke every older token)
 * and a token id (`jti`, stored as revoked on logout). Verification is strict: one spelling of a token
 * is valid, anything else is refused before the payload is trusted.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export interface TokenPayload {
  sub: string;
  iat: number;
  exp: number;
  ver: number;
  jti: string;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** 32 bytes of HMAC-SHA256 in unpadded base64url. */
const SIG_LENGTH = 43;
const MAX_TOKEN_LENGTH = 1024;

const sign = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("base64url");

export function signToken(
  secret: string,
  claims: { sub: string; ver: number; jti?: string },
  ttlSeconds: number,
  now = Date.now(),
): string {
  const iat = Math.floor(now / 1000);
  const payload: TokenPayload = {
    sub: claims.sub,
    iat,
    exp: iat + ttlSeconds,
    ver: claims.ver,
    jti: claims.jti ?? randomUUID(),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

export type TokenCheck =
  | { ok: true; payload: TokenPayload }
  | { ok: false; reason: "malformed" | "signature" | "expired" };

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

function payloadOf(value: unknown): TokenPayload | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const p = value as Record<string, unknown>;
  if (typeof p.sub !== "string" || !UUID.test(p.sub)) return undefined;
  if (typeof p.jti !== "string" || !UUID.test(p.jti)) return undefined;
  if (!isInt(p.exp) || !isInt(p.iat) || !isInt(p.ver) || p.ver < 0) return undefined;
  return { sub: p.sub.toLowerCase(), iat: p.iat, exp: p.exp, ver: p.ver, jti: p.jti.toLowerCase() };
}

export function verifyToken(secret: string, token: string, now = Date.now()): TokenCheck {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [body, sig] = parts as [string, string];
  if (!B64URL.test(body) || !B64URL.test(sig) || sig.length !== SIG_LENGTH) return { ok: false, reason: "malformed" };
  // Comparing the base64url text (not decoded bytes) refuses non-canonical spellings of the signature.
  if (!timingSafeEqual(Buffer.from(sig), Buffer.from(sign(secret, body)))) return { ok: false, reason: "signature" };
  const bytes = Buffer.from(body, "base64url");
  if (bytes.toString("base64url") !== body) return { ok: false, reason: "malformed" };
  let payload: TokenPayload | undefined;
  try {
    payload = payloadOf(JSON.parse(bytes.toString("utf8")));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!payload) return { ok: false, reason: "malformed" };
  if (payload.exp * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, payload };
}
