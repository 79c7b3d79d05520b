import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useRef, useState } from "react";
import { locatePointer } from "./jsonPointer";
import { monaco, setModelSchema } from "./setup";
import type { JsonEditorProps } from "./types";

type Ed = Parameters<OnMount>[0];

const uriOf = (path: string) => monaco.Uri.parse(`file:///${path}`);

export default function MonacoJsonEditor({
  path,
  value,
  onChange,
  schema,
  markers,
  height = 520,
  onReveal,
  readOnlyReason,
}: JsonEditorProps) {
  const editorRef = useRef<Ed | null>(null);
  const [ready, setReady] = useState(false);
  const uri = uriOf(path).toString();

  useEffect(() => {
    setModelSchema(uri, schema ?? null);
  }, [uri, schema]);
  useEffect(() => () => setModelSchema(uri, null), [uri]);

  // Server diagnostics: JSON pointers mapped onto the current text.
  useEffect(() => {
    const model = monaco.editor.getModel(uriOf(path));
    if (!model) return;
    const text = model.getValue();
    monaco.editor.setModelMarkers(
      model,
      "ordo-server",
      (markers ?? []).map((m) => {
        const span = locatePointer(text, m.pointer) ?? { start: 0, end: 1 };
        const a = model.getPositionAt(span.start);
        const b = model.getPositionAt(span.end);
        return {
          severity: m.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
          message: `${m.message}${m.code ? ` (${m.code})` : ""}\n${m.pointer}`,
          source: "ordo",
          startLineNumber: a.lineNumber,
          startColumn: a.column,
          endLineNumber: b.lineNumber,
          endColumn: b.column,
        };
      }),
    );
  }, [markers, path, ready]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    setReady(true);
    onReveal?.((pointer) => {
      const model = editor.getModel();
      if (!model) return;
      const span = locatePointer(model.getValue(), pointer);
      if (!span) return;
      const pos = model.getPositionAt(span.start);
      editor.revealLineInCenter(pos.lineNumber);
      editor.setPosition(pos);
      editor.focus();
    });
  };

  return (
    <div
      data-testid={`monaco-${path}`}
      data-readonly={readOnlyReason !== undefined ? "true" : undefined}
      style={{ border: "1px solid rgba(0,0,0,.2)", borderRadius: 4 }}
    >
      <Editor
        height={height}
        path={path}
        defaultLanguage="json"
        language="json"
        value={value}
        onChange={(v) => onChange(v ?? "")}
        onMount={onMount}
        options={{
          minimap: { enabled: false },
          automaticLayout: true,
          tabSize: 2,
          fontSize: 13,
          scrollBeyondLastLine: false,
          wordWrap: "on",
          quickSuggestions: { strings: true, other: true, comments: false },
          readOnly: readOnlyReason !== undefined,
          readOnlyMessage: readOnlyReason === undefined ? undefined : { value: readOnlyReason },
        }}
      />
    </div>
  );
}
