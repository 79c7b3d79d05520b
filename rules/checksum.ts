import { canonicalJson } from "./canonical-json";
import { sha256Hex } from "./sha256";

/** sha256 (hex) of the content's canonical JSON: independent of key order, stable across versions. */
export function checksum(content: unknown): string {
  return sha256Hex(canonicalJson(content));
}
