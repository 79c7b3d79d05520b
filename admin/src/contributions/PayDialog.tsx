import { Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { useNotify, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { formatMoney } from "../format";

/** Today in China, where the bureau is (the server refuses a later paidOn). */
export const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

interface BulkAnswer {
  paid: number;
  alreadyPaid: number;
  lateFee: string;
  alertsResolved: number;
}

/** Asks for the day paid (and a note), then POSTs one row's /pay or the bulk /contributions/pay. */
export const PayDialog = ({
  open,
  ids,
  onClose,
  onPaid,
}: {
  open: boolean;
  ids: string[];
  onClose: () => void;
  onPaid: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [paidOn, setPaidOn] = useState(todayInChina());
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      const body = { paidOn, ...(note.trim() ? { note: note.trim() } : {}) };
      if (ids.length === 1) {
        const row = await api<{ lateFee: string | null }>(`/contributions/${ids[0]}/pay`, { body });
        notify(translate("ordo.payments.marked", { smart_count: 1, lateFee: formatMoney(row.lateFee ?? "0") }), {
          type: "success",
        });
      } else {
        const out = await api<BulkAnswer>("/contributions/pay", { body: { ...body, ids } });
        notify(
          translate("ordo.payments.marked", { smart_count: out.paid, lateFee: formatMoney(out.lateFee) }) +
            (out.alreadyPaid ? ` ${translate("ordo.payments.already_paid", { smart_count: out.alreadyPaid })}` : ""),
          { type: "success" },
        );
      }
      onPaid();
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onClose={onClose} onClick={(e) => e.stopPropagation()}>
      <DialogTitle>{translate("ordo.payments.mark_paid_title", { smart_count: ids.length })}</DialogTitle>
      <DialogContent sx={{ display: "flex", flexDirection: "column", gap: 2, pt: "8px !important" }}>
        <Typography variant="body2" color="text.secondary">
          {translate("ordo.payments.mark_paid_help")}
        </Typography>
        <TextField
          type="date"
          label={translate("ordo.payments.paid_on")}
          value={paidOn}
          onChange={(e) => setPaidOn(e.target.value)}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: todayInChina(), "data-testid": "paid-on" } }}
        />
        <TextField
          label={translate("ordo.payments.note")}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
        <Button variant="contained" onClick={submit} disabled={busy || !paidOn} data-testid="confirm-paid">
          {translate("ordo.payments.mark_paid")}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
