/**
 * The one error middleware: `{message, code, params?, details?, errors?}` in the reader's language
 * (Accept-Language zh… answers Chinese). The libraries' errors (rules, policies, the database, body
 * parsing) are mapped to catalogue codes here; unknown errors are a generic 500, logged with their stack.
 */
import type { ErrorRequestHandler, Request } from "express";
import { PolicyError } from "../../policies/errors";
import { RulesError } from "../../rules/errors";
import { AppError, type ErrorCode, ERRORS, fail, type Locale } from "../errors";

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Maps database constraint violations that reach here to client errors. */
function fromDatabase(err: { code?: string; detail?: string; constraint?: string; column?: string }) {
  if (err.code === "23505") {
    const cols =
      err.detail
        ?.match(/Key \(([^)]*)\)/)?.[1]
        ?.split(",")
        .map((c) => c.trim())
        .filter((c) => c !== "tenant_id") ?? [];
    const field = camel(cols[cols.length - 1] ?? "root");
    return fail(
      "DUPLICATE",
      { field },
      { details: { field, constraint: err.constraint }, errors: { [field]: "already exists" } },
    );
  }
  if (err.code === "23503") {
    const field = camel(
      err.detail
        ?.match(/Key \(([^)]*)\)/)?.[1]
        ?.split(",")
        .pop()
        ?.trim() ?? "reference",
    );
    return fail("INVALID_REFERENCE", { field }, { details: { field, constraint: err.constraint } });
  }
  if (err.code === "23502") {
    const field = camel(err.column ?? "root");
    return fail(
      "VALIDATION_FAILED",
      { field, problem: "is required" },
      { details: { field }, errors: { [field]: "is required" } },
    );
  }
  return undefined;
}

/** A pure library's error, by its code (the libraries know no HTTP). */
function fromLibrary(err: unknown): AppError | undefined {
  if (err instanceof PolicyError || err instanceof RulesError) {
    const code = (err.code in ERRORS ? err.code : "INVALID_INPUT") as ErrorCode;
    return fail(code, { problem: err.message }, { message: err.message, details: (err as PolicyError).details });
  }
  return undefined;
}

function fromHttp(err: { type?: string; limit?: number; status?: number; expose?: boolean; message?: string }) {
  // Express decodes path parameters with decodeURIComponent: `%E0%A4%A` is a URIError (status 400, not exposed).
  if (err instanceof URIError)
    return fail("INVALID_PATH", { parameter: "path", problem: "is not valid percent-encoded UTF-8" });
  if (err?.type === "entity.parse.failed") return fail("MALFORMED_JSON");
  if (err?.type === "entity.too.large") return fail("BODY_TOO_LARGE", { limit: err.limit });
  if (typeof err?.status === "number" && err.status >= 400 && err.status < 500 && err.expose) {
    return fail("BAD_REQUEST", { reason: err.message ?? "" });
  }
  return undefined;
}

export function localeOf(req: Request): Locale {
  const header = req.headers["accept-language"];
  return typeof header === "string" && /^\s*zh/i.test(header) ? "zh-CN" : "en";
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const error = err instanceof AppError ? err : (fromDatabase(err) ?? fromLibrary(err) ?? fromHttp(err));
  if (!error) {
    req.log?.error({ err }, "unhandled error");
    if (!res.headersSent) res.status(500).json({ message: ERRORS.INTERNAL_ERROR.en, code: "INTERNAL_ERROR" });
    return;
  }
  if (error.status === 429) {
    const retry = error.params.retryAfterSeconds;
    if (retry) res.setHeader("Retry-After", String(retry));
  }
  req.log?.info({ code: error.code, status: error.status }, error.message);
  if (res.headersSent) return;
  const locale = localeOf(req);
  const body: Record<string, unknown> = { message: error.localized(locale), code: error.code };
  const { params, details, errors } = error.localizedExtra(locale);
  if (Object.keys(params).length) body.params = params;
  if (details !== undefined) body.details = details;
  if (errors) body.errors = errors;
  res.status(error.status).json(body);
};
