import { Chip } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";
import { formatDate } from "../format";

/** Open, snoozed (until a date) or resolved, in the reader's language. */
export const StateChip = ({ record }: { record: { state?: string; snoozedUntil?: string | null } }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const state = record.state ?? "open";
  const label = translate(`ordo.alerts.views.${state}`, { _: state });
  const color = state === "resolved" ? "success" : state === "snoozed" ? "default" : "warning";
  return (
    <Chip
      size="small"
      color={color}
      label={
        state === "snoozed" && record.snoozedUntil ? `${label} · ${formatDate(record.snoozedUntil, locale)}` : label
      }
    />
  );
};
