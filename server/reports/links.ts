/**
 * Signed download links for delivered reports (a webhook carries the link, not the file): the token is
 * the link's content (tenant, report, format, parameter values, expiry) and an HMAC-SHA256 of it with a
 * key derived from the server's token secret, so any Ordo server can check it and nobody can alter it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { fail } from "../errors";

export interface ReportLink {
  tenantId: string;
  key: string;
  format: "xlsx" | "csv";
  params: Record<string, unknown>;
  /** Expiry, seconds since the epoch. */
  expires: number;
}

const mac = (secret: string, data: string) =>
  createHmac("sha256", `${secret}:report-link`).update(data).digest("base64url");

export function signReportLink(secret: string, link: ReportLink): string {
  const data = Buffer.from(JSON.stringify(link)).toString("base64url");
  return `${data}.${mac(secret, data)}`;
}

/** The link's content; 403 INVALID_LINK when the token was altered, is malformed or has expired. */
export function verifyReportLink(secret: string, token: string, now = Date.now()): ReportLink {
  const [data, sig, extra] = token.split(".");
  if (!data || !sig || extra !== undefined) throw fail("INVALID_LINK");
  const want = Buffer.from(mac(secret, data));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw fail("INVALID_LINK");
  let link: ReportLink;
  try {
    link = JSON.parse(Buffer.from(data, "base64url").toString("utf8"));
  } catch {
    throw fail("INVALID_LINK");
  }
  if (typeof link.expires !== "number" || link.expires * 1000 < now) throw fail("INVALID_LINK");
  return link;
}
