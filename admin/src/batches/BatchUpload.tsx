import UploadFileIcon from "@mui/icons-material/UploadFile";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  FormControlLabel,
  LinearProgress,
  Radio,
  RadioGroup,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useEffect, useState } from "react";
import { Title, useLocaleState, useNotify, useTranslate } from "react-admin";
import { cityName } from "../si/cities";
import { api, apiText, errorMessage } from "../api/http";
import { formatMoney } from "../format";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const SHOWN = 500;
type Status = "new" | "changed" | "unchanged" | "invalid" | "failed";
interface Enrollment {
  action: "create" | "end";
  insuredCity: string;
  insurances: string[];
  base: string | null;
  fromDate: string;
  toDate: string | null;
  amounts: { employer: string; employee: string } | null;
}
interface BatchRow {
  line: number;
  kind?: string;
  employeeNo?: string;
  date?: string;
  status: Status;
  error?: { message: string };
  preview?: { enrollments: Enrollment[]; alerts: { type: string; message: string }[]; reminders: unknown[] };
}
interface Batch {
  id: string;
  status: "previewed" | "applying" | "applied" | "failed";
  counts: Record<string, number>;
  errors: { line: number; column: string; columnLabel?: string; letter: string; message: string }[];
  rows: BatchRow[];
  progress: { status: string; done: number; total: number } | null;
  result: { applied: number; skipped: number; failed: { line: number }[]; error?: { message: string } } | null;
}

const COLOR: Record<Status, "success" | "info" | "default" | "error" | "warning"> = {
  new: "success",
  changed: "info",
  unchanged: "default",
  invalid: "error",
  failed: "warning",
};

/** 批量导入: upload hires / wage changes / leaves → cell errors and dry-run preview → apply as a job. */
export const BatchUpload = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const coverage = (codes: string[]) =>
    codes.length >= 5
      ? translate("ordo.batches.all_insurances")
      : codes.map((c) => translate(`ordo.si.insurances.${c}`, { _: c })).join(locale === "en" ? ", " : "、");
  const notify = useNotify();
  const [file, setFile] = useState<File | null>(null);
  const [at, setAt] = useState(new Date().toISOString().slice(0, 10));
  const [batch, setBatch] = useState<Batch | null>(null);
  const [mode, setMode] = useState<"valid" | "all">("all");
  const [busy, setBusy] = useState(false);

  // While the job runs, its progress is read back from the server.
  useEffect(() => {
    if (batch?.status !== "applying") return;
    const timer = setTimeout(async () => {
      try {
        setBatch(await api<Batch>(`/batches/${batch.id}`));
      } catch (e) {
        notify(errorMessage(e), { type: "error" });
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [batch, notify]);

  const upload = async (chosen: File | null) => {
    if (!chosen) return;
    setBusy(true);
    setBatch(null);
    try {
      const xlsx = /\.xlsx$/i.test(chosen.name);
      const { text } = await apiText(`/batches?at=${at}&fileName=${encodeURIComponent(chosen.name.slice(0, 200))}`, {
        method: "POST",
        body: xlsx ? await chosen.arrayBuffer() : await chosen.text(),
        contentType: xlsx ? XLSX : "text/csv",
      });
      setBatch(JSON.parse(text) as Batch);
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!batch) return;
    setBusy(true);
    try {
      setBatch(await api<Batch>(`/batches/${batch.id}/apply`, { method: "POST", body: { mode } }));
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };
  const template = async () => {
    const { text } = await apiText("/batches/template.csv");
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
    a.download = "batch-template.csv";
    a.click();
  };

  const counts = batch?.counts;
  const p = batch?.progress;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.batches.title")} />
      <CardContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate("ordo.batches.help")}
        </Typography>
        <Box
          sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap", border: "1px dashed", p: 2 }}
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            const dropped = e.dataTransfer.files?.[0] ?? null;
            setFile(dropped);
            void upload(dropped);
          }}
        >
          <Button component="label" startIcon={<UploadFileIcon />}>
            {file ? file.name : translate("ordo.batches.choose_file")}
            <input
              type="file"
              accept=".csv,.xlsx,text/csv"
              hidden
              data-testid="batch-file"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Button>
          <TextField
            type="date"
            size="small"
            label={translate("ordo.batches.at")}
            value={at}
            onChange={(e) => setAt(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <Button variant="contained" onClick={() => upload(file)} disabled={!file || busy} data-testid="batch-preview">
            {translate("ordo.batches.preview")}
          </Button>
          <Button onClick={template}>{translate("ordo.batches.template")}</Button>
        </Box>
        {busy && <LinearProgress sx={{ mt: 1 }} />}

        {batch && counts && (
          <Box sx={{ mt: 3 }}>
            <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }} data-testid="batch-counts">
              {(["new", "changed", "unchanged", "invalid", "failed"] as const).map((s) => (
                <Chip key={s} color={COLOR[s]} label={`${translate(`ordo.batches.status.${s}`)}: ${counts[s] ?? 0}`} />
              ))}
              <Box sx={{ flex: 1 }} />
              <RadioGroup row value={mode} onChange={(e) => setMode(e.target.value as "valid" | "all")}>
                <FormControlLabel
                  value="all"
                  control={<Radio size="small" />}
                  label={translate("ordo.batches.mode_all")}
                />
                <FormControlLabel
                  value="valid"
                  control={<Radio size="small" />}
                  label={translate("ordo.batches.mode_valid")}
                />
              </RadioGroup>
              <Button
                variant="contained"
                onClick={apply}
                disabled={busy || batch.status === "applying" || batch.status === "applied"}
                data-testid="batch-apply"
              >
                {translate("ordo.batches.apply")}
              </Button>
            </Box>
            {p && (
              <Box sx={{ mt: 2 }} data-testid="batch-progress">
                <LinearProgress variant="determinate" value={p.total ? (100 * p.done) / p.total : 100} />
                <Typography variant="caption">
                  {translate("ordo.batches.progress", {
                    done: p.done,
                    total: p.total,
                    status: translate(`ordo.monthly_run.statuses.${p.status}`, { _: p.status }),
                  })}
                </Typography>
              </Box>
            )}
            {batch.result && (
              <Alert severity={batch.status === "failed" ? "error" : "success"} sx={{ mt: 2 }}>
                {batch.result.error?.message ??
                  translate("ordo.batches.result", {
                    applied: batch.result.applied,
                    skipped: batch.result.skipped,
                    failed: batch.result.failed.length,
                  })}
              </Alert>
            )}
            {batch.errors.length > 0 && (
              <Table size="small" sx={{ mt: 2 }} data-testid="batch-errors">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate("ordo.batches.line")}</TableCell>
                    <TableCell>{translate("ordo.batches.column")}</TableCell>
                    <TableCell>{translate("ordo.batches.problem")}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {batch.errors.map((e, i) => (
                    <TableRow key={i}>
                      <TableCell>{e.line}</TableCell>
                      <TableCell>
                        {e.letter ? `${e.columnLabel ?? e.column} (${e.letter})` : (e.columnLabel ?? e.column)}
                      </TableCell>
                      <TableCell sx={{ color: "error.main" }}>{e.message}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            <Table size="small" sx={{ mt: 2 }} data-testid="batch-rows">
              <TableHead>
                <TableRow>
                  <TableCell>{translate("ordo.batches.line")}</TableCell>
                  <TableCell>{translate("ordo.batches.kind")}</TableCell>
                  <TableCell>{translate("ordo.batches.employee_no")}</TableCell>
                  <TableCell>{translate("ordo.batches.date")}</TableCell>
                  <TableCell>{translate("ordo.batches.row_status")}</TableCell>
                  <TableCell>{translate("ordo.batches.enrollment")}</TableCell>
                  <TableCell align="right">{translate("ordo.batches.amounts")}</TableCell>
                  <TableCell>{translate("ordo.batches.alerts")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {batch.rows.slice(0, SHOWN).map((r) => (
                  <TableRow key={r.line} data-status={r.status}>
                    <TableCell>{r.line}</TableCell>
                    <TableCell>{r.kind ? translate(`ordo.batches.kinds.${r.kind}`) : ""}</TableCell>
                    <TableCell>{r.employeeNo ?? ""}</TableCell>
                    <TableCell>{r.date ?? ""}</TableCell>
                    <TableCell>
                      <Chip size="small" color={COLOR[r.status]} label={translate(`ordo.batches.status.${r.status}`)} />
                      {r.error && <Typography variant="caption">{r.error.message}</Typography>}
                    </TableCell>
                    <TableCell>
                      {r.preview?.enrollments.map((e, i) => (
                        <div key={i}>
                          {translate(`ordo.batches.enroll_${e.action}`)} {cityName(e.insuredCity, locale)} {e.fromDate}
                          {e.toDate ? `–${e.toDate}` : ""} ({coverage(e.insurances)})
                        </div>
                      ))}
                    </TableCell>
                    <TableCell align="right">
                      {r.preview?.enrollments.map((e, i) =>
                        e.amounts ? (
                          <div key={i}>
                            {formatMoney(e.base ?? "0")}: {formatMoney(e.amounts.employer)} /{" "}
                            {formatMoney(e.amounts.employee)}
                          </div>
                        ) : null,
                      )}
                    </TableCell>
                    <TableCell>
                      {r.preview?.alerts.map((a, i) => (
                        <div key={i}>{a.message}</div>
                      ))}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {batch.rows.length > SHOWN && (
              <Typography variant="caption" color="text.secondary">
                {translate("ordo.batches.shown", { shown: SHOWN, total: batch.rows.length })}
              </Typography>
            )}
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
