import DownloadIcon from "@mui/icons-material/Download";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  FormControlLabel,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { Title, useLocaleState, useNotify, useTranslate } from "react-admin";
import { CITIES, cityName } from "../si/cities";
import { API, api, authHeaders, errorMessage } from "../api/http";

interface ExportRecord {
  id: string;
  city: string;
  month: string;
  format: "csv" | "xlsx";
  rows: number;
  includeExported: boolean;
  createdAt: string;
}
interface Created extends ExportRecord {
  headers: string[];
  layoutCity: string;
  lines: { line: number; change: "add" | "remove"; cells: string[] }[];
}

async function download(r: ExportRecord) {
  const res = await fetch(`${API}/bureau-exports/${r.id}/file`, { headers: authHeaders(new Headers()) });
  if (!res.ok) throw new Error((await res.json().catch(() => ({})))?.message ?? res.statusText);
  const a = document.createElement("a");
  a.href = URL.createObjectURL(await res.blob());
  a.download = `bureau-${r.city}-${r.month}.${r.format}`;
  a.click();
  URL.revokeObjectURL(a.href);
}

const lastMonth = () => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};

/** 增减员: pick a city and a month, export its additions and removals in the bureau's layout. */
export const BureauExports = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const [city, setCity] = useState("110000");
  const layoutName = (code: string) =>
    code === "default" ? translate("ordo.bureau.default_layout") : cityName(code, locale);
  const [month, setMonth] = useState(lastMonth());
  const [format, setFormat] = useState<"csv" | "xlsx">("xlsx");
  const [includeExported, setIncludeExported] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [earlier, setEarlier] = useState<ExportRecord[]>([]);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(
    () =>
      api<ExportRecord[]>(`/bureau-exports?sort=${encodeURIComponent('["createdAt","DESC"]')}&range=[0,49]`)
        .then(setEarlier)
        .catch((e) => notify(errorMessage(e), { type: "error" })),
    [notify],
  );
  useEffect(() => {
    reload();
  }, [reload]);

  const run = async () => {
    setBusy(true);
    try {
      const rec = await api<Created>("/bureau-exports", { body: { city, month, format, includeExported } });
      setCreated(rec);
      if (rec.rows > 0) await download(rec);
      await reload();
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <Title title={translate("ordo.bureau.title")} />
      <CardContent>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {translate("ordo.bureau.intro")}
        </Typography>
        <Box sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap" }}>
          <TextField
            select
            label={translate("ordo.bureau.city")}
            value={city}
            onChange={(e) => setCity(e.target.value)}
            size="small"
            sx={{ minWidth: 160 }}
            slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 400 } } } } } }}
            data-testid="bureau-city"
          >
            {CITIES.map((c) => (
              <MenuItem key={c.code} value={c.code}>
                {cityName(c.code, locale)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label={translate("ordo.bureau.month")}
            type="month"
            value={month}
            onChange={(e) => setMonth(e.target.value)}
            size="small"
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { "data-testid": "bureau-month" } }}
          />
          <TextField
            select
            label={translate("ordo.bureau.format")}
            value={format}
            onChange={(e) => setFormat(e.target.value as "csv" | "xlsx")}
            size="small"
            data-testid="bureau-format"
          >
            <MenuItem value="xlsx">XLSX</MenuItem>
            <MenuItem value="csv">CSV</MenuItem>
          </TextField>
          <FormControlLabel
            control={<Checkbox checked={includeExported} onChange={(e) => setIncludeExported(e.target.checked)} />}
            label={translate("ordo.bureau.include_exported")}
          />
          <Button
            variant="contained"
            onClick={run}
            disabled={busy}
            startIcon={<DownloadIcon />}
            data-testid="bureau-export"
          >
            {translate("ordo.bureau.export")}
          </Button>
        </Box>
        {created && (
          <Box sx={{ mt: 2 }}>
            <Alert severity={created.rows ? "success" : "info"} data-testid="bureau-result">
              {translate(created.rows ? "ordo.bureau.exported" : "ordo.bureau.nothing", {
                rows: created.rows,
                layout: layoutName(created.layoutCity),
              })}
            </Alert>
            {created.rows > 0 && (
              <Table size="small" data-testid="bureau-lines">
                <TableHead>
                  <TableRow>
                    {created.headers.map((h) => (
                      <TableCell key={h}>{h}</TableCell>
                    ))}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {created.lines.map((l) => (
                    <TableRow key={l.line} data-change={l.change}>
                      {l.cells.map((c, i) => (
                        <TableCell key={i}>{c}</TableCell>
                      ))}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Box>
        )}
        <Typography variant="h6" sx={{ mt: 3 }}>
          {translate("ordo.bureau.earlier")}
        </Typography>
        <Table size="small" data-testid="bureau-earlier">
          <TableHead>
            <TableRow>
              <TableCell>{translate("ordo.bureau.exported_at")}</TableCell>
              <TableCell>{translate("ordo.bureau.city")}</TableCell>
              <TableCell>{translate("ordo.bureau.month")}</TableCell>
              <TableCell>{translate("ordo.bureau.format")}</TableCell>
              <TableCell>{translate("ordo.bureau.rows")}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {earlier.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{new Date(r.createdAt).toLocaleString(locale)}</TableCell>
                <TableCell>{cityName(r.city, locale)}</TableCell>
                <TableCell>{r.month}</TableCell>
                <TableCell>{r.format.toUpperCase()}</TableCell>
                <TableCell>{r.rows}</TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() => download(r).catch((e) => notify(errorMessage(e), { type: "error" }))}
                  >
                    {translate("ordo.bureau.download")}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
};
