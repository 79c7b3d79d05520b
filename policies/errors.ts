export type PolicyErrorCode =
  | "NO_POLICY"
  | "INVALID_WAGE"
  | "INVALID_RATE"
  | "INVALID_INPUT"
  | "INVALID_DATE"
  | "UNKNOWN_TABLE";

/** Domain error of the policies library; it carries a code, never an HTTP status (the server maps codes). */
export class PolicyError extends Error {
  readonly code: PolicyErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: PolicyErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "PolicyError";
    this.code = code;
    this.details = details;
  }
}

export function isPolicyError(err: unknown): err is PolicyError {
  return err instanceof PolicyError;
}
