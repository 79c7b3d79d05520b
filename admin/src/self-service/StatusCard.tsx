import { Alert, Box, Chip, Stack, Typography } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";
import { actionOptions, actionSeverity, type StatusAction } from "./status";

export interface SummaryStatus {
  employment: "active" | "leaving" | "left";
  enrolled: boolean;
  unpaidMonths: string[];
  gapMonths: number;
  actions: StatusAction[];
}

/** What matters now and what to do, in the reader's language (the server decides, the card words it). */
export const StatusCard = ({ status, name }: { status: SummaryStatus; name: string }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (k: string, o?: object) => translate(`ordo.self.${k}`, o);
  return (
    <Box data-testid="my-status-card">
      <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: "wrap", alignItems: "center", rowGap: 1 }}>
        <Typography variant="h5" sx={{ mr: 1 }}>
          {name}
        </Typography>
        <Chip
          label={t(`employment.${status.employment}`)}
          color={status.employment === "active" ? "success" : "default"}
        />
        <Chip
          label={status.enrolled ? t("enrolled") : t("not_enrolled_chip")}
          color={status.enrolled ? "success" : "warning"}
          variant="outlined"
        />
        {status.gapMonths > 0 && (
          <Chip label={`${t("gaps")}: ${t("months", { smart_count: status.gapMonths })}`} color="warning" />
        )}
      </Stack>
      <Typography variant="subtitle2" sx={{ mt: 1 }}>
        {t("what_now")}
      </Typography>
      <Stack spacing={1} sx={{ mt: 1 }}>
        {status.actions.map((a) => (
          <Alert key={a.code} severity={actionSeverity(a.code)} data-testid={`my-action-${a.code}`}>
            {t(`actions.${a.code}`, { _: a.code, ...actionOptions(a, locale) })}
          </Alert>
        ))}
      </Stack>
    </Box>
  );
};
