import { Alert, Box, Button, LinearProgress } from "@mui/material";
import { lazy, Suspense } from "react";
import { useTranslate } from "react-admin";
import type { EditorMarker } from "../monaco/types";
import type { ReminderCatalogue } from "./catalogue";

// The rule builder's condition editor (react-querybuilder), fetched only when the segment tab is shown.
const ConditionsEditor = lazy(() =>
  import("../rule-sets/builder/conditions").then((m) => ({ default: m.ConditionsEditor })),
);

/** The segment: the same visual condition editor as rules, over the reminder fact catalogue. */
export const SegmentEditor = ({
  segment,
  onChange,
  catalogue,
  errors,
  readOnly,
}: {
  segment: unknown;
  onChange: (segment: unknown) => void;
  catalogue: ReminderCatalogue;
  errors: Record<string, string>;
  readOnly: boolean;
}) => {
  const translate = useTranslate();
  const markers: EditorMarker[] = Object.entries(errors)
    .filter(([p]) => p.startsWith("/segment"))
    .map(([pointer, message]) => ({ pointer, message, severity: "error" }));
  if (!segment)
    return (
      <Box data-testid="segment-none">
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate("ordo.reminders.segment_none")}
        </Alert>
        <Button variant="outlined" disabled={readOnly} onClick={() => onChange({ all: [] })} data-testid="segment-add">
          {translate("ordo.reminders.segment_add")}
        </Button>
      </Box>
    );
  return (
    <Box>
      <Alert severity="info" sx={{ mb: 2 }}>
        {translate("ordo.reminders.segment_help")}
      </Alert>
      <Suspense fallback={<LinearProgress />}>
        <ConditionsEditor
          conditions={segment}
          base="/segment"
          onChange={onChange}
          facts={catalogue.facts}
          operators={catalogue.operators}
          shared={[]}
          markers={markers}
          readOnly={readOnly}
        />
      </Suspense>
      <Button sx={{ mt: 1 }} color="error" disabled={readOnly} onClick={() => onChange(null)}>
        {translate("ordo.reminders.segment_remove")}
      </Button>
    </Box>
  );
};
