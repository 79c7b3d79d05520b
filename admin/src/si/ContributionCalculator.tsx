import {
  Alert,
  Button,
  Card,
  CardContent,
  FormControlLabel,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
} from "@mui/material";
import { useEffect, useRef, useState } from "react";
import { Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { ProvisionalChip } from "./ProvisionalChip";
import { CitySelect, FieldGrid, latestCoveredMonth, money, useCities, useInsuranceName } from "./common";

interface Result {
  city: string;
  month: string;
  items: {
    insurance: string;
    base: string;
    employer: string;
    employee: string;
    employerRate?: string;
    employeeRate?: string;
  }[];
  totals: { employer: string; employee: string };
  provisional?: boolean;
  carriedFrom?: string | null;
}

const pct = (v: string | undefined) => (v == null ? "" : `${v}%`);

export const ContributionCalculator = () => {
  const translate = useTranslate();
  const insurance = useInsuranceName();
  const cities = useCities();
  const [form, setForm] = useState({
    city: "110000",
    month: "",
    wage: "15000",
    hukouLocal: true,
    workInjuryClass: "",
    housingFundRate: "",
  });
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  // Default month: the latest one the city has policy for, once /si/cities has answered.
  const monthTouched = useRef(false);
  useEffect(() => {
    if (!monthTouched.current) setForm((f) => ({ ...f, month: latestCoveredMonth(cities, f.city) }));
  }, [cities, form.city]);

  const calc = async () => {
    setError(null);
    const body: Record<string, unknown> = {
      city: form.city,
      month: form.month,
      wage: form.wage,
      hukouLocal: form.hukouLocal,
    };
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
        <FieldGrid>
          <CitySelect value={form.city} onChange={set("city")} />
          <TextField
            type="month"
            name="month"
            label={translate("ordo.si.month")}
            value={form.month}
            onChange={(e) => {
              monthTouched.current = true;
              set("month")(e);
            }}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField label={translate("ordo.si.wage")} value={form.wage} onChange={set("wage")} name="wage" />
          <TextField
            type="number"
            name="workInjuryClass"
            label={translate("ordo.si.work_injury_class")}
            value={form.workInjuryClass}
            onChange={set("workInjuryClass")}
            slotProps={{ htmlInput: { min: 1, max: 8 } }}
          />
          <TextField
            name="housingFundRate"
            label={translate("ordo.si.housing_fund_rate")}
            value={form.housingFundRate}
            onChange={set("housingFundRate")}
          />
          <FormControlLabel
            control={
              <Switch checked={form.hukouLocal} onChange={(e) => setForm({ ...form, hukouLocal: e.target.checked })} />
            }
            label={translate("ordo.si.hukou_local")}
          />
          <Button variant="contained" onClick={calc} data-testid="calculate" sx={{ justifySelf: "start" }}>
            {translate("ordo.si.calculate")}
          </Button>
        </FieldGrid>
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
        {result?.provisional && <ProvisionalChip carriedFrom={result.carriedFrom} />}
        {result && (
          <Table size="small" sx={{ mt: 2, maxWidth: 900 }} data-testid="contribution-result">
            <TableHead>
              <TableRow>
                <TableCell>{translate("ordo.si.insurance")}</TableCell>
                <TableCell align="right">{translate("ordo.si.base")}</TableCell>
                <TableCell align="right">{translate("ordo.si.employer_rate")}</TableCell>
                <TableCell align="right">{translate("ordo.si.employer")}</TableCell>
                <TableCell align="right">{translate("ordo.si.employee_rate")}</TableCell>
                <TableCell align="right">{translate("ordo.si.employee")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {result.items.map((it) => (
                <TableRow key={it.insurance} data-insurance={it.insurance}>
                  <TableCell>{insurance(it.insurance)}</TableCell>
                  <TableCell align="right">{money(it.base)}</TableCell>
                  <TableCell align="right">{pct(it.employerRate)}</TableCell>
                  <TableCell align="right">{money(it.employer)}</TableCell>
                  <TableCell align="right">{pct(it.employeeRate)}</TableCell>
                  <TableCell align="right">{money(it.employee)}</TableCell>
                </TableRow>
              ))}
              <TableRow sx={{ "& td": { fontWeight: 700 } }}>
                <TableCell>{translate("ordo.si.totals")}</TableCell>
                <TableCell />
                <TableCell />
                <TableCell align="right">{money(result.totals.employer)}</TableCell>
                <TableCell />
                <TableCell align="right">{money(result.totals.employee)}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
};
