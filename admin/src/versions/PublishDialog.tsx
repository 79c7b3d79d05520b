import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { useNotify, useTranslate } from "react-admin";
import { api, errorBody, errorMessage } from "../api/http";
import type { TestResult } from "../types";
import { TestResultsTable } from "./TestResultsTable";

/** Confirm dialog for publishing the draft with a note and an effective date. */
export const PublishDialog = ({
  base,
  open,
  onClose,
  onDone,
}: {
  base: string;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [note, setNote] = useState("");
  const [effectiveFrom, setEffectiveFrom] = useState("");
  // Policy tables record when the notice was published (a late notice shows beside its effective date).
  const withNotice = base.includes("/policy-tables/");
  const [publishedOn, setPublishedOn] = useState("");
  const [failed, setFailed] = useState<TestResult[] | null>(null);
  const [busy, setBusy] = useState(false);

  const publish = async () => {
    setBusy(true);
    setFailed(null);
    try {
      const body: Record<string, string> = {};
      if (note) body.note = note;
      if (effectiveFrom) body.effectiveFrom = effectiveFrom;
      if (withNotice && publishedOn) body.publishedOn = publishedOn;
      const res = await api<{ version?: number; latestVersion?: number }>(`${base}/publish`, { body });
      notify(translate("ordo.versions.published", { version: res.version ?? res.latestVersion ?? "" }), {
        type: "success",
      });
      setNote("");
      onDone();
      onClose();
    } catch (e) {
      const b = errorBody(e);
      if (b.code === "TESTS_FAILED") {
        setFailed((b.details?.results as TestResult[]) ?? []);
        notify(translate("ordo.versions.tests_failed"), { type: "error" });
      } else notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth>
      <DialogTitle>{translate("ordo.versions.publish_title")}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate("ordo.versions.publish_help")}
        </Typography>
        <TextField
          label={translate("ordo.versions.note")}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          fullWidth
          sx={{ mb: 2 }}
          name="note"
        />
        <TextField
          label={translate("ordo.versions.effective_from")}
          type="date"
          value={effectiveFrom}
          onChange={(e) => setEffectiveFrom(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
          name="effectiveFrom"
        />
        {withNotice && (
          <TextField
            label={translate("ordo.versions.published_on")}
            type="date"
            value={publishedOn}
            onChange={(e) => setPublishedOn(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
            name="publishedOn"
            sx={{ ml: 2 }}
          />
        )}
        {failed && (
          <>
            <Alert severity="error" sx={{ mt: 2 }}>
              {translate("ordo.versions.tests_failed")}
            </Alert>
            <TestResultsTable results={failed} />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
        <Button variant="contained" onClick={publish} disabled={busy} data-testid="confirm-publish">
          {translate("ordo.versions.publish")}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
