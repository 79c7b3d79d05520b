import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from "@mui/material";
import { useState } from "react";
import { useNotify, useRecordContext, useRefresh, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { RecordsTable } from "../layout/RecordsTable";
import { thisMonth } from "../si/cities";

type Action = "hire" | "wage-change" | "leave" | "move";
/** What POST /api/employees/:id/<action> answers: the decision and the employee's records after it. */
interface LifecycleResult {
  action?: Action;
  decision?: {
    ruleSet?: string;
    version?: number | null;
    events?: { type: string; params?: unknown }[];
    [k: string]: unknown;
  } | null;
  enrollments?: Record<string, unknown>[];
  alerts?: Record<string, unknown>[];
  contributions?: Record<string, unknown>[];
  reminders?: Record<string, unknown>[];
}

const LABEL: Record<Action, string> = {
  hire: "ordo.lifecycle.hire",
  "wage-change": "ordo.lifecycle.wage_change",
  leave: "ordo.lifecycle.leave",
  move: "ordo.lifecycle.move",
};

/** Hire / wage change / leave on the employee page, with what the server decided. */
export const LifecycleActions = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState<Action | null>(null);
  const [wage, setWage] = useState("");
  const [month, setMonth] = useState(thisMonth());
  const [leaveDate, setLeaveDate] = useState(new Date().toISOString().slice(0, 10));
  const [workCity, setWorkCity] = useState("");
  const [moveDate, setMoveDate] = useState(new Date().toISOString().slice(0, 10));
  const [result, setResult] = useState<LifecycleResult | null>(null);
  const [busy, setBusy] = useState(false);
  if (!record) return null;

  const run = async () => {
    if (!open) return;
    const body =
      open === "wage-change"
        ? { wage, effectiveMonth: month }
        : open === "leave"
          ? { leaveDate }
          : open === "move"
            ? { workCity, date: moveDate }
            : {};
    setBusy(true);
    try {
      const answer = await api<LifecycleResult>(`/employees/${encodeURIComponent(String(record.id))}/${open}`, {
        body,
      });
      setResult({ ...answer, action: open });
      notify(translate("ordo.lifecycle.done", { action: translate(LABEL[open]) }), { type: "success" });
      refresh();
      setOpen(null);
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6">{translate("ordo.lifecycle.title")}</Typography>
        <Box sx={{ display: "flex", gap: 1, my: 1 }}>
          {(Object.keys(LABEL) as Action[]).map((a) => (
            <Button key={a} variant="outlined" onClick={() => setOpen(a)} data-testid={`lifecycle-${a}`}>
              {translate(LABEL[a])}
            </Button>
          ))}
        </Box>
        {result && (
          <Box data-testid="lifecycle-result" data-action={result.action}>
            {result.decision && (
              <Typography variant="body2" sx={{ my: 1 }} data-testid="lifecycle-decision">
                {translate("ordo.lifecycle.decision")}: <b>{String(result.decision.ruleSet ?? "")}</b>
                {result.decision.version != null ? ` v${result.decision.version}` : ""} →{" "}
                {(result.decision.events ?? []).map((e) => (
                  <Chip key={e.type + JSON.stringify(e.params ?? {})} size="small" label={e.type} sx={{ mr: 0.5 }} />
                ))}
                {!result.decision.events?.length && "—"}
              </Typography>
            )}
            <Typography variant="subtitle2" sx={{ mt: 1 }}>
              {translate("ordo.lifecycle.alerts")}
            </Typography>
            {result.alerts?.length ? (
              <Box data-testid="lifecycle-alerts">
                {result.alerts.map((a, i) => (
                  <Alert
                    key={String(a.id ?? i)}
                    severity={a.severity === "critical" ? "error" : a.severity === "info" ? "info" : "warning"}
                    sx={{ my: 0.5 }}
                    data-alert-type={String(a.type ?? "")}
                  >
                    <b>{translate(`ordo.alert_types.${a.type}`, { _: String(a.type ?? "") })}</b>
                    {a.dueDate ? ` · ${translate("ordo.lifecycle.due", { date: String(a.dueDate) })}` : ""} —{" "}
                    {String(a.message ?? "")}
                  </Alert>
                ))}
              </Box>
            ) : (
              <Typography variant="body2" color="text.secondary">
                {translate("ordo.common.none")}
              </Typography>
            )}
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              {translate("ordo.lifecycle.enrollments")}
            </Typography>
            <RecordsTable
              rows={result.enrollments}
              resource="enrollments"
              testId="lifecycle-enrollments"
              columns={["insuredCity", "insurances", "base", "fromDate", "toDate", "status", "reason"]}
            />
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              {translate("ordo.lifecycle.contributions")}
            </Typography>
            <RecordsTable
              rows={result.contributions}
              resource="contributions"
              testId="lifecycle-contributions"
              columns={["month", "city", "base", "employer", "employee", "status", "backPaid"]}
            />
            {!!result.reminders?.length && (
              <>
                <Typography variant="subtitle2" sx={{ mt: 2 }}>
                  {translate("ordo.lifecycle.reminders")}
                </Typography>
                <RecordsTable
                  rows={result.reminders}
                  resource="notifications"
                  columns={["recipient", "template", "dueDate", "status"]}
                />
              </>
            )}
          </Box>
        )}
      </CardContent>
      <Dialog open={!!open} onClose={() => setOpen(null)}>
        <DialogTitle>{open ? translate(LABEL[open]) : ""}</DialogTitle>
        <DialogContent sx={{ display: "flex", flexDirection: "column", gap: 2, pt: "8px !important", minWidth: 360 }}>
          {open === "hire" && <Typography>{translate("ordo.lifecycle.hire_confirm")}</Typography>}
          {open === "wage-change" && (
            <>
              <TextField
                label={translate("ordo.lifecycle.wage")}
                value={wage}
                onChange={(e) => setWage(e.target.value)}
                name="wage"
                autoFocus
              />
              <TextField
                type="month"
                label={translate("ordo.lifecycle.effective_month")}
                value={month}
                onChange={(e) => setMonth(e.target.value)}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            </>
          )}
          {open === "leave" && (
            <TextField
              type="date"
              label={translate("ordo.lifecycle.leave_date")}
              value={leaveDate}
              onChange={(e) => setLeaveDate(e.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
              name="leaveDate"
            />
          )}
          {open === "move" && (
            <>
              <Typography variant="body2">{translate("ordo.lifecycle.move_help")}</Typography>
              <TextField
                label={translate("ordo.lifecycle.work_city")}
                value={workCity}
                onChange={(e) => setWorkCity(e.target.value)}
                name="workCity"
                helperText="GB/T 2260"
                autoFocus
              />
              <TextField
                type="date"
                label={translate("ordo.lifecycle.move_date")}
                value={moveDate}
                onChange={(e) => setMoveDate(e.target.value)}
                slotProps={{ inputLabel: { shrink: true } }}
                name="moveDate"
              />
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(null)}>{translate("ra.action.cancel")}</Button>
          <Button variant="contained" onClick={run} disabled={busy} data-testid="lifecycle-confirm">
            {translate("ra.action.confirm")}
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
};
