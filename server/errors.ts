/** Typed errors with string codes. Services throw these; one middleware answers them. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Field errors in react-admin's server-side validation shape. */
    readonly errors?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
  get isPublic(): boolean {
    return this.status < 500;
  }
}

export const badRequest = (code: string, message: string, details?: unknown, errors?: Record<string, string>) =>
  new AppError(400, code, message, details, errors);
export const unauthorized = (message = "Authentication required", code = "UNAUTHORIZED") =>
  new AppError(401, code, message);
export const forbidden = (message = "Not allowed", code = "FORBIDDEN") => new AppError(403, code, message);
export const notFound = (message = "Not found", code = "NOT_FOUND", details?: unknown) =>
  new AppError(404, code, message, details);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const tooMany = (message: string, retryAfterSeconds: number) =>
  new AppError(429, "TOO_MANY_ATTEMPTS", message, { retryAfterSeconds });

/** Validation failure naming each field or JSON pointer at fault. */
export function validationError(
  errors: Record<string, string>,
  message = "Validation failed",
  code = "VALIDATION_FAILED",
) {
  const first = Object.entries(errors)[0];
  const text = first ? `${message}: ${first[0]} ${first[1]}` : message;
  return new AppError(400, code, text, { errors }, errors);
}
