/** The one error middleware: `{message, code, details?, errors?}`; unknown errors are a generic 500, logged with their stack. */
import type { ErrorRequestHandler } from "express";
import { AppError } from "../errors";

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Maps database constraint violations that reach here to client errors. */
function fromDatabase(err: {
  code?: string;
  detail?: string;
  constraint?: string;
  column?: string;
}): AppError | undefined {
  if (err.code === "23505") {
    const cols =
      err.detail
        ?.match(/Key \(([^)]*)\)/)?.[1]
        ?.split(",")
        .map((c) => c.trim())
        .filter((c) => c !== "tenant_id") ?? [];
    const field = camel(cols[cols.length - 1] ?? "root");
    return new AppError(
      409,
      "DUPLICATE",
      `A record with this ${field} already exists`,
      { field, constraint: err.constraint },
      { [field]: "already exists" },
    );
  }
  if (err.code === "23503")
    return new AppError(400, "INVALID_REFERENCE", "A referenced record does not exist", { constraint: err.constraint });
  if (err.code === "23502") {
    const field = camel(err.column ?? "root");
    return new AppError(400, "VALIDATION_FAILED", `${field} is required`, { field }, { [field]: "is required" });
  }
  return undefined;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let error: AppError | undefined = err instanceof AppError ? err : fromDatabase(err);
  if (!error && err?.type === "entity.parse.failed")
    error = new AppError(400, "MALFORMED_JSON", "The request body is not valid JSON");
  if (!error && err?.type === "entity.too.large")
    error = new AppError(413, "BODY_TOO_LARGE", `The request body is larger than the limit of ${err.limit} bytes`);
  if (!error && typeof err?.status === "number" && err.status >= 400 && err.status < 500 && err.expose) {
    error = new AppError(err.status, "BAD_REQUEST", err.message);
  }
  if (!error) {
    req.log?.error({ err }, "unhandled error");
    if (!res.headersSent) res.status(500).json({ message: "An unexpected error occurred.", code: "INTERNAL_ERROR" });
    return;
  }
  if (error.status === 429) {
    const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (retry) res.setHeader("Retry-After", String(retry));
  }
  req.log?.info({ code: error.code, status: error.status }, error.message);
  if (res.headersSent) return;
  const body: Record<string, unknown> = { message: error.message, code: error.code };
  if (error.details !== undefined) body.details = error.details;
  if (error.errors) body.errors = error.errors;
  res.status(error.status).json(body);
};
