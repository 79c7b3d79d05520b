import { Alert, Box, Card, CardContent, CardHeader, Chip, Typography } from "@mui/material";
import { useEffect, useState } from "react";
import { Loading, Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { RecordsTable } from "../layout/RecordsTable";
import { BackPaymentTable, type BackPaymentResult } from "../si/BackPaymentCalculator";
import { KeyValueTable } from "../si/common";
import { PensionSummary, type PensionResult } from "../si/PensionSimulator";

interface Summary {
  employee: Record<string, unknown>;
  enrollments: Record<string, unknown>[];
  contributions: Record<string, unknown>[];
  gaps: unknown[];
  backPayment: BackPaymentResult | null;
  pension: PensionResult | null;
}

const Section = ({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) => (
  <Card data-testid={testId}>
    <CardHeader title={title} titleTypographyProps={{ variant: "h6" }} />
    <CardContent sx={{ pt: 0, overflowX: "auto" }}>{children}</CardContent>
  </Card>
);

/** The employee's own page: everything comes from GET /api/me/summary. */
export const MySummary = () => {
  const translate = useTranslate();
  const [data, setData] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Summary>("/me/summary").then(setData, (e) => setError(errorMessage(e)));
  }, []);
  if (error) return <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>;
  if (!data) return <Loading />;
  const t = (k: string) => translate(`ordo.self.${k}`);
  const e = data.employee ?? {};
  const gaps = (data.gaps ?? []).map((g) => (typeof g === "string" ? g : String((g as { month?: string }).month ?? JSON.stringify(g))));

  return (
    <Box sx={{ mt: 2, display: "grid", gap: 2, gridTemplateColumns: { lg: "1fr 1fr", xs: "1fr" } }}>
      <Title title={t("title")} />
      <Section title={t("status")} testId="my-status">
        <Typography variant="h5">{String(e.name ?? e.fullName ?? "")}</Typography>
        {e.status != null && <Chip label={String(e.status)} color="primary" sx={{ my: 1 }} />}
        <KeyValueTable data={Object.fromEntries(Object.entries(e).filter(([k]) => !["tenantId", "createdAt", "updatedAt"].includes(k)))} />
      </Section>
      <Section title={t("enrollments")} testId="my-enrollments">
        <RecordsTable rows={data.enrollments} resource="enrollments" />
      </Section>
      <Box sx={{ gridColumn: { lg: "1 / span 2" } }}>
        <Section title={t("contributions")} testId="my-contributions">
          <RecordsTable rows={data.contributions} resource="contributions" />
        </Section>
      </Box>
      <Section title={t("gaps")} testId="my-gaps">
        {gaps.length ? gaps.map((g) => <Chip key={g} label={g} color="warning" sx={{ m: 0.5 }} />) : <Typography>{t("no_gaps")}</Typography>}
        {data.backPayment && (
          <>
            <Typography variant="subtitle1" sx={{ mt: 2 }}>{t("back_payment")}</Typography>
            <BackPaymentTable result={data.backPayment} />
          </>
        )}
      </Section>
      <Section title={t("pension")} testId="my-pension">
        {data.pension ? <PensionSummary result={data.pension} /> : <Typography color="text.secondary">—</Typography>}
      </Section>
    </Box>
  );
};
