import { Alert, Box, Button, Card, CardContent, Chip, LinearProgress, TextField, Typography } from "@mui/material";
import { useEffect, useRef, useState } from "react";
import { Link, Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { latestCoveredMonth, useCities } from "./common";

/** GET /api/monthly-runs/:id: a job row. */
interface Run {
  id: string;
  status: "queued" | "running" | "done" | "failed" | string;
  progress: number;
  total: number;
  params?: { month?: string; at?: string };
  result?: {
    ledger?: number;
    alerts?: number;
    errors?: number;
    byType?: Record<string, number>;
    ruleSet?: string;
    version?: number | null;
    errorSamples?: { employeeId: string; code: string; message: string }[];
  } | null;
  error?: { code: string; message: string } | null;
}

const DONE = new Set(["done", "failed"]);

/** Starts a monthly run (202 + job) and polls it once a second until it finishes. */
export const MonthlyRun = () => {
  const translate = useTranslate();
  const cities = useCities();
  const [month, setMonth] = useState("");
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  // Default: the latest month every city has policy for.
  const touched = useRef(false);
  useEffect(() => {
    if (!touched.current && cities.some((c) => c.months))
      setMonth(cities.map((c) => latestCoveredMonth(cities, c.code)).sort()[0]);
  }, [cities]);

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
  const running = !!run && !DONE.has(run.status);
  const pct = run?.total ? Math.round((100 * run.progress) / run.total) : run?.status === "done" ? 100 : 0;
  const res = run?.result;

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.monthly_run.title")} />
      <CardContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate("ordo.monthly_run.help")}
        </Typography>
        <Box sx={{ display: "flex", gap: 2, alignItems: "center" }}>
          <TextField
            type="month"
            name="month"
            label={translate("ordo.si.month")}
            value={month}
            onChange={(e) => {
              touched.current = true;
              setMonth(e.target.value);
            }}
            slotProps={{ inputLabel: { shrink: true } }}
            sx={{ width: 220 }}
          />
          <Button variant="contained" onClick={start} disabled={running || !month} data-testid="start-run">
            {translate("ordo.monthly_run.start")}
          </Button>
        </Box>
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
        {run && (
          <Box sx={{ mt: 3, maxWidth: 700 }} data-testid="monthly-run" data-status={run.status}>
            <Typography>
              {translate("ordo.monthly_run.status")}:{" "}
              <b>{translate(`ordo.monthly_run.statuses.${run.status}`, { _: run.status })}</b> ·{" "}
              {translate("ordo.monthly_run.progress", { progress: run.progress ?? 0, total: run.total ?? 0 })}
            </Typography>
            <LinearProgress
              variant={run.status === "queued" ? "indeterminate" : "determinate"}
              value={pct}
              sx={{ height: 10, borderRadius: 5, mt: 1 }}
              color={run.status === "failed" ? "error" : run.status === "done" ? "success" : "primary"}
            />
            {run.error && (
              <Alert severity="error" sx={{ mt: 2 }}>
                {run.error.message}
              </Alert>
            )}
            {run.status === "done" && res && (
              <Box sx={{ mt: 2 }} data-testid="monthly-run-result">
                <Typography>
                  {translate("ordo.monthly_run.summary", {
                    ledger: res.ledger ?? 0,
                    alerts: res.alerts ?? 0,
                    errors: res.errors ?? 0,
                  })}
                  {res.ruleSet ? ` · ${res.ruleSet}${res.version != null ? ` v${res.version}` : ""}` : ""}
                </Typography>
                <Box sx={{ mt: 1 }}>
                  {Object.entries(res.byType ?? {}).map(([type, n]) => (
                    <Chip
                      key={type}
                      color="warning"
                      sx={{ mr: 0.5 }}
                      label={`${translate(`ordo.alert_types.${type}`, { _: type })}: ${n}`}
                    />
                  ))}
                </Box>
                {!!res.errorSamples?.length && (
                  <Alert severity="warning" sx={{ mt: 1 }}>
                    {res.errorSamples.map((s, i) => (
                      <div key={i}>
                        <code>{s.code}</code> {s.message}
                      </div>
                    ))}
                  </Alert>
                )}
                <Box sx={{ mt: 1, display: "flex", gap: 2 }}>
                  <Link
                    to={
                      "/contributions?filter=" +
                      encodeURIComponent(JSON.stringify({ month: run.params?.month ?? month }))
                    }
                  >
                    {translate("ordo.monthly_run.see_ledger")}
                  </Link>
                  <Link to="/alerts">{translate("ordo.monthly_run.see_alerts")}</Link>
                </Box>
              </Box>
            )}
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
