import { mkdirSync, rmSync } from "node:fs";
import { ARTIFACTS } from "./browser";

/** Start every e2e run from an empty screenshot folder, so each screenshot in it belongs to this run. */
export function setup() {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
}
