import { Alert, Box, Button, Card, CardContent, MenuItem, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { CitySelect, KeyValueTable, money } from "./common";

export interface PensionResult {
  retirementAge?: number | string;
  retirementDate?: string;
  basicPension?: string;
  personalAccountPension?: string;
  total?: string;
  [k: string]: unknown;
}

export const PensionSummary = ({ result }: { result: PensionResult }) => {
  const { retirementAge, retirementDate, basicPension, personalAccountPension, total, ...rest } = result;
  return (
    <Box data-testid="pension-result">
      <Typography variant="h4" sx={{ my: 1 }}>{money(total)}<Typography component="span" color="text.secondary"> / 月</Typography></Typography>
      <KeyValueTable data={{ retirementAge, retirementDate, basicPension, personalAccountPension, total, ...rest }} />
    </Box>
  );
};

export const PensionSimulator = () => {
  const translate = useTranslate();
  const [form, setForm] = useState({ birthDate: "1975-06-15", gender: "male", post: "cadre", city: "310000", wage: "12000", contributionYears: "25", averageIndex: "1.0", accountBalance: "" });
  const [result, setResult] = useState<PensionResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const calc = async () => {
    setError(null);
    const body: Record<string, unknown> = { birthDate: form.birthDate, gender: form.gender, post: form.post, city: form.city, wage: form.wage };
    if (form.contributionYears) body.contributionYears = Number(form.contributionYears);
    if (form.averageIndex) body.averageIndex = Number(form.averageIndex);
    if (form.accountBalance) body.accountBalance = form.accountBalance;
    try {
      setResult(await api<PensionResult>("/si/pension", { body }));
    } catch (e) {
      setError(errorMessage(e));
      setResult(null);
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.menu.pension")} />
      <CardContent>
        <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "center" }}>
          <TextField size="small" type="date" label={translate("ordo.si.birth_date")} value={form.birthDate} onChange={set("birthDate")} slotProps={{ inputLabel: { shrink: true } }} />
          <TextField select size="small" label={translate("ordo.si.gender")} value={form.gender} onChange={set("gender")} sx={{ minWidth: 100 }}>
            <MenuItem value="male">{translate("ordo.si.male")}</MenuItem>
            <MenuItem value="female">{translate("ordo.si.female")}</MenuItem>
          </TextField>
          <TextField select size="small" label={translate("ordo.si.post")} value={form.post} onChange={set("post")} sx={{ minWidth: 140 }}>
            <MenuItem value="worker">{translate("ordo.si.post_worker")}</MenuItem>
            <MenuItem value="cadre">{translate("ordo.si.post_cadre")}</MenuItem>
          </TextField>
          <CitySelect value={form.city} onChange={set("city")} />
          <TextField size="small" label={translate("ordo.si.wage")} value={form.wage} onChange={set("wage")} />
          <TextField size="small" type="number" label={translate("ordo.si.contribution_years")} value={form.contributionYears} onChange={set("contributionYears")} sx={{ width: 150 }} />
          <TextField size="small" label={translate("ordo.si.average_index")} value={form.averageIndex} onChange={set("averageIndex")} sx={{ width: 170 }} />
          <TextField size="small" label={translate("ordo.si.account_balance")} value={form.accountBalance} onChange={set("accountBalance")} />
          <Button variant="contained" onClick={calc}>{translate("ordo.si.calculate")}</Button>
        </Box>
        {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
        {result && <PensionSummary result={result} />}
      </CardContent>
    </Card>
  );
};
