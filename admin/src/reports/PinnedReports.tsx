/** Saved reports pinned to the dashboard, each run with its parameters' defaults and shown as its chart. */
import { Alert, Card, CardContent, CardHeader } from "@mui/material";
import { useEffect, useState } from "react";
import { useLocaleState } from "react-admin";
import { api, errorMessage } from "../api/http";
import { useSession } from "../api/useSession";
import { ReportChart, ReportTable } from "./ReportView";
import type { ReportSpec, RunResult } from "./types";

type Saved = ReportSpec & { id: string; name: string };

const Widget = ({ report }: { report: Saved }) => {
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [locale] = useLocaleState();
  useEffect(() => {
    api<RunResult>(`/reports/${report.id}/run`, { body: {} }).then(setResult, (e) => setError(errorMessage(e)));
  }, [report.id, locale]);
  const chart = report.chart ?? { type: "table" };
  return (
    <Card data-testid="pinned-report">
      <CardHeader title={report.name} />
      <CardContent>
        {error && <Alert severity="warning">{error}</Alert>}
        {result &&
          (chart.type === "table" ? (
            <ReportTable result={result} max={10} />
          ) : (
            <ReportChart result={result} chart={chart} height={260} />
          ))}
      </CardContent>
    </Card>
  );
};

export const PinnedReports = () => {
  const { tenant } = useSession();
  const [reports, setReports] = useState<Saved[]>([]);
  useEffect(() => {
    api<Saved[]>(`/reports?range=${encodeURIComponent("[0,99]")}`).then(
      (all) => setReports(all.filter((r) => r.pinned)),
      () => setReports([]),
    );
  }, [tenant]);
  return (
    <>
      {reports.map((r) => (
        <Widget key={r.id} report={r} />
      ))}
    </>
  );
};
