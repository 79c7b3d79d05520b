import { Alert, Box, Button, Card, CardContent, FormControlLabel, Switch, Table, TableBody, TableCell, TableHead, TableRow, TextField } from "@mui/material";
import { useState } from "react";
import { Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { thisMonth } from "./cities";
import { CitySelect, money, useInsuranceName } from "./common";

interface Result {
  city: string;
  month: string;
  items: { insurance: string; base: string; employer: string; employee: string }[];
  totals: { employer: string; employee: string };
}

export const ContributionCalculator = () => {
  const translate = useTranslate();
  const insurance = useInsuranceName();
  const [form, setForm] = useState({ city: "310000", month: thisMonth(), wage: "15000", hukouLocal: true, workInjuryClass: "", housingFundRate: "" });
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const calc = async () => {
    setError(null);
    const body: Record<string, unknown> = { city: form.city, month: form.month, wage: form.wage, hukouLocal: form.hukouLocal };
    if (form.workInjuryClass) body.workInjuryClass = Number(form.workInjuryClass);
    if (form.housingFundRate) body.housingFundRate = form.housingFundRate;
    try {
      setResult(await api<Result>("/si/contributions", { body }));
    } catch (e) {
      setError(errorMessage(e));
      setResult(null);
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.menu.contributions")} />
      <CardContent>
        <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "center" }}>
          <CitySelect value={form.city} onChange={set("city")} />
          <TextField size="small" type="month" label={translate("ordo.si.month")} value={form.month} onChange={set("month")} slotProps={{ inputLabel: { shrink: true } }} />
          <TextField size="small" label={translate("ordo.si.wage")} value={form.wage} onChange={set("wage")} name="wage" />
          <FormControlLabel control={<Switch checked={form.hukouLocal} onChange={(e) => setForm({ ...form, hukouLocal: e.target.checked })} />} label={translate("ordo.si.hukou_local")} />
          <TextField size="small" type="number" label={translate("ordo.si.work_injury_class")} value={form.workInjuryClass} onChange={set("workInjuryClass")} sx={{ width: 170 }} />
          <TextField size="small" label={translate("ordo.si.housing_fund_rate")} value={form.housingFundRate} onChange={set("housingFundRate")} sx={{ width: 200 }} />
          <Button variant="contained" onClick={calc} data-testid="calculate">{translate("ordo.si.calculate")}</Button>
        </Box>
        {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
        {result && (
          <Table size="small" sx={{ mt: 2, maxWidth: 800 }} data-testid="contribution-result">
            <TableHead>
              <TableRow>
                <TableCell>{translate("ordo.si.insurance")}</TableCell>
                <TableCell align="right">{translate("ordo.si.base")}</TableCell>
                <TableCell align="right">{translate("ordo.si.employer")}</TableCell>
                <TableCell align="right">{translate("ordo.si.employee")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {result.items.map((it) => (
                <TableRow key={it.insurance}>
                  <TableCell>{insurance(it.insurance)}</TableCell>
                  <TableCell align="right">{money(it.base)}</TableCell>
                  <TableCell align="right">{money(it.employer)}</TableCell>
                  <TableCell align="right">{money(it.employee)}</TableCell>
                </TableRow>
              ))}
              <TableRow sx={{ "& td": { fontWeight: 700 } }}>
                <TableCell>{translate("ordo.si.totals")}</TableCell>
                <TableCell />
                <TableCell align="right">{money(result.totals.employer)}</TableCell>
                <TableCell align="right">{money(result.totals.employee)}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
};
