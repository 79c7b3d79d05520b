import { Alert, Box, Button, Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, TextField } from "@mui/material";
import { useState } from "react";
import { Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { CitySelect, money } from "./common";

export interface BackPaymentResult {
  months: { month: string; employer: string; employee: string; total: string; lateFee: string }[];
  totals: Record<string, string>;
}

export const BackPaymentTable = ({ result }: { result: BackPaymentResult }) => {
  const translate = useTranslate();
  const cols = ["employer", "employee", "total", "lateFee"] as const;
  const label = (c: string) => translate(c === "lateFee" ? "ordo.si.late_fee" : `ordo.si.${c}`);
  return (
    <Table size="small" sx={{ mt: 2, maxWidth: 800 }} data-testid="back-payment-result">
      <TableHead>
        <TableRow>
          <TableCell>{translate("ordo.si.month")}</TableCell>
          {cols.map((c) => <TableCell key={c} align="right">{label(c)}</TableCell>)}
        </TableRow>
      </TableHead>
      <TableBody>
        {result.months?.map((m) => (
          <TableRow key={m.month}>
            <TableCell>{m.month}</TableCell>
            {cols.map((c) => <TableCell key={c} align="right">{money(m[c])}</TableCell>)}
          </TableRow>
        ))}
        <TableRow sx={{ "& td": { fontWeight: 700 } }}>
          <TableCell>{translate("ordo.si.totals")}</TableCell>
          {cols.map((c) => <TableCell key={c} align="right">{money(result.totals?.[c])}</TableCell>)}
        </TableRow>
      </TableBody>
    </Table>
  );
};

export const BackPaymentCalculator = () => {
  const translate = useTranslate();
  const [form, setForm] = useState({ city: "310000", months: "", wage: "12000", paymentDate: new Date().toISOString().slice(0, 10) });
  const [result, setResult] = useState<BackPaymentResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const calc = async () => {
    setError(null);
    const months = form.months.split(/[,\s]+/).map((m) => m.trim()).filter(Boolean);
    try {
      setResult(await api<BackPaymentResult>("/si/back-payment", { body: { city: form.city, months, wage: form.wage, paymentDate: form.paymentDate } }));
    } catch (e) {
      setError(errorMessage(e));
      setResult(null);
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.menu.back_payment")} />
      <CardContent>
        <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "center" }}>
          <CitySelect value={form.city} onChange={set("city")} />
          <TextField size="small" label={translate("ordo.si.months")} placeholder="2024-01, 2024-02" value={form.months} onChange={set("months")} sx={{ minWidth: 280 }} />
          <TextField size="small" label={translate("ordo.si.wage")} value={form.wage} onChange={set("wage")} />
          <TextField size="small" type="date" label={translate("ordo.si.payment_date")} value={form.paymentDate} onChange={set("paymentDate")} slotProps={{ inputLabel: { shrink: true } }} />
          <Button variant="contained" onClick={calc}>{translate("ordo.si.calculate")}</Button>
        </Box>
        {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
        {result && <BackPaymentTable result={result} />}
      </CardContent>
    </Card>
  );
};
