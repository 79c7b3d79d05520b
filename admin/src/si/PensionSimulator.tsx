import { Alert, Box, Button, Card, CardContent, Chip, MenuItem, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { CitySelect, FieldGrid, KeyValueTable, money } from "./common";

/** POST /api/si/pension (and the `pension` of /api/me/summary): retirement facts are nested in `retirement`. */
export interface PensionResult {
  retirement?: {
    category?: string;
    ageMonths?: number;
    delayMonths?: number;
    age?: { years: number; months: number };
    retirementDate?: string;
    retirementMonth?: string;
  };
  contributionMonths?: number;
  minimumContributionMonths?: number;
  eligible?: boolean;
  averageWage?: string;
  averageContributionIndex?: string;
  divisor?: string;
  basicPension?: string;
  personalAccountBalance?: string;
  personalAccountPension?: string;
  monthlyPension?: string;
  total?: string;
  /** The self-service summary answers why it could not simulate instead of failing the page. */
  error?: { code: string; message: string };
}

export const PensionSummary = ({ result }: { result: PensionResult }) => {
  const translate = useTranslate();
  if (result.error)
    return (
      <Alert severity="info" data-testid="pension-result">
        {result.error.message}
      </Alert>
    );
  const r = result.retirement ?? {};
  const t = (k: string, o?: object) => translate(`ordo.si.pension.${k}`, o);
  const age = r.age ? t("age_value", { years: r.age.years, months: r.age.months }) : undefined;
  const rows: Record<string, unknown> = {
    retirement_age: age,
    retirement_date: r.retirementDate,
    delay: r.delayMonths != null ? t("months_value", { smart_count: r.delayMonths }) : undefined,
    contribution_months:
      result.contributionMonths != null
        ? `${result.contributionMonths} / ${t("minimum")} ${result.minimumContributionMonths ?? "?"}`
        : undefined,
    average_wage: money(result.averageWage),
    average_index: result.averageContributionIndex,
    basic_pension: money(result.basicPension),
    account_balance: money(result.personalAccountBalance),
    divisor: result.divisor,
    account_pension: money(result.personalAccountPension),
  };
  return (
    <Box data-testid="pension-result">
      <Box sx={{ display: "flex", alignItems: "baseline", gap: 2, my: 1, flexWrap: "wrap" }}>
        <Typography variant="h4" data-testid="pension-monthly">
          {money(result.monthlyPension ?? result.total)}
          <Typography component="span" color="text.secondary">
            {" "}
            {t("per_month")}
          </Typography>
        </Typography>
        {result.eligible != null && (
          <Chip
            color={result.eligible ? "success" : "warning"}
            label={t(result.eligible ? "eligible" : "not_eligible")}
          />
        )}
      </Box>
      <Typography color="text.secondary" sx={{ mb: 1 }}>
        {t("retires", { date: r.retirementDate ?? "?", age: age ?? "?" })}
      </Typography>
      <KeyValueTable
        data={Object.fromEntries(Object.entries(rows).filter(([, v]) => v != null && v !== ""))}
        label={(k) => t(k)}
      />
    </Box>
  );
};

export const PensionSimulator = () => {
  const translate = useTranslate();
  const [form, setForm] = useState({
    birthDate: "1975-06-15",
    gender: "male",
    post: "cadre",
    city: "310000",
    wage: "12000",
    contributionYears: "25",
    averageIndex: "1.0",
    accountBalance: "",
  });
  const [result, setResult] = useState<PensionResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const calc = async () => {
    setError(null);
    const body: Record<string, unknown> = {
      birthDate: form.birthDate,
      gender: form.gender,
      city: form.city,
      wage: form.wage,
    };
    if (form.gender === "female") body.post = form.post;
    if (form.contributionYears) body.contributionYears = Number(form.contributionYears);
    if (form.averageIndex) body.averageIndex = form.averageIndex;
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
        <FieldGrid>
          <TextField
            type="date"
            name="birthDate"
            label={translate("ordo.si.birth_date")}
            value={form.birthDate}
            onChange={set("birthDate")}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            select
            name="gender"
            label={translate("ordo.si.gender")}
            value={form.gender}
            onChange={set("gender")}
          >
            <MenuItem value="male">{translate("ordo.si.male")}</MenuItem>
            <MenuItem value="female">{translate("ordo.si.female")}</MenuItem>
          </TextField>
          <TextField
            select
            name="post"
            label={translate("ordo.si.post")}
            value={form.post}
            onChange={set("post")}
            disabled={form.gender !== "female"}
            helperText={form.gender !== "female" ? translate("ordo.si.post_help") : undefined}
          >
            <MenuItem value="worker">{translate("ordo.si.post_worker")}</MenuItem>
            <MenuItem value="cadre">{translate("ordo.si.post_cadre")}</MenuItem>
          </TextField>
          <CitySelect value={form.city} onChange={set("city")} />
          <TextField name="wage" label={translate("ordo.si.wage")} value={form.wage} onChange={set("wage")} />
          <TextField
            type="number"
            name="contributionYears"
            label={translate("ordo.si.contribution_years")}
            value={form.contributionYears}
            onChange={set("contributionYears")}
          />
          <TextField
            name="averageIndex"
            label={translate("ordo.si.average_index")}
            value={form.averageIndex}
            onChange={set("averageIndex")}
          />
          <TextField
            name="accountBalance"
            label={translate("ordo.si.account_balance")}
            value={form.accountBalance}
            onChange={set("accountBalance")}
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
        {result && <PensionSummary result={result} />}
      </CardContent>
    </Card>
  );
};
