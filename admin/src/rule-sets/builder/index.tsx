import { LinearProgress } from "@mui/material";
import { lazy, Suspense } from "react";
import type { RuleBuilderProps } from "./RuleBuilder";

// react-querybuilder and its Material controls are only fetched when the visual builder is first shown.
const RuleBuilder = lazy(() => import("./RuleBuilder"));

export const VisualRuleBuilder = (props: RuleBuilderProps) => (
  <Suspense fallback={<LinearProgress />}>
    <RuleBuilder {...props} />
  </Suspense>
);
