import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from "react";
import { Loading, Title, useLocaleState, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { RecordsTable } from "../layout/RecordsTable";
import { cityName } from "../si/cities";
import { formatDate, formatMonth } from "../format";
import { StatusCard, type SummaryStatus } from "./StatusCard";
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
  status?: SummaryStatus;
  /** Only after leaving, where the city's window allows: what the employee can back-pay (no late fees). */
  backPayment: {
    months: string[];
    windowMonths: number;
    deadline: string;
    estimate: MyBackPayment | Failure;
  } | null;
  pension: (PensionResult & { projection?: { kind: string; base?: string; fromMonth?: string } }) | null;
}

interface MyBackPayment {
  months: { month: string; employer: string; employee: string; owed: string }[];
  totals: { employer: string; employee: string; owed: string; total: string };
}

// recharts is only for the employee's page: loaded with it, not with the HR admin's first screen.
const ContributionsChart = lazy(() => import("./ContributionsChart").then((m) => ({ default: m.ContributionsChart })));

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
  const [flexibleBase, setFlexibleBase] = useState("");
  const load = useCallback((base?: string) => {
    const q = base ? `?flexibleBase=${encodeURIComponent(base)}` : "";
    api<Summary>(`/me/summary${q}`).then(setData, (e) => setError(errorMessage(e)));
  }, []);
  useEffect(() => load(), [load]);
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
        {data.status ? (
          <StatusCard status={data.status} name={String(e.name ?? "")} />
        ) : (
          <Box sx={{ display: "flex", alignItems: "center", gap: 1, mb: 1 }}>
            <Typography variant="h5">{String(e.name ?? "")}</Typography>
            {e.status != null && <Chip label={translate(`ordo.self.statuses.${e.status}`, { _: String(e.status) })} />}
          </Box>
        )}
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
              label={
                g.from === g.to
                  ? formatMonth(g.from, locale)
                  : `${formatMonth(g.from, locale)} – ${formatMonth(g.to, locale)} (${t("months", {
                      smart_count: g.months,
                    })})`
              }
            />
          ))
        ) : (
          <Typography>{t("no_gaps")}</Typography>
        )}
        {bp && (
          <Box sx={{ mt: 2 }} data-testid="my-back-payment">
            <Typography variant="subtitle2">{t("back_payment")}</Typography>
            <Typography variant="body2" color="text.secondary">
              {t("actions.back_payment_window", {
                windowMonths: bp.windowMonths,
                deadline: formatDate(bp.deadline, locale),
              })}
            </Typography>
            {failed(bp.estimate) ? (
              <Alert severity="info" sx={{ mt: 1 }}>
                {bp.estimate.error.message}
              </Alert>
            ) : (
              <MyBackPaymentTable result={bp.estimate} locale={locale} />
            )}
          </Box>
        )}
      </Section>
      <Box sx={{ gridColumn: { lg: "1 / span 2" }, minWidth: 0 }}>
        <Section title={t("contributions")} testId="my-contributions">
          <Typography variant="subtitle2">{t("chart")}</Typography>
          <Suspense fallback={<Loading />}>
            <ContributionsChart contributions={data.contributions} unpaidMonths={data.status?.unpaidMonths ?? []} />
          </Suspense>
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
        {data.pension?.projection && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} data-testid="my-projection">
            {t(`projection.${data.pension.projection.kind}`, {
              _: data.pension.projection.kind,
              base: money(data.pension.projection.base),
              month: formatMonth(data.pension.projection.fromMonth, locale),
            })}
          </Typography>
        )}
        {!!e.leaveDate && (
          <Box sx={{ display: "flex", gap: 1, mt: 2, flexWrap: "wrap", alignItems: "center" }}>
            <TextField
              size="small"
              label={t("flexible_base")}
              value={flexibleBase}
              onChange={(ev) => setFlexibleBase(ev.target.value.trim())}
              slotProps={{ htmlInput: { inputMode: "decimal", "data-testid": "my-flexible-base" } }}
              error={flexibleBase !== "" && !/^\d{1,12}(\.\d{1,2})?$/.test(flexibleBase)}
              sx={{ minWidth: 0, flex: "1 1 200px" }}
            />
            <Button
              variant="outlined"
              disabled={flexibleBase !== "" && !/^\d{1,12}(\.\d{1,2})?$/.test(flexibleBase)}
              onClick={() => load(flexibleBase || undefined)}
            >
              {t("simulate")}
            </Button>
          </Box>
        )}
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

const MyBackPaymentTable = ({ result, locale }: { result: MyBackPayment; locale: string }) => {
  const translate = useTranslate();
  const label = (k: string) => translate(`resources.contributions.fields.${k}`, { _: k });
  return (
    <Table size="small" sx={{ mt: 1 }}>
      <TableHead>
        <TableRow>
          <TableCell>{label("month")}</TableCell>
          <TableCell align="right">{label("employer")}</TableCell>
          <TableCell align="right">{label("employee")}</TableCell>
          <TableCell align="right">{translate("ordo.si.bp.owed")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {result.months.map((m) => (
          <TableRow key={m.month}>
            <TableCell>{formatMonth(m.month, locale)}</TableCell>
            <TableCell align="right">{money(m.employer)}</TableCell>
            <TableCell align="right">{money(m.employee)}</TableCell>
            <TableCell align="right">{money(m.owed)}</TableCell>
          </TableRow>
        ))}
        <TableRow sx={{ "& td": { fontWeight: 700 } }}>
          <TableCell>{translate("ordo.si.totals")}</TableCell>
          <TableCell align="right">{money(result.totals.employer)}</TableCell>
          <TableCell align="right">{money(result.totals.employee)}</TableCell>
          <TableCell align="right">{money(result.totals.owed)}</TableCell>
        </TableRow>
      </TableBody>
    </Table>
  );
};
