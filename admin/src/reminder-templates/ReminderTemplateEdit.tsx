import SaveIcon from "@mui/icons-material/Save";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  FormControlLabel,
  FormGroup,
  MenuItem,
  Tab,
  Tabs,
  TextField,
  Typography,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { Loading, Title, useNotify, useTranslate } from "react-admin";
import { useParams } from "react-router-dom";
import { api, errorBody, errorMessage } from "../api/http";
import { useCanAuthor, useReadOnlyReason } from "../api/useCanAuthor";
import { useUnsavedChanges } from "../api/useUnsavedChanges";
import { LiquidEditor } from "../monaco/LiquidEditor";
import { VersionsPanel } from "../versions/VersionsPanel";
import { RecordHistory } from "../audit/RecordHistory";
import { useReminderCatalogue } from "./catalogue";
import { PreviewPanel } from "./PreviewPanel";
import { SegmentEditor } from "./SegmentEditor";
import { TemplateTestsTab } from "./TemplateTestsTab";
import { AUDIENCES, CHANNELS, LOCALES, type ReminderTemplateRecord, type Texts } from "./types";

const TABS = ["texts", "segment", "tests", "preview", "versions", "history"] as const;

export const ReminderTemplateEdit = () => {
  const { id = "" } = useParams();
  const translate = useTranslate();
  const notify = useNotify();
  const catalogue = useReminderCatalogue();
  const canAuthor = useCanAuthor();
  const readOnlyReason = useReadOnlyReason();
  const [record, setRecord] = useState<ReminderTemplateRecord | null>(null);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [tab, setTab] = useState<(typeof TABS)[number]>("texts");
  useUnsavedChanges(dirty);
  const base = `/reminder-templates/${encodeURIComponent(id)}`;

  const load = useCallback(async () => {
    try {
      setRecord(await api<ReminderTemplateRecord>(base));
      setDirty(false);
      setErrors({});
      setMessage(null);
    } catch (e) {
      setMessage(errorMessage(e));
    }
  }, [base]);
  useEffect(() => {
    load();
  }, [load]);

  const edit = (patch: Partial<ReminderTemplateRecord>) => {
    setRecord((r) => (r ? { ...r, ...patch } : r));
    setDirty(true);
  };
  const editText = (part: "subject" | "body", locale: string, text: string) => {
    if (!record) return;
    const next: Record<string, string> = { ...record[part] };
    if (locale === "en" && text === "") delete next.en;
    else next[locale] = text;
    edit({ [part]: next as Texts });
  };

  const save = async () => {
    if (!record) return;
    try {
      const { name, description, audience, channels, subject, body, segment, testCases, digest, revision } = record;
      const saved = await api<ReminderTemplateRecord>(base, {
        method: "PUT",
        body: {
          name,
          description,
          audience,
          channels,
          subject,
          body,
          segment: segment ?? null,
          testCases,
          digest: digest ?? false,
          revision,
        },
      });
      setRecord(saved);
      setDirty(false);
      setErrors({});
      setMessage(null);
      notify(translate("ordo.rule_sets.saved", { revision: saved.revision }), { type: "success" });
    } catch (e) {
      const b = errorBody(e);
      setMessage(b.code === "STALE_REVISION" ? translate("ordo.rule_sets.stale") : errorMessage(e));
      setErrors((b.errors as Record<string, string> | undefined) ?? {});
      notify(errorMessage(e), { type: "error" });
    }
  };

  if (!record)
    return message ? (
      <Alert severity="error" sx={{ mt: 2 }}>
        {message}
      </Alert>
    ) : (
      <Loading />
    );
  const readOnly = !!readOnlyReason;
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={`${record.name} (${record.key})`} />
      <Card>
        <CardContent>
          <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }}>
            <Typography variant="h6" sx={{ mr: 2 }}>
              {record.name}
            </Typography>
            <Chip size="small" label={`${translate("ordo.rule_sets.revision")} ${record.revision}`} />
            <Chip
              size="small"
              color={record.latestVersion ? "primary" : "default"}
              label={record.latestVersion ? `v${record.latestVersion}` : translate("ordo.rule_sets.latest_none")}
            />
            {dirty && (
              <Chip size="small" color="warning" label={translate("ordo.rule_sets.dirty")} data-testid="dirty" />
            )}
            <Box sx={{ flex: 1 }} />
            <Button
              variant="contained"
              startIcon={<SaveIcon />}
              onClick={save}
              disabled={!canAuthor || !dirty}
              data-testid="save-template"
            >
              {translate("ordo.rule_sets.save")}
            </Button>
          </Box>
          {record.description && (
            <Typography variant="body2" color="text.secondary">
              {record.description}
            </Typography>
          )}
          {message && (
            <Alert
              severity="error"
              sx={{ mt: 1 }}
              action={<Button onClick={load}>{translate("ordo.rule_sets.reload")}</Button>}
              data-testid="save-errors"
            >
              {message}
            </Alert>
          )}
          {readOnlyReason && (
            <Alert severity="info" sx={{ mt: 1 }} data-testid="read-only-reason">
              {readOnlyReason}
            </Alert>
          )}
          <Tabs value={tab} onChange={(_, v) => setTab(v)} sx={{ borderBottom: 1, borderColor: "divider", mb: 2 }}>
            {TABS.map((t) => (
              <Tab key={t} value={t} label={translate(`ordo.reminders.tabs.${t}`)} data-testid={`tab-${t}`} />
            ))}
          </Tabs>
          {tab === "texts" && (
            <Box>
              <Box sx={{ display: "flex", gap: 3, alignItems: "center", flexWrap: "wrap", mb: 2 }}>
                <TextField
                  select
                  size="small"
                  label={translate("ordo.reminders.audience")}
                  value={record.audience}
                  disabled={readOnly}
                  onChange={(e) => edit({ audience: e.target.value as ReminderTemplateRecord["audience"] })}
                  sx={{ width: 180 }}
                  error={!!errors["/audience"]}
                  helperText={errors["/audience"]}
                >
                  {AUDIENCES.map((a) => (
                    <MenuItem key={a} value={a}>
                      {translate(`ordo.reminders.audiences.${a}`)}
                    </MenuItem>
                  ))}
                </TextField>
                <FormGroup row>
                  {CHANNELS.map((c) => (
                    <FormControlLabel
                      key={c}
                      label={translate(`ordo.reminders.channel.${c}`)}
                      control={
                        <Checkbox
                          checked={record.channels.includes(c)}
                          disabled={readOnly}
                          onChange={(e) =>
                            edit({
                              channels: e.target.checked
                                ? CHANNELS.filter((x) => x === c || record.channels.includes(x))
                                : record.channels.filter((x) => x !== c),
                            })
                          }
                        />
                      }
                    />
                  ))}
                </FormGroup>
                {errors["/channels"] && <Typography color="error">{errors["/channels"]}</Typography>}
                <FormControlLabel
                  label={translate("ordo.reminders.digest")}
                  control={
                    <Checkbox
                      checked={!!record.digest}
                      disabled={readOnly}
                      data-testid="template-digest"
                      onChange={(e) => edit({ digest: e.target.checked })}
                    />
                  }
                />
              </Box>
              {!catalogue ? (
                <Loading />
              ) : (
                <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
                  {LOCALES.map((locale) => (
                    <Box key={locale} sx={{ flex: "1 1 420px", minWidth: 0 }}>
                      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                        {translate(`ordo.reminders.locale.${locale}`)}
                        {locale === "en" && ` · ${translate("ordo.reminders.optional")}`}
                      </Typography>
                      {(["subject", "body"] as const).map((part) => {
                        const pointer = `/${part}/${locale}`;
                        return (
                          <Box key={part} sx={{ mb: 1.5 }}>
                            <Typography variant="caption" color="text.secondary">
                              {translate(`ordo.reminders.${part}`)}
                            </Typography>
                            <LiquidEditor
                              path={`reminder-templates/${record.key}/${part}/${locale}.liquid`}
                              value={record[part][locale] ?? ""}
                              onChange={(v) => editText(part, locale, v)}
                              catalogue={catalogue.liquid}
                              height={part === "subject" ? 48 : 220}
                              readOnly={readOnly}
                              error={errors[pointer]}
                            />
                            {errors[pointer] && (
                              <Typography variant="caption" color="error" data-testid={`error-${part}-${locale}`}>
                                {errors[pointer]}
                              </Typography>
                            )}
                          </Box>
                        );
                      })}
                    </Box>
                  ))}
                </Box>
              )}
              <Typography variant="caption" color="text.secondary">
                {translate("ordo.reminders.liquid_help")}
              </Typography>
            </Box>
          )}
          {tab === "segment" &&
            (catalogue ? (
              <SegmentEditor
                segment={record.segment}
                onChange={(segment) => edit({ segment })}
                catalogue={catalogue}
                errors={errors}
                readOnly={readOnly}
              />
            ) : (
              <Loading />
            ))}
          {tab === "tests" && (
            <TemplateTestsTab
              templateKey={record.key}
              testCases={record.testCases ?? []}
              onChange={(testCases) => edit({ testCases })}
              dirty={dirty}
              readOnlyReason={readOnlyReason}
            />
          )}
          {tab === "preview" && <PreviewPanel templateKey={record.key} content={record} />}
          {tab === "versions" && <VersionsPanel base={base} onChanged={load} canPublish={canAuthor} sideBySide />}
          {tab === "history" && <RecordHistory resource="reminder-template" id={record.key} />}
        </CardContent>
      </Card>
    </Box>
  );
};
