// Bundled Monaco: the slim editor API, its contributions and the JSON language only, no CDN.
import * as monaco from "monaco-editor/editor/editor.api";
import "./contribs";
import { jsonDefaults } from "monaco-editor/languages/features/json/register";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import JsonWorker from "monaco-editor/languages/features/json/json.worker?worker";
import { loader } from "@monaco-editor/react";

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === "json" ? new JsonWorker() : new EditorWorker();
  },
};

loader.config({ monaco });

export { monaco };

const schemas = new Map<string, unknown>();

/** Registers (or replaces) the JSON schema validating one model URI. */
export function setModelSchema(uri: string, schema: unknown | null) {
  if (schema) schemas.set(uri, schema);
  else schemas.delete(uri);
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemaValidation: "error",
    schemas: [...schemas.entries()].map(([fileMatch, s]) => ({
      uri: `inmemory://schema/${encodeURIComponent(fileMatch)}`,
      fileMatch: [fileMatch],
      schema: s as Record<string, unknown>,
    })),
  });
}
