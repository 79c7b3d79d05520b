// One configured ajv for the library: every error (not just the first) so a consultant sees all
// problems at once; ajv-formats so fact schemas can say `format: "date"`.
import { Ajv } from "ajv";
import addFormatsImport from "ajv-formats";

// ajv-formats is CommonJS; under ESM interop its function may sit on `.default`.
const addFormats: (ajv: Ajv) => Ajv =
  (addFormatsImport as unknown as { default?: (ajv: Ajv) => Ajv }).default ??
  (addFormatsImport as unknown as (ajv: Ajv) => Ajv);

export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

let shared: Ajv | undefined;
/** The module's ajv instance, created on first use. */
export function ajv(): Ajv {
  return (shared ??= createAjv());
}
