/**
 * Security headers for every answer, no caching of API answers (they carry personal data), and CORS
 * closed unless ORDO_CORS_ORIGINS names origins.
 */
import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * What the built admin needs: its own scripts only; inline styles (MUI's emotion and Monaco inject
 * <style> elements); Monaco's web workers (bundled, some started from blob: URLs); data:/blob: images
 * and fonts (Monaco's codicon font is inlined).
 */
export const CSP_DIRECTIVES = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "worker-src": ["'self'", "blob:"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'", "data:"],
  "connect-src": ["'self'"],
  "frame-ancestors": ["'none'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
};

export const securityHeaders = (): RequestHandler =>
  helmet({
    // No upgrade-insecure-requests: a plain-HTTP development server must keep working.
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });

export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
};

const ALLOW_HEADERS = "Authorization, Content-Type, Accept, Accept-Language, X-Tenant, X-Request-Id";
const EXPOSE_HEADERS = "Content-Range, X-Request-Id, Retry-After";
const ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE";

/** CORS for the listed origins only; other origins get no CORS headers, so browsers refuse them. */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    if (!allowed.size) return next();
    res.vary("Origin");
    const origin = req.headers.origin;
    if (typeof origin !== "string" || !allowed.has(origin)) return next();
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
      res.setHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
      res.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
      res.setHeader("Access-Control-Max-Age", "600");
      res.status(204).end();
      return;
    }
    next();
  };
}
