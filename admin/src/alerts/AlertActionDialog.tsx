import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from "@mui/material";
import { useState } from "react";
import { useNotify, useTranslate } from "react-admin";
import { errorMessage } from "../api/http";
import { actionReady, type AlertAction, runAction, useAssignees } from "./actions";

const today = () => new Date().toISOString().slice(0, 10);

/** Asks for the note (and the date or the assignee) and runs one action on one or many alerts. */
export const AlertActionDialog = ({
  action,
  ids,
  onClose,
  onDone,
}: {
  action: AlertAction | null;
  ids: string[];
  onClose: () => void;
  onDone: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const assignees = useAssignees();
  const [note, setNote] = useState("");
  const [until, setUntil] = useState("");
  const [assigneeId, setAssigneeId] = useState("");
  const [busy, setBusy] = useState(false);
  const t = (k: string, o?: object) => translate(`ordo.alerts.${k}`, o);
  if (!action) return null;
  const input = { note, until, assigneeId };
  const submit = async () => {
    setBusy(true);
    try {
      const res = await runAction(ids, action, input);
      notify(t("done", { action: t(`actions.${action}`), smart_count: res.changed.length }), { type: "info" });
      setNote("");
      onDone();
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="xs" data-testid={`alert-dialog-${action}`}>
      <DialogTitle>{t(`actions.${action}`)}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          {action === "snooze" && (
            <TextField
              type="date"
              label={t("until")}
              value={until}
              onChange={(e) => setUntil(e.target.value)}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: today(), "data-testid": "alert-until" } }}
              required
            />
          )}
          {action === "assign" && (
            <TextField
              select
              label={t("assignee")}
              value={assigneeId}
              onChange={(e) => setAssigneeId(e.target.value)}
              slotProps={{ htmlInput: { "data-testid": "alert-assignee" } }}
            >
              <MenuItem value="">{t("unassigned")}</MenuItem>
              {assignees.map((u) => (
                <MenuItem key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            label={t("note")}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            multiline
            minRows={2}
            slotProps={{ htmlInput: { maxLength: 2000, "data-testid": "alert-note" } }}
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t("cancel")}</Button>
        <Button
          variant="contained"
          onClick={submit}
          disabled={busy || !actionReady(action, input, today())}
          data-testid="alert-confirm"
        >
          {t("confirm")}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
