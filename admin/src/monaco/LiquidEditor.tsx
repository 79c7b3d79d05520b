import { LinearProgress } from "@mui/material";
import { lazy, Suspense } from "react";
import type { LiquidEditorProps } from "./liquidTypes";

// Monaco is only fetched when an editor is first shown.
const MonacoLiquidEditor = lazy(() => import("./MonacoLiquidEditor"));

export type { LiquidCatalogue, LiquidEditorProps } from "./liquidTypes";

export const LiquidEditor = (props: LiquidEditorProps) => (
  <Suspense fallback={<LinearProgress />}>
    <MonacoLiquidEditor {...props} />
  </Suspense>
);
