import { Alert, Autocomplete, Box, Chip, MenuItem, Paper, TextField, Typography } from "@mui/material";
import { useEffect, useState } from "react";
import { useGetList, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { CHANNELS, LOCALES, type ReminderTemplateRecord } from "./types";

interface Preview {
  locale: string;
  subject: string;
  body: string;
  segmentMatched: boolean;
}
type Content = Pick<ReminderTemplateRecord, "audience" | "channels" | "subject" | "body" | "segment">;

const EmployeePicker = ({ value, onChange }: { value: string; onChange: (id: string) => void }) => {
  const translate = useTranslate();
  const [q, setQ] = useState("");
  const { data = [] } = useGetList("employees", {
    pagination: { page: 1, perPage: 30 },
    sort: { field: "employeeNo", order: "ASC" },
    filter: q ? { q } : {},
  });
  const options = data.map((e) => ({ id: String(e.id), label: `${e.employeeNo ?? ""} ${e.name ?? ""}`.trim() }));
  const selected = options.find((o) => o.id === value) ?? null;
  return (
    <Autocomplete
      sx={{ width: 280 }}
      size="small"
      options={options}
      value={selected}
      filterOptions={(x) => x}
      onInputChange={(_, v, reason) => reason === "input" && setQ(v)}
      onChange={(_, v) => onChange(v?.id ?? "")}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      renderInput={(p) => <TextField {...p} label={translate("ordo.reminders.preview_employee")} />}
      data-testid="preview-employee"
    />
  );
};

/** Live preview of the editor's (unsaved) content in both languages, against a chosen employee. */
export const PreviewPanel = ({ templateKey, content }: { templateKey: string; content: Content }) => {
  const translate = useTranslate();
  const [employeeId, setEmployeeId] = useState("");
  const [channel, setChannel] = useState(content.channels[0] ?? "in-app");
  const [at, setAt] = useState(new Date().toISOString().slice(0, 10));
  const [eventText, setEventText] = useState("{}");
  const [results, setResults] = useState<Record<string, Preview | string>>({});
  const contentKey = JSON.stringify(content);

  useEffect(() => {
    let event: unknown;
    try {
      event = JSON.parse(eventText || "{}");
    } catch {
      setResults({ "zh-CN": translate("ordo.reminders.event_invalid") });
      return;
    }
    const timer = setTimeout(async () => {
      const out: Record<string, Preview | string> = {};
      for (const locale of LOCALES) {
        try {
          out[locale] = await api<Preview>(`/reminder-templates/${encodeURIComponent(templateKey)}/preview`, {
            body: {
              ...(employeeId ? { employeeId } : { facts: {} }),
              event,
              locale,
              channel: content.channels.includes(channel) ? channel : undefined,
              at,
              content: JSON.parse(contentKey),
            },
          });
        } catch (e) {
          out[locale] = errorMessage(e);
        }
      }
      setResults(out);
    }, 400);
    return () => clearTimeout(timer);
  }, [templateKey, contentKey, employeeId, channel, at, eventText, content.channels, translate]);

  return (
    <Box data-testid="preview-panel">
      <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "center", mb: 2 }}>
        <EmployeePicker value={employeeId} onChange={setEmployeeId} />
        <TextField
          select
          size="small"
          label={translate("ordo.reminders.channels")}
          value={channel}
          onChange={(e) => setChannel(e.target.value)}
          sx={{ width: 160, m: 0 }}
        >
          {CHANNELS.filter((c) => content.channels.includes(c)).map((c) => (
            <MenuItem key={c} value={c}>
              {translate(`ordo.reminders.channel.${c}`)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          type="date"
          label={translate("ordo.reminders.preview_at")}
          value={at}
          onChange={(e) => setAt(e.target.value)}
          sx={{ width: 180, m: 0 }}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          size="small"
          label={translate("ordo.reminders.preview_event")}
          value={eventText}
          onChange={(e) => setEventText(e.target.value)}
          sx={{ width: 320, m: 0 }}
          slotProps={{ htmlInput: { "data-testid": "preview-event" } }}
        />
      </Box>
      {!employeeId && (
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate("ordo.reminders.preview_pick")}
        </Alert>
      )}
      <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
        {LOCALES.map((locale) => {
          const r = results[locale];
          return (
            <Paper key={locale} variant="outlined" sx={{ flex: "1 1 360px", p: 2 }} data-testid={`preview-${locale}`}>
              <Box sx={{ display: "flex", gap: 1, alignItems: "center", mb: 1 }}>
                <Typography variant="subtitle2">{translate(`ordo.reminders.locale.${locale}`)}</Typography>
                {r && typeof r !== "string" && (
                  <>
                    {r.locale !== locale && <Chip size="small" label={translate("ordo.reminders.fallback_zh")} />}
                    <Chip
                      size="small"
                      color={r.segmentMatched ? "success" : "default"}
                      label={translate(
                        r.segmentMatched ? "ordo.reminders.segment_matched" : "ordo.reminders.segment_not",
                      )}
                      data-testid="segment-matched"
                    />
                  </>
                )}
              </Box>
              {typeof r === "string" ? (
                <Alert severity="error">{r}</Alert>
              ) : r ? (
                <>
                  <Typography variant="subtitle1" sx={{ fontWeight: 600 }} data-testid="preview-subject">
                    {r.subject}
                  </Typography>
                  <Typography
                    variant="body2"
                    component="pre"
                    sx={{ whiteSpace: "pre-wrap", fontFamily: "inherit", m: 0 }}
                    data-testid="preview-body"
                  >
                    {r.body}
                  </Typography>
                </>
              ) : null}
            </Paper>
          );
        })}
      </Box>
    </Box>
  );
};
