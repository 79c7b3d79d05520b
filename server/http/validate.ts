/** Body validation at the boundary: handlers read the validated body. */
import { compileCached, errorMap } from "./ajv";
import { validationError } from "../errors";

export function validateBody<T>(schema: object, body: unknown): T {
  const validate = compileCached(schema);
  if (!validate(body)) {
    const errors = errorMap(validate.errors, true);
    throw validationError(errors, "INVALID_BODY");
  }
  return body as T;
}
