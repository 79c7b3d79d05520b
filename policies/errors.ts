export type PolicyErrorCode =
  | "NO_POLICY"
  | "INVALID_WAGE"
  | "INVALID_RATE"
  | "INVALID_INPUT"
  | "INVALID_DATE"
  | "UNKNOWN_TABLE";

/** Domain error of the policies library; every code is a client error (the server maps it to 400). */
export class PolicyError extends Error {
  readonly code: PolicyErrorCode;
  readonly details?: Record<string, unknown>;
  readonly status = 400;

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
