import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useEffect, useState } from "react";
import {
  Button,
  Loading,
  Show,
  SimpleShowLayout,
  TopToolbar,
  useLocaleState,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { api } from "../api/http";
import { EntityField } from "../entities/EntityField";
import { useEntity } from "../entities/fields";
import { formatDate } from "../format";
import { AlertActionDialog } from "./AlertActionDialog";
import type { AlertAction, HistoryEntry } from "./actions";
import { StateChip } from "./StateChip";

const FIELDS = ["type", "severity", "employeeId", "dueDate", "message", "createdAt", "resolvedAt"];

/** The actions that make sense for the alert's state. */
const actionsFor = (state: string | undefined): AlertAction[] =>
  state === "resolved" ? ["reopen", "assign"] : ["resolve", "snooze", "assign"];

const ShowActions = ({ onChanged }: { onChanged: () => void }) => {
  const record = useRecordContext<{ id: string; state?: string }>();
  const translate = useTranslate();
  const refresh = useRefresh();
  const [action, setAction] = useState<AlertAction | null>(null);
  if (!record) return null;
  return (
    <TopToolbar>
      {actionsFor(record.state).map((a) => (
        <Button
          key={a}
          label={translate(`ordo.alerts.actions.${a}`)}
          onClick={() => setAction(a)}
          data-testid={`alert-action-${a}`}
        />
      ))}
      <AlertActionDialog
        action={action}
        ids={[String(record.id)]}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          refresh();
          onChanged();
        }}
      />
    </TopToolbar>
  );
};

/** Who did what when on this alert (GET /api/alerts/:id/events). */
const AlertHistory = ({ version }: { version: number }) => {
  const record = useRecordContext<{ id: string; updatedAt?: string }>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [rows, setRows] = useState<HistoryEntry[] | null>(null);
  const id = record?.id;
  useEffect(() => {
    if (id) api<HistoryEntry[]>(`/alerts/${id}/events`).then(setRows, () => setRows([]));
  }, [id, version, record?.updatedAt]);
  const t = (k: string, o?: object) => translate(`ordo.alerts.${k}`, o);
  if (!rows) return <Loading />;
  const detail = (r: HistoryEntry) => {
    if (r.action === "snoozed" && r.data.until) return `${t("until")}: ${formatDate(r.data.until, locale)}`;
    if (r.action === "assigned") return `${t("assignee")}: ${r.data.assigneeName ?? t("unassigned")}`;
    return "";
  };
  return (
    <Box sx={{ mt: 2, overflowX: "auto" }} data-testid="alert-history">
      <Typography variant="h6">{t("history")}</Typography>
      {rows.length === 0 ? (
        <Typography color="text.secondary">{t("no_history")}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{t("when")}</TableCell>
              <TableCell>{t("what")}</TableCell>
              <TableCell>{t("by")}</TableCell>
              <TableCell>{t("note")}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{new Date(r.createdAt).toLocaleString(locale)}</TableCell>
                <TableCell>
                  {t(`events.${r.action}`, { _: r.action })}
                  {detail(r) ? ` · ${detail(r)}` : ""}
                </TableCell>
                <TableCell>{r.actorName ?? t("system")}</TableCell>
                <TableCell sx={{ whiteSpace: "pre-wrap" }}>
                  {r.action === "auto_resolved" && r.note ? t(`reasons.${r.note}`, { _: r.note }) : (r.note ?? "")}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

const State = () => {
  const record = useRecordContext<{ state?: string; snoozedUntil?: string | null }>();
  return record ? <StateChip record={record} /> : null;
};

export const AlertShow = () => {
  const entity = useEntity();
  const translate = useTranslate();
  const [version, setVersion] = useState(0);
  if (!entity) return <Loading />;
  return (
    <Show actions={<ShowActions onChanged={() => setVersion((v) => v + 1)} />}>
      <SimpleShowLayout>
        <Box>
          <Typography variant="caption" color="text.secondary">
            {translate("ordo.alerts.state")}
          </Typography>
          <Box>
            <State />
          </Box>
        </Box>
        {FIELDS.map((f) => (
          <EntityField key={f} entity={entity} source={f} />
        ))}
        <AlertHistory version={version} />
      </SimpleShowLayout>
    </Show>
  );
};
