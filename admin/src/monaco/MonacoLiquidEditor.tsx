import Editor from "@monaco-editor/react";
import { useEffect } from "react";
import { monaco } from "./setup";
import type { LiquidCatalogue, LiquidEditorProps } from "./liquidTypes";

// One Liquid language and one completion provider for every editor; the catalogue is the latest one shown.
let catalogue: LiquidCatalogue = { facts: {}, filters: [] };
let registered = false;

function register() {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: "liquid" });
  monaco.languages.setMonarchTokensProvider("liquid", {
    tokenizer: {
      root: [
        [/\{\{-?/, { token: "delimiter.liquid", next: "@output" }],
        [/\{%-?/, { token: "delimiter.liquid", next: "@tag" }],
        [/[^{]+/, ""],
        [/\{/, ""],
      ],
      output: [
        [/-?\}\}/, { token: "delimiter.liquid", next: "@pop" }],
        [/\|\s*[a-z_]+/, "keyword"],
        [/"[^"]*"|'[^']*'/, "string"],
        [/[A-Za-z_][\w.]*/, "variable"],
        [/./, ""],
      ],
      tag: [
        [/-?%\}/, { token: "delimiter.liquid", next: "@pop" }],
        [/\b(if|elsif|else|endif|unless|endunless|for|endfor|in|and|or|assign|case|when|endcase)\b/, "keyword"],
        [/"[^"]*"|'[^']*'/, "string"],
        [/[A-Za-z_][\w.]*/, "variable"],
        [/./, ""],
      ],
    },
  });
  monaco.languages.registerCompletionItemProvider("liquid", {
    triggerCharacters: [".", "|", "{", " "],
    provideCompletionItems(model, position) {
      const line = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const open = Math.max(line.lastIndexOf("{{"), line.lastIndexOf("{%"));
      const inside = open >= 0 && open > Math.max(line.lastIndexOf("}}"), line.lastIndexOf("%}"));
      const Kind = monaco.languages.CompletionItemKind;
      if (inside && /\|\s*\w*$/.test(line))
        return {
          suggestions: catalogue.filters.map((f) => ({ label: f, kind: Kind.Function, insertText: f, range })),
        };
      const member = /([A-Za-z_]\w*)\.\w*$/.exec(line);
      if (inside && member) {
        const members = catalogue.facts[member[1]!]?.members ?? {};
        return {
          suggestions: Object.entries(members).map(([name, m]) => ({
            label: name,
            kind: Kind.Field,
            detail: m.type,
            documentation: m.doc,
            insertText: name,
            range,
          })),
        };
      }
      return {
        suggestions: Object.entries(catalogue.facts).map(([name, f]) => ({
          label: name,
          kind: Kind.Variable,
          detail: f.type,
          documentation: f.doc,
          insertText: inside ? name : `{{ ${name} }}`,
          range,
        })),
      };
    },
  });
}

export default function MonacoLiquidEditor({
  path,
  value,
  onChange,
  catalogue: cat,
  height = 160,
  readOnly,
  error,
}: LiquidEditorProps) {
  register();
  useEffect(() => {
    catalogue = cat;
  }, [cat]);
  return (
    <div
      data-testid={`liquid-${path}`}
      style={{ border: `1px solid ${error ? "#d32f2f" : "rgba(0,0,0,.2)"}`, borderRadius: 4 }}
    >
      <Editor
        height={height}
        path={path}
        language="liquid"
        value={value}
        onChange={(v) => onChange(v ?? "")}
        onMount={() => {
          catalogue = cat;
        }}
        options={{
          minimap: { enabled: false },
          automaticLayout: true,
          fontSize: 13,
          lineNumbers: "off",
          scrollBeyondLastLine: false,
          wordWrap: "on",
          quickSuggestions: { strings: true, other: true, comments: false },
          readOnly,
        }}
      />
    </div>
  );
}
