import { DiffEditor } from "@monaco-editor/react";
import "./setup";

/** Two JSON documents side by side, changes highlighted (Monaco's diff editor, read-only). */
export default function MonacoJsonDiff({
  original,
  modified,
  height = 480,
}: {
  original: string;
  modified: string;
  height?: number;
}) {
  return (
    <div data-testid="json-diff">
      <DiffEditor
        height={height}
        language="json"
        original={original}
        modified={modified}
        options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false }, scrollBeyondLastLine: false }}
      />
    </div>
  );
}
