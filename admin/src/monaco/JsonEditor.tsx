import { LinearProgress } from "@mui/material";
import { lazy, Suspense } from "react";
import type { JsonEditorProps } from "./types";

// Monaco (~1 MB gzipped) is only fetched when an editor is first shown.
const MonacoJsonEditor = lazy(() => import("./MonacoJsonEditor"));

export type { EditorMarker, JsonEditorProps } from "./types";

export const JsonEditor = (props: JsonEditorProps) => (
  <Suspense fallback={<LinearProgress />}>
    <MonacoJsonEditor {...props} />
  </Suspense>
);
