import { Box, Chip, Table, TableBody, TableCell, TableHead, TableRow, Tooltip, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { useLocaleState, useTranslate } from "react-admin";
import type { CityPolicy, PolicyCell } from "./types";

const CONFIDENCE_COLOR: Record<string, "success" | "warning" | "error"> = { H: "success", M: "warning", L: "error" };

/** One value with its provenance: source, confidence and effective range on hover, or in a line below. */
const Value = ({
  cell,
  children,
  showSource,
}: {
  cell: PolicyCell | null;
  children: ReactNode;
  showSource: boolean;
}) => {
  const translate = useTranslate();
  if (!cell)
    return (
      <Typography variant="body2" color="text.disabled">
        {translate("ordo.regions.no_data")}
      </Typography>
    );
  const range = `${cell.effectiveFrom} – ${cell.effectiveTo ?? translate("ordo.regions.open_ended")}`;
  const source = (
    <Box>
      <div>
        {translate("ordo.regions.table")}: {cell.table}
      </div>
      <div>
        {translate("ordo.regions.source")}: {cell.source}
      </div>
      <div>
        {translate("ordo.regions.effective")}: {range}
      </div>
      {cell.note && <div>{cell.note}</div>}
    </Box>
  );
  return (
    <Box>
      <Tooltip title={source}>
        <Box component="span" sx={{ display: "inline-flex", gap: 0.5, alignItems: "center", cursor: "help" }}>
          <span>{children}</span>
          <Chip
            size="small"
            label={cell.confidence}
            color={CONFIDENCE_COLOR[cell.confidence] ?? "default"}
            variant="outlined"
          />
          {cell.carried && <Chip size="small" label={translate("ordo.regions.carried")} color="warning" />}
        </Box>
      </Tooltip>
      {showSource && (
        <Typography variant="caption" color="text.secondary" component="div" sx={{ maxWidth: 260 }}>
          {cell.source} · {range}
        </Typography>
      )}
    </Box>
  );
};

const pct = (v: unknown) => (v === undefined || v === null ? "" : `${v}%`);

interface GridRow {
  key: string;
  label: string;
  render: (c: CityPolicy) => { cell: PolicyCell | null; text: ReactNode };
}

/** The region's cities side by side: one column per city, one row per policy value. */
export const PolicyGrid = ({ cities, showSource }: { cities: CityPolicy[]; showSource: boolean }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const zh = locale.startsWith("zh");
  const insurances = cities[0]?.insurances ?? [];
  const rows: GridRow[] = [];
  for (const i of insurances) {
    const name = zh ? i.zh : i.en;
    const of = (c: CityPolicy) => c.insurances.find((x) => x.insurance === i.insurance);
    rows.push({
      key: `${i.insurance}-limits`,
      label: `${name} · ${translate("ordo.regions.limits")}`,
      render: (c) => {
        const cell = of(c)?.limits ?? null;
        const upper = cell?.values.upper ?? translate("ordo.regions.no_upper");
        return { cell, text: cell ? `${cell.values.lower} – ${upper}` : null };
      },
    });
    rows.push({
      key: `${i.insurance}-rates`,
      label: `${name} · ${translate("ordo.regions.rates")}`,
      render: (c) => {
        if (i.insurance === "work_injury") {
          const classes = c.workInjuryClasses;
          const rates = classes.map((k) => Number(k.values.rate));
          const text = classes.length
            ? translate("ordo.regions.work_injury_range", {
                min: `${Math.min(...rates)}%`,
                max: `${Math.max(...rates)}%`,
                classes: classes.length,
              })
            : null;
          return { cell: classes[0] ?? null, text };
        }
        const cell = of(c)?.rates ?? null;
        if (!cell) return { cell, text: null };
        const v = cell.values;
        if (i.insurance === "housing_fund") return { cell, text: `${pct(v.minRate)} – ${pct(v.maxRate)}` };
        const fixed = [v.employerFixed, v.employeeFixed].some((x) => x !== undefined && x !== null)
          ? ` (+¥${v.employerFixed ?? 0} / ¥${v.employeeFixed ?? 0})`
          : "";
        return { cell, text: `${pct(v.employerRate)} / ${pct(v.employeeRate)}${fixed}` };
      },
    });
  }
  rows.push(
    {
      key: "deadline",
      label: translate("ordo.regions.payment_deadline"),
      render: (c) => ({
        cell: c.paymentDeadline,
        text: c.paymentDeadline
          ? translate("ordo.regions.deadline_text", { day: c.paymentDeadline.day, date: c.paymentDeadline.date })
          : null,
      }),
    },
    {
      key: "back-payment",
      label: translate("ordo.regions.back_payment_window"),
      render: (c) => ({
        cell: c.backPaymentWindow,
        text:
          c.backPaymentWindow?.months === null || c.backPaymentWindow?.months === undefined
            ? translate("ordo.regions.window_unset")
            : translate("ordo.regions.window_months", { months: c.backPaymentWindow.months }),
      }),
    },
    {
      key: "min-wage",
      label: translate("ordo.regions.minimum_wage"),
      render: (c) => ({ cell: c.minimumWage, text: c.minimumWage ? `¥${c.minimumWage.monthly}` : null }),
    },
  );
  return (
    <Box sx={{ overflowX: "auto" }}>
      <Table size="small" data-testid="region-policy-grid">
        <TableHead>
          <TableRow>
            <TableCell />
            {cities.map((c) => (
              <TableCell key={c.city} data-testid={`city-${c.city}`}>
                <Typography sx={{ fontWeight: 600 }}>{zh ? c.cityZh : c.cityEn}</Typography>
                <Typography variant="caption" color="text.secondary">
                  {c.stores.map((s) => s.name).join("、")}
                </Typography>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.key}>
              <TableCell component="th" sx={{ whiteSpace: "nowrap" }}>
                {r.label}
              </TableCell>
              {cities.map((c) => {
                const { cell, text } = r.render(c);
                return (
                  <TableCell key={c.city}>
                    <Value cell={cell} showSource={showSource}>
                      {text}
                    </Value>
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};
