import { Alert, Box, Card, CardContent, CardHeader, Chip, Typography } from "@mui/material";
import { useEffect, useState, type ReactNode } from "react";
import { Loading, Title, useLocaleState, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { RecordsTable } from "../layout/RecordsTable";
import { BackPaymentTable, normalizeBackPayment } from "../si/BackPaymentCalculator";
import { cityName } from "../si/cities";
import { KeyValueTable, money } from "../si/common";
import { PensionSummary, type PensionResult } from "../si/PensionSimulator";

type Row = Record<string, unknown>;
type Failure = { error: { code: string; message: string } };

/** GET /api/me/summary. */
interface Summary {
  employee: Row;
  enrollments: Row[];
  contributions: Row[];
  alerts?: Row[];
  reminders?: Row[];
  continuity?: {
    asOf: string;
    cumulativeMonths: number;
    continuousMonths: number;
    backPaidMonths: number;
    gaps: { from: string; to: string; months: number }[];
  };
  backPayment: {
    months: string[];
    windowMonths: number;
    estimate: Parameters<typeof normalizeBackPayment>[0] | Failure;
  } | null;
  pension: PensionResult | null;
}

const Section = ({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) => (
  <Card data-testid={testId} sx={{ minWidth: 0 }}>
    <CardHeader title={title} slotProps={{ title: { variant: "h6" } }} />
    <CardContent sx={{ pt: 0, overflowX: "auto" }}>{children}</CardContent>
  </Card>
);

const failed = (v: unknown): v is Failure => !!v && typeof v === "object" && "error" in v;

/** The employee's own page: everything comes from GET /api/me/summary (the server scopes it to them). */
export const MySummary = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [data, setData] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Summary>("/me/summary").then(setData, (e) => setError(errorMessage(e)));
  }, []);
  if (error)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {error}
      </Alert>
    );
  if (!data) return <Loading />;
  const t = (k: string, o?: object) => translate(`ordo.self.${k}`, o);
  const field = (k: string) => translate(`resources.employees.fields.${k}`, { _: k });
  const e = data.employee ?? {};
  const c = data.continuity;
  const bp = data.backPayment;

  return (
    <Box sx={{ mt: 2, display: "grid", gap: 2, gridTemplateColumns: { lg: "1fr 1fr", xs: "1fr" } }}>
      <Title title={t("title")} />
      <Section title={t("status")} testId="my-status">
        <Box sx={{ display: "flex", alignItems: "center", gap: 1, mb: 1 }}>
          <Typography variant="h5">{String(e.name ?? "")}</Typography>
          {e.status != null && (
            <Chip
              label={translate(`ordo.self.statuses.${e.status}`, { _: String(e.status) })}
              color={e.status === "active" ? "success" : "default"}
            />
          )}
        </Box>
        <KeyValueTable
          label={field}
          data={{
            employeeNo: e.employeeNo,
            insuredCity: e.insuredCity ? `${cityName(String(e.insuredCity), locale)} (${e.insuredCity})` : "",
            hireDate: e.hireDate,
            leaveDate: e.leaveDate ?? "—",
            monthlyWage: money(e.monthlyWage),
          }}
        />
      </Section>
      <Section title={t("continuity")} testId="my-gaps">
        {c && (
          <Box sx={{ display: "flex", gap: 3, mb: 2, flexWrap: "wrap" }}>
            <Stat label={t("cumulative")} value={c.cumulativeMonths} />
            <Stat label={t("continuous", { month: c.asOf })} value={c.continuousMonths} />
            <Stat label={t("back_paid")} value={c.backPaidMonths} />
          </Box>
        )}
        <Typography variant="subtitle2">{t("gaps")}</Typography>
        {c?.gaps.length ? (
          c.gaps.map((g) => (
            <Chip
              key={g.from}
              color="warning"
              sx={{ m: 0.5 }}
              label={g.from === g.to ? g.from : `${g.from} – ${g.to} (${t("months", { smart_count: g.months })})`}
            />
          ))
        ) : (
          <Typography>{t("no_gaps")}</Typography>
        )}
        {bp && (
          <Box sx={{ mt: 2 }}>
            <Typography variant="subtitle2">{t("back_payment")}</Typography>
            <Typography variant="body2" color="text.secondary">
              {bp.windowMonths > 0 ? t("window", { smart_count: bp.windowMonths }) : t("no_window")}
            </Typography>
            {failed(bp.estimate) ? (
              <Alert severity="info" sx={{ mt: 1 }}>
                {bp.estimate.error.message}
              </Alert>
            ) : (
              <BackPaymentTable result={normalizeBackPayment(bp.estimate)} />
            )}
          </Box>
        )}
      </Section>
      <Box sx={{ gridColumn: { lg: "1 / span 2" }, minWidth: 0 }}>
        <Section title={t("contributions")} testId="my-contributions">
          <RecordsTable
            rows={data.contributions}
            resource="contributions"
            columns={["month", "provisional", "city", "base", "employer", "employee", "status", "backPaid"]}
          />
        </Section>
      </Box>
      <Section title={t("enrollments")} testId="my-enrollments">
        <RecordsTable
          rows={data.enrollments}
          resource="enrollments"
          columns={["insuredCity", "insurances", "base", "fromDate", "toDate", "status"]}
        />
        {!!data.reminders?.length && (
          <>
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              {t("reminders")}
            </Typography>
            <RecordsTable rows={data.reminders} resource="reminders" columns={["dueDate", "template", "status"]} />
          </>
        )}
      </Section>
      <Section title={t("pension")} testId="my-pension">
        {data.pension ? <PensionSummary result={data.pension} /> : <Typography color="text.secondary">—</Typography>}
      </Section>
    </Box>
  );
};

const Stat = ({ label, value }: { label: string; value: ReactNode }) => (
  <Box>
    <Typography variant="h4">{value}</Typography>
    <Typography variant="caption" color="text.secondary">
      {label}
    </Typography>
  </Box>
);
