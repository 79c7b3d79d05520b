import Decimal from "decimal.js";
import { PolicyError } from "./errors";

/** A private Decimal clone so other modules' global Decimal settings cannot change our results. */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof D>;

export type RoundingName = "HALF_UP" | "HALF_EVEN" | "HALF_DOWN" | "UP" | "DOWN" | "CEIL" | "FLOOR";

const MODES: Record<RoundingName, Decimal.Rounding> = {
  HALF_UP: Decimal.ROUND_HALF_UP,
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
  HALF_DOWN: Decimal.ROUND_HALF_DOWN,
  UP: Decimal.ROUND_UP,
  DOWN: Decimal.ROUND_DOWN,
  CEIL: Decimal.ROUND_CEIL,
  FLOOR: Decimal.ROUND_FLOOR,
};

export function roundingMode(name: string | undefined): Decimal.Rounding {
  return MODES[(name ?? "HALF_UP") as RoundingName] ?? Decimal.ROUND_HALF_UP;
}

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** Parses a money or percent input; numbers go through their shortest string form, never binary arithmetic. */
export function toDec(value: string | number | Dec, field = "value"): Dec {
  if (value instanceof D) return value;
  const text = typeof value === "number" ? String(value) : String(value).trim();
  if (typeof value === "number" ? !Number.isFinite(value) : !DECIMAL_RE.test(text)) {
    throw new PolicyError("INVALID_INPUT", `${field} is not a decimal number: ${String(value)}`, { field });
  }
  return new D(text);
}

/** Rounds to `places` and renders with exactly that many decimals. */
export function money(value: Dec, rounding: Decimal.Rounding = Decimal.ROUND_HALF_UP, places = 2): string {
  return value.toDecimalPlaces(places, rounding).toFixed(places);
}
