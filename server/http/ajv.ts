/** One ajv instance for request validation; schemas are compiled once and cached by identity. */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as formatsModule from "ajv-formats";

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((formatsModule as unknown as { default?: AddFormats }).default ??
  formatsModule) as unknown as AddFormats;

export const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
addFormats(ajv);
ajv.addFormat("decimal", /^-?\d{1,15}(\.\d{1,6})?$/);
ajv.addFormat("month", /^\d{4}-(0[1-9]|1[0-2])$/);

const cache = new Map<string, ValidateFunction>();
/** Compiles a schema once per distinct JSON text. */
export function compileCached(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = cache.get(key);
  if (!fn) {
    fn = ajv.compile(schema);
    cache.set(key, fn);
  }
  return fn;
}

const describe = (e: ErrorObject): string => {
  switch (e.keyword) {
    case "required":
      return "is required";
    case "type":
      return `must be ${String(e.params.type).replace(",null", "").replace(",", " or ")}`;
    case "enum":
      return `must be one of ${(e.params.allowedValues as unknown[]).filter((v) => v !== null).join(", ")}`;
    case "format":
      return e.params.format === "decimal"
        ? "must be a decimal number such as 8000.00"
        : `must be a valid ${e.params.format}`;
    case "additionalProperties":
      return "is not a known field";
    default:
      return e.message ?? "is invalid";
  }
};

/** ajv errors as a map from a field (or JSON pointer, with `pointers`) to a message. */
export function errorMap(errors: ErrorObject[] | null | undefined, pointers = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    let pointer = e.instancePath;
    if (e.keyword === "required") pointer += `/${e.params.missingProperty}`;
    if (e.keyword === "additionalProperties") pointer += `/${e.params.additionalProperty}`;
    const key = pointers ? pointer || "/" : pointer.replace(/^\//, "").replace(/\//g, ".") || "root";
    out[key] ??= describe(e);
  }
  return out;
}
