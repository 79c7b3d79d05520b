import UploadFileIcon from "@mui/icons-material/UploadFile";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useState } from "react";
import { Link, Title, useLocaleState, useNotify, useTranslate } from "react-admin";
import { ENUMS } from "../../../domain/index";
import { api, apiText, errorBody, errorMessage } from "../api/http";
import { todayInChina } from "../contributions/PayDialog";
import { formatMoney } from "../format";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type Amounts = { employer: string; employee: string };
type Match = "matched" | "mismatched" | "unknown";

interface PreviewRow {
  line: number;
  employeeNo: string;
  month: string;
  status: Match;
  file: Amounts;
  expected?: Amounts;
  differs?: ("employer" | "employee")[];
  ledgerStatus?: string;
  reason?: string;
}
interface ImportView {
  id: string;
  status: "previewed" | "applied";
  counts: Record<string, number>;
  rows: PreviewRow[];
  result: {
    applied: number;
    alreadyPaid: number;
    lateFee: string;
    alertsResolved: number;
    changed: { line: number; reason: string }[];
  } | null;
}
interface FileError {
  line: number;
  column: string;
  message: string;
}

const COLOR: Record<Match, "success" | "warning" | "default"> = {
  matched: "success",
  mismatched: "warning",
  unknown: "default",
};

/** Amounts of one side; a figure that differs from the other side is shown in bold red. */
const Figures = ({ a, differs }: { a?: Amounts; differs?: string[] }) =>
  a
    ? (["employer", "employee"] as const).map((k) => (
        <Box key={k} sx={differs?.includes(k) ? { color: "error.main", fontWeight: 600 } : undefined}>
          {formatMoney(a[k])}
        </Box>
      ))
    : null;

/** Upload the bureau's payment file → preview (matched / mismatched / unknown) → apply the matched rows. */
export const PaymentImport = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const zh = locale.startsWith("zh");
  const [file, setFile] = useState<File | null>(null);
  const [paidOn, setPaidOn] = useState(todayInChina());
  const [preview, setPreview] = useState<ImportView | null>(null);
  const [errors, setErrors] = useState<FileError[] | null>(null);
  const [busy, setBusy] = useState(false);
  const label = (m: Match) => ENUMS.paymentMatch.find((e) => e.code === m)?.[zh ? "zh" : "en"] ?? m;

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setErrors(null);
    setPreview(null);
    try {
      const xlsx = /\.xlsx$/i.test(file.name);
      const query = `?paidOn=${paidOn}&fileName=${encodeURIComponent(file.name.slice(0, 200))}`;
      const { text } = await apiText(`/payment-imports${query}`, {
        method: "POST",
        body: xlsx ? await file.arrayBuffer() : await file.text(),
        contentType: xlsx ? XLSX : "text/csv",
      });
      setPreview(JSON.parse(text) as ImportView);
    } catch (e) {
      const list = (errorBody(e).details?.errors as FileError[] | undefined) ?? null;
      setErrors(Array.isArray(list) ? list : null);
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const out = await api<ImportView>(`/payment-imports/${preview.id}/apply`, { method: "POST", body: {} });
      setPreview(out);
      notify(translate("ordo.payments.applied", { smart_count: out.result?.applied ?? 0 }), { type: "success" });
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };

  const counts = preview?.counts;
  const result = preview?.result;
  const payable = counts ? counts.matched - (counts.alreadyPaid ?? 0) : 0;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.payments.import_title")} />
      <CardContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate("ordo.payments.import_help")}
        </Typography>
        <Box sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap" }}>
          <Button component="label" startIcon={<UploadFileIcon />}>
            {file ? file.name : translate("ordo.payments.choose_file")}
            <input
              type="file"
              accept=".csv,.xlsx,text/csv"
              hidden
              data-testid="payment-file"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Button>
          <TextField
            type="date"
            size="small"
            label={translate("ordo.payments.paid_on")}
            value={paidOn}
            onChange={(e) => setPaidOn(e.target.value)}
            helperText={translate("ordo.payments.paid_on_help")}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: todayInChina() } }}
          />
          <Button variant="contained" onClick={upload} disabled={!file || busy} data-testid="preview-payments">
            {translate("ordo.payments.preview")}
          </Button>
        </Box>

        {errors && (
          <Table size="small" sx={{ mt: 2 }} data-testid="payment-file-errors">
            <TableHead>
              <TableRow>
                <TableCell>{translate("ordo.payments.line")}</TableCell>
                <TableCell>{translate("ordo.payments.column")}</TableCell>
                <TableCell>{translate("ordo.payments.problem")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {errors.map((e, i) => (
                <TableRow key={i}>
                  <TableCell>{e.line}</TableCell>
                  <TableCell>{e.column}</TableCell>
                  <TableCell sx={{ color: "error.main" }}>{e.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}

        {preview && counts && (
          <Box sx={{ mt: 3 }}>
            <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }} data-testid="payment-counts">
              {(["matched", "mismatched", "unknown"] as const).map((m) => (
                <Chip key={m} color={COLOR[m]} label={`${label(m)}: ${counts[m] ?? 0}`} />
              ))}
              {counts.alreadyPaid ? (
                <Chip
                  variant="outlined"
                  label={translate("ordo.payments.already_paid", { smart_count: counts.alreadyPaid })}
                />
              ) : null}
              <Box sx={{ flex: 1 }} />
              <Button
                variant="contained"
                onClick={apply}
                disabled={busy || preview.status === "applied" || payable <= 0}
                data-testid="apply-payments"
              >
                {translate("ordo.payments.apply", { smart_count: payable })}
              </Button>
            </Box>
            {result && (
              <Alert severity="success" sx={{ mt: 2 }} data-testid="payment-result">
                {translate("ordo.payments.result", {
                  applied: result.applied,
                  alreadyPaid: result.alreadyPaid,
                  lateFee: formatMoney(result.lateFee),
                  alerts: result.alertsResolved,
                })}{" "}
                <Link
                  to={`/contributions?filter=${encodeURIComponent(JSON.stringify({ paymentImportId: preview.id }))}`}
                >
                  {translate("ordo.payments.see_ledger")}
                </Link>
                {result.changed.map((c) => (
                  <div key={c.line}>{translate("ordo.payments.changed", { line: c.line, reason: c.reason })}</div>
                ))}
              </Alert>
            )}
            <Table size="small" sx={{ mt: 2 }} data-testid="payment-preview">
              <TableHead>
                <TableRow>
                  <TableCell>{translate("ordo.payments.line")}</TableCell>
                  <TableCell>{translate("ordo.payments.employee_no")}</TableCell>
                  <TableCell>{translate("ordo.payments.month")}</TableCell>
                  <TableCell>{translate("ordo.payments.status")}</TableCell>
                  <TableCell align="right">{translate("ordo.payments.expected")}</TableCell>
                  <TableCell align="right">{translate("ordo.payments.in_file")}</TableCell>
                  <TableCell>{translate("ordo.payments.reason")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {preview.rows.map((r) => (
                  <TableRow key={r.line} data-status={r.status}>
                    <TableCell>{r.line}</TableCell>
                    <TableCell>{r.employeeNo}</TableCell>
                    <TableCell>{r.month}</TableCell>
                    <TableCell>
                      <Chip size="small" color={COLOR[r.status]} label={label(r.status)} />
                      {r.ledgerStatus === "paid" && r.status === "matched" && (
                        <Typography variant="caption" sx={{ ml: 1 }}>
                          {translate("ordo.payments.was_paid")}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell align="right">
                      <Figures a={r.expected} differs={r.differs} />
                    </TableCell>
                    <TableCell align="right">
                      <Figures a={r.file} differs={r.differs} />
                    </TableCell>
                    <TableCell>{r.reason ?? ""}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Typography variant="caption" color="text.secondary">
              {translate("ordo.payments.figures_help")}
            </Typography>
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
