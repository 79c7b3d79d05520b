/** One ajv instance for request validation; schemas are compiled once and cached by identity. */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as formatsModule from "ajv-formats";
import { isKnownCity } from "../../domain/index";
import { isDate, isDateTime, isMonth, MAX_YEAR, MIN_YEAR, MONEY_RE, UUID_RE } from "./formats";

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((formatsModule as unknown as { default?: AddFormats }).default ??
  formatsModule) as unknown as AddFormats;

/** Formats that fit the columns: calendar dates and months in 1900–2199, strict UUIDs, numeric(14,2). */
function withFormats(instance: Ajv): Ajv {
  addFormats(instance);
  instance.addFormat("date", { type: "string", validate: isDate });
  instance.addFormat("date-time", { type: "string", validate: isDateTime });
  instance.addFormat("month", { type: "string", validate: isMonth });
  instance.addFormat("uuid", UUID_RE);
  instance.addFormat("decimal", MONEY_RE);
  instance.addFormat("city", { type: "string", validate: isKnownCity });
  // `money: true`: a JSON number or a decimal string, handed on as the decimal string (8000 → "8000",
  // 12.5 → "12.5"), so money is never a binary float past the boundary. A number with more than two
  // decimals (0.1 + 0.2) or in exponent form fails the decimal format like a string would.
  instance.addKeyword({
    keyword: "money",
    type: ["number", "string"],
    modifying: true,
    errors: true,
    // `money: "nonNegative"` also refuses a minus sign (wages, bases).
    validate: function money(mode: boolean | "nonNegative", data: unknown, _schema: unknown, cxt?: DataCxt) {
      if (!mode) return true;
      const text = typeof data === "number" ? (Number.isFinite(data) ? String(data) : "") : String(data);
      const ok = MONEY_RE.test(text) && !(mode === "nonNegative" && text.startsWith("-"));
      if (ok && typeof data === "number" && cxt?.parentData) {
        (cxt.parentData as Record<string | number, unknown>)[cxt.parentDataProperty] = text;
      }
      if (!ok)
        (money as unknown as { errors: Partial<ErrorObject>[] }).errors = [
          { keyword: "format", params: { format: "decimal" } },
        ];
      return ok;
    },
  });
  return instance;
}

interface DataCxt {
  parentData?: unknown;
  parentDataProperty: string | number;
}

export const ajv = withFormats(new Ajv({ allErrors: true, strict: false, useDefaults: true }));
/** Query strings and path parameters arrive as text: "42" is coerced to 42 and "true" to true. */
export const coercingAjv = withFormats(
  new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: true }),
);

const cache = new Map<string, ValidateFunction>();
/** Compiles a schema once per distinct JSON text. */
export function compileCached(schema: object, instance: Ajv = ajv): ValidateFunction {
  const key = `${instance === ajv ? "" : "coerce:"}${JSON.stringify(schema)}`;
  let fn = cache.get(key);
  if (!fn) {
    fn = instance.compile(schema);
    cache.set(key, fn);
  }
  return fn;
}

const FORMAT_PROBLEMS: Record<string, string> = {
  decimal: "must be a decimal number such as 8000.00 (at most 12 digits before the point and 2 after)",
  date: `must be a calendar date YYYY-MM-DD between ${MIN_YEAR} and ${MAX_YEAR}`,
  month: `must be a month YYYY-MM between ${MIN_YEAR} and ${MAX_YEAR}`,
  "date-time": `must be a date-time such as 2024-03-01T08:00:00Z between ${MIN_YEAR} and ${MAX_YEAR}`,
  uuid: "must be a UUID",
  city: "must be a GB/T 2260 province-level or prefecture-level code, e.g. 110000 or 440300",
};

/** A one-line problem for an ajv error, e.g. "must be a valid date". */
export const describeError = (e: ErrorObject): string => {
  switch (e.keyword) {
    case "required":
      return "is required";
    case "type":
      return `must be ${String(e.params.type).replace(",null", "").replace(",", " or ")}`;
    case "enum":
      return `must be one of ${(e.params.allowedValues as unknown[]).filter((v) => v !== null).join(", ")}`;
    case "format":
      return FORMAT_PROBLEMS[e.params.format as string] ?? `must be a valid ${e.params.format}`;
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
    out[key] ??= describeError(e);
  }
  return out;
}
