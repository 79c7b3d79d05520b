import { Alert, Box, Button, Card, CardContent, LinearProgress, TextField, Typography } from "@mui/material";
import { useEffect, useRef, useState } from "react";
import { Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { thisMonth } from "./cities";

interface Run {
  id: string;
  status: string;
  progress: number;
  total: number;
  [k: string]: unknown;
}

const DONE = new Set(["done", "completed", "succeeded", "failed", "error"]);

/** Starts a monthly run and polls it once a second until it finishes. */
export const MonthlyRun = () => {
  const translate = useTranslate();
  const [month, setMonth] = useState(thisMonth());
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const poll = (id: string) => {
    timer.current = setTimeout(async () => {
      try {
        const r = await api<Run>(`/monthly-runs/${id}`);
        setRun(r);
        if (!DONE.has(r.status)) poll(id);
      } catch (e) {
        setError(errorMessage(e));
      }
    }, 1000);
  };
  const start = async () => {
    setError(null);
    clearTimeout(timer.current);
    try {
      const r = await api<Run>("/monthly-runs", { body: { month } });
      setRun(r);
      if (!DONE.has(r.status)) poll(r.id);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const pct = run && run.total ? Math.round((100 * run.progress) / run.total) : run && DONE.has(run.status) ? 100 : 0;

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.monthly_run.title")} />
      <CardContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>{translate("ordo.monthly_run.help")}</Typography>
        <Box sx={{ display: "flex", gap: 2, alignItems: "center" }}>
          <TextField size="small" type="month" label={translate("ordo.si.month")} value={month} onChange={(e) => setMonth(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
          <Button variant="contained" onClick={start} disabled={!!run && !DONE.has(run.status)}>{translate("ordo.monthly_run.start")}</Button>
        </Box>
        {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
        {run && (
          <Box sx={{ mt: 3, maxWidth: 600 }} data-testid="monthly-run">
            <Typography>
              {translate("ordo.monthly_run.status")}: <b>{run.status}</b> · {translate("ordo.monthly_run.progress", { progress: run.progress ?? 0, total: run.total ?? 0 })}
            </Typography>
            <LinearProgress variant="determinate" value={pct} sx={{ height: 10, borderRadius: 5, mt: 1 }} color={run.status === "failed" ? "error" : "primary"} />
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
