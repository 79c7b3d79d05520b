import { Alert, Box, Card, CardContent, CardHeader, Typography } from "@mui/material";
import { useEffect, useState } from "react";
import { Title, useLocaleState, useTranslate } from "react-admin";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { api, errorMessage } from "../api/http";
import { useSession } from "../api/useSession";
import { cityName } from "../si/cities";
import { PinnedReports } from "../reports/PinnedReports";

interface DashboardData {
  alertsByType: { type: string; count: number }[];
  contributionsByMonth: { month: string; employer: string | number; employee: string | number }[];
  contributionsByCity: { city: string; employer: string | number; employee: string | number }[];
}

const num = <T extends { employer: string | number; employee: string | number }>(rows: T[]) =>
  rows.map((r) => ({ ...r, employer: Number(r.employer), employee: Number(r.employee) }));

export default function Dashboard() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { user, tenant } = useSession();
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<DashboardData>("/reports/dashboard").then(setData, (e) => setError(errorMessage(e)));
  }, [tenant]);

  const t = (k: string) => translate(`ordo.dashboard.${k}`);
  const empty = <Typography color="text.secondary">{t("no_data")}</Typography>;
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={t("title")} />
      <Typography variant="h5" sx={{ mb: 2 }}>
        {translate("ordo.dashboard.welcome", { name: user?.name ?? "" })}
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      {data && (
        <Box sx={{ display: "grid", gridTemplateColumns: { lg: "1fr 2fr", xs: "1fr" }, gap: 2 }}>
          <Card>
            <CardHeader title={t("alerts_by_type")} />
            <CardContent data-testid="alerts-by-type">
              {data.alertsByType.length
                ? data.alertsByType.map((a) => (
                    <Box
                      key={a.type}
                      sx={{ display: "flex", justifyContent: "space-between", py: 0.5, borderBottom: "1px solid #eee" }}
                    >
                      <span>{translate(`ordo.alert_types.${a.type}`, { _: a.type })}</span>
                      <b>{a.count}</b>
                    </Box>
                  ))
                : empty}
            </CardContent>
          </Card>
          <Card>
            <CardHeader title={t("contributions_by_month")} />
            <CardContent sx={{ height: 280 }}>
              {data.contributionsByMonth.length ? (
                <ResponsiveContainer>
                  <LineChart data={num(data.contributionsByMonth)} margin={{ top: 8, right: 24, left: 8, bottom: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="month" />
                    <YAxis />
                    <Tooltip />
                    <Legend />
                    <Line type="monotone" dataKey="employer" name={t("employer")} stroke="#1976d2" />
                    <Line type="monotone" dataKey="employee" name={t("employee")} stroke="#9c27b0" />
                  </LineChart>
                </ResponsiveContainer>
              ) : (
                empty
              )}
            </CardContent>
          </Card>
          <Card sx={{ gridColumn: { lg: "1 / span 2" } }}>
            <CardHeader title={t("contributions_by_city")} />
            <CardContent sx={{ height: 280 }}>
              {data.contributionsByCity.length ? (
                <ResponsiveContainer>
                  <BarChart data={num(data.contributionsByCity).map((r) => ({ ...r, city: cityName(r.city, locale) }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="city" />
                    <YAxis />
                    <Tooltip />
                    <Legend />
                    <Bar dataKey="employer" name={t("employer")} fill="#1976d2" />
                    <Bar dataKey="employee" name={t("employee")} fill="#9c27b0" />
                  </BarChart>
                </ResponsiveContainer>
              ) : (
                empty
              )}
            </CardContent>
          </Card>
          <PinnedReports />
        </Box>
      )}
    </Box>
  );
}
