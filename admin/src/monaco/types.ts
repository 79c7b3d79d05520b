export interface EditorMarker {
  pointer: string;
  message: string;
  code?: string;
  severity: "error" | "warning";
}

export interface JsonEditorProps {
  /** Model path; also the file the JSON schema is matched against. */
  path: string;
  value: string;
  onChange: (value: string) => void;
  schema?: unknown;
  markers?: EditorMarker[];
  height?: number | string;
  /** Shown read-only, with this sentence when someone tries to type (the reason, in the user's language). */
  readOnlyReason?: string;
  /** Called with a function that moves the cursor to a pointer. */
  onReveal?: (reveal: (pointer: string) => void) => void;
}
