import { Box, useTheme } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartRows, type ChartRow } from "./status";

/** Employer and employee shares per month, stacked; unpaid months drawn in the warning colour. Fits 375 px. */
export const ContributionsChart = ({
  contributions,
  unpaidMonths,
}: {
  contributions: Record<string, unknown>[];
  unpaidMonths: string[];
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const theme = useTheme();
  const rows = chartRows(contributions, unpaidMonths, locale);
  if (!rows.length) return null;
  const t = (k: string) => translate(`ordo.self.${k}`);
  const fill = (r: ChartRow, normal: string) => (r.unpaid ? theme.palette.warning.main : normal);
  return (
    <Box data-testid="my-contributions-chart" sx={{ width: "100%", height: 240, minWidth: 0 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={12} />
          <YAxis tick={{ fontSize: 11 }} width={48} />
          <Tooltip
            formatter={(_v, name, item) => {
              const r = item.payload as ChartRow;
              return [name === t("employer") ? r.employerText : r.employeeText, name];
            }}
            labelFormatter={(label, items) => {
              const r = items?.[0]?.payload as ChartRow | undefined;
              return r?.unpaid ? `${label} · ${t("unpaid")}` : label;
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="employer" name={t("employer")} stackId="a" fill={theme.palette.primary.main}>
            {rows.map((r) => (
              <Cell key={r.month} fill={fill(r, theme.palette.primary.main)} />
            ))}
          </Bar>
          <Bar dataKey="employee" name={t("employee")} stackId="a" fill={theme.palette.secondary.main}>
            {rows.map((r) => (
              <Cell key={r.month} fill={fill(r, theme.palette.secondary.main)} fillOpacity={r.unpaid ? 0.6 : 1} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
};
