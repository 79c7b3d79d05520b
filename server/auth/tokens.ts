/** Stateless signed tokens (HMAC-SHA256), so any Ordo server behind a load balancer can verify them. */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface TokenPayload {
  sub: string;
  iat: number;
  exp: number;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64url");

export function signToken(secret: string, userId: string, ttlSeconds: number, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const body = b64(JSON.stringify({ sub: userId, iat, exp: iat + ttlSeconds } satisfies TokenPayload));
  const sig = createHmac("sha256", secret).update(body).digest("base64url");
  return `${body}.${sig}`;
}

export type TokenCheck =
  | { ok: true; payload: TokenPayload }
  | { ok: false; reason: "malformed" | "signature" | "expired" };

export function verifyToken(secret: string, token: string, now = Date.now()): TokenCheck {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return { ok: false, reason: "malformed" };
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature" };
  let payload: TokenPayload;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof payload.sub !== "string" || typeof payload.exp !== "number") return { ok: false, reason: "malformed" };
  if (payload.exp * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, payload };
}
