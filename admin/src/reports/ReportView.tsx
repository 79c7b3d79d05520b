/** A report's answer as a chart (recharts, as the dashboard) and a table, in the reader's language. */
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDate, formatMoney, formatMonth } from "../format";
import { cityName } from "../si/cities";
import type { Chart, Column, RunResult } from "./types";

const COLORS = ["#1976d2", "#ef6c00", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#546e7a"];

export function cellText(col: Column, value: unknown, locale: string, yes = "✓", no = "✗"): string {
  if (value === null || value === undefined) return "";
  if (col.labels) return col.labels[String(value)] ?? String(value);
  switch (col.type) {
    case "money":
      return formatMoney(value);
    case "city":
      return cityName(String(value), locale);
    case "month":
      return formatMonth(value, locale);
    case "date":
      return formatDate(value, locale);
    case "boolean":
      return value ? yes : no;
    case "integer":
      return typeof value === "number" ? value.toLocaleString(locale) : String(value);
    default:
      return String(value);
  }
}

/** Rows for recharts: one per x value, a number per measure (or per series value of the first measure). */
export function chartData(result: RunResult, chart: Chart, locale: string) {
  const cols = new Map(result.columns.map((c) => [c.key, c]));
  const x = chart.x ?? result.columns.find((c) => c.role === "dimension")?.key;
  const ys = chart.y?.length ? chart.y : result.columns.filter((c) => c.role === "measure").map((c) => c.key);
  const xCol = x ? cols.get(x) : undefined;
  const label = (v: unknown) => (xCol ? cellText(xCol, v, locale) : "");
  const byX = new Map<string, Record<string, unknown>>();
  const series = new Set<string>();
  for (const row of result.rows) {
    const name = label(x ? row[x] : "");
    const point = byX.get(name) ?? { name };
    if (chart.series && cols.get(chart.series)) {
      const s = cellText(cols.get(chart.series)!, row[chart.series], locale) || "—";
      series.add(s);
      point[s] = Number(point[s] ?? 0) + Number(row[ys[0]!] ?? 0);
    } else for (const y of ys) point[cols.get(y)?.label ?? y] = Number(row[y] ?? 0);
    byX.set(name, point);
  }
  const keys = chart.series ? [...series] : ys.map((y) => cols.get(y)?.label ?? y);
  return { data: [...byX.values()], keys };
}

export const ReportChart = ({ result, chart, height = 320 }: { result: RunResult; chart: Chart; height?: number }) => {
  const [locale = "zh-CN"] = useLocaleState();
  if (chart.type === "table" || !result.rows.length) return null;
  const { data, keys } = chartData(result, chart, locale);
  const bars = keys.map((k, i) => (
    <Bar key={k} dataKey={k} fill={COLORS[i % COLORS.length]} stackId={chart.type === "stackedBar" ? "s" : undefined} />
  ));
  return (
    <Box data-testid="report-chart" sx={{ width: "100%", height }}>
      <ResponsiveContainer>
        {chart.type === "line" ? (
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis />
            <Tooltip />
            <Legend />
            {keys.map((k, i) => (
              <Line key={k} dataKey={k} stroke={COLORS[i % COLORS.length]} />
            ))}
          </LineChart>
        ) : chart.type === "pie" ? (
          <PieChart>
            <Tooltip />
            <Legend />
            <Pie data={data} dataKey={keys[0]!} nameKey="name" outerRadius="80%">
              {data.map((_, i) => (
                <Cell key={i} fill={COLORS[i % COLORS.length]} />
              ))}
            </Pie>
          </PieChart>
        ) : (
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis />
            <Tooltip />
            <Legend />
            {bars}
          </BarChart>
        )}
      </ResponsiveContainer>
    </Box>
  );
};

export const ReportTable = ({ result, max = 200 }: { result: RunResult; max?: number }) => {
  const [locale = "zh-CN"] = useLocaleState();
  const translate = useTranslate();
  const yes = translate("ordo.reports.yes");
  const no = translate("ordo.reports.no");
  const right = (c: Column) => (c.role === "measure" || c.type === "money" ? "right" : "left");
  return (
    <Box sx={{ overflowX: "auto" }}>
      <Table size="small" data-testid="report-table">
        <TableHead>
          <TableRow>
            {result.columns.map((c) => (
              <TableCell key={c.key} align={right(c)}>
                {c.label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {result.rows.slice(0, max).map((row, i) => (
            <TableRow key={i}>
              {result.columns.map((c) => (
                <TableCell key={c.key} align={right(c)}>
                  {cellText(c, row[c.key], locale, yes, no)}
                </TableCell>
              ))}
            </TableRow>
          ))}
          {result.totals && (
            <TableRow data-testid="report-totals" sx={{ "& td": { fontWeight: 600 } }}>
              {result.columns.map((c, i) => (
                <TableCell key={c.key} align={right(c)}>
                  {i === 0
                    ? translate("ordo.reports.total")
                    : c.role === "measure"
                      ? cellText(c, result.totals![c.key], locale)
                      : ""}
                </TableCell>
              ))}
            </TableRow>
          )}
        </TableBody>
      </Table>
      {(result.rows.length > max || result.truncated) && (
        <Typography variant="caption" color="text.secondary">
          {translate("ordo.reports.more_rows", { shown: Math.min(max, result.rows.length) })}
        </Typography>
      )}
    </Box>
  );
};
