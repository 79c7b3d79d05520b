/**
 * Request schemas shared by every versioned-document resource (rule sets, policy tables): keys,
 * versions, list queries, and the publish and rollback bodies.
 */
import { INT4_MAX } from "./formats";

export const DATE = { type: "string", format: "date", description: "YYYY-MM-DD" };
export const KEY = { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,62}$" };
export const COUNT = { type: "integer", minimum: 1, maximum: INT4_MAX };
export const VERSION_REF = { anyOf: [COUNT, { const: "draft" }], description: 'a version number or "draft"' };
export const keyParams = { key: KEY };
export const versionParams = { key: KEY, version: COUNT };
export const diffParams = { key: KEY, a: VERSION_REF, b: VERSION_REF };
export const DOC_SORT = ["id", "key", "name", "industry", "updatedAt", "latestVersion"];
const TEXTS = {
  anyOf: [
    { type: "string", maxLength: 200 },
    { type: "array", maxItems: 1000, items: { type: "string" } },
  ],
};
export const DOC_FILTER = {
  type: "object",
  properties: { q: { type: "string", maxLength: 200 }, id: TEXTS, key: TEXTS, name: TEXTS, industry: TEXTS },
};
const NOTE = { type: "string", maxLength: 2000 };
export const publishSchema = {
  type: "object",
  additionalProperties: false,
  properties: { effectiveFrom: DATE, note: NOTE },
};
export const rollbackSchema = {
  type: "object",
  additionalProperties: false,
  required: ["version"],
  properties: { version: COUNT, note: NOTE, effectiveFrom: DATE },
};

/** A document's create and save bodies from its metadata and content properties. */
export function documentSchemas(meta: object, content: object, required: string[]) {
  return {
    createSchema: {
      type: "object",
      required: ["key", "name", ...required],
      properties: { key: KEY, ...meta, ...content },
    },
    saveSchema: { type: "object", required: ["revision"], properties: { revision: COUNT, ...meta, ...content } },
  };
}
