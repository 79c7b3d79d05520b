import { LinearProgress } from "@mui/material";
import { lazy, Suspense } from "react";

// Loaded with Monaco, only when a comparison is first shown.
const MonacoJsonDiff = lazy(() => import("./MonacoJsonDiff"));

export const JsonDiff = (props: { original: string; modified: string; height?: number }) => (
  <Suspense fallback={<LinearProgress />}>
    <MonacoJsonDiff {...props} />
  </Suspense>
);
