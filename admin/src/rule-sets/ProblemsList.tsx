import ErrorIcon from "@mui/icons-material/Error";
import WarningIcon from "@mui/icons-material/Warning";
import { List, ListItemButton, ListItemIcon, ListItemText, Typography } from "@mui/material";
import { useTranslate } from "react-admin";
import type { EditorMarker } from "../monaco/JsonEditor";

/** Server diagnostics under the editor; clicking one moves the cursor to its pointer. */
export const ProblemsList = ({
  markers,
  onSelect,
}: {
  markers: EditorMarker[];
  onSelect?: (pointer: string) => void;
}) => {
  const translate = useTranslate();
  if (!markers.length) return null;
  return (
    <>
      <Typography variant="subtitle2" sx={{ mt: 1 }}>
        {translate("ordo.rule_sets.problems")} ({markers.length})
      </Typography>
      <List dense data-testid="problems">
        {markers.map((m, i) => (
          <ListItemButton key={i} onClick={() => onSelect?.(m.pointer)}>
            <ListItemIcon>
              {m.severity === "error" ? <ErrorIcon color="error" /> : <WarningIcon color="warning" />}
            </ListItemIcon>
            <ListItemText primary={m.message} secondary={`${m.pointer}${m.code ? ` · ${m.code}` : ""}`} />
          </ListItemButton>
        ))}
      </List>
    </>
  );
};
