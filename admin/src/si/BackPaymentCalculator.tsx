import {
  Alert,
  Button,
  Card,
  CardContent,
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
import { addMonths } from "./cities";
import { CitySelect, FieldGrid, latestCoveredMonth, money, useCities } from "./common";

/** A month as POST /api/si/back-payment answers it (the late fee flattened). */
export interface BackPaymentMonth {
  month: string;
  employer: string;
  employee: string;
  owed: string;
  lateFee: string;
  total: string;
  deadline: string;
  arrearsFrom: string;
  lateFeeDays: number;
}

export interface BackPaymentResult {
  months: BackPaymentMonth[];
  totals: Partial<Record<"employer" | "employee" | "owed" | "lateFee" | "total", string>>;
}

type RawMonth = Omit<BackPaymentMonth, "lateFee"> & {
  lateFee: string | { fee: string; deadline: string; arrearsFrom: string; days: number };
};

/**
 * The self-service summary embeds the policies library's result, whose late fee is an object;
 * the calculator endpoint flattens it. Both end up in the calculator's shape.
 */
export function normalizeBackPayment(raw: {
  months?: RawMonth[];
  totals?: BackPaymentResult["totals"];
}): BackPaymentResult {
  const months = (raw.months ?? []).map((m): BackPaymentMonth => {
    if (typeof m.lateFee === "string") return m as BackPaymentMonth;
    const fee = m.lateFee;
    const total = (Number(m.owed) + Number(fee.fee)).toFixed(2);
    return {
      ...m,
      lateFee: fee.fee,
      total,
      deadline: fee.deadline,
      arrearsFrom: fee.arrearsFrom,
      lateFeeDays: fee.days,
    };
  });
  return { months, totals: raw.totals ?? {} };
}

const COLS = ["owed", "deadline", "arrearsFrom", "lateFeeDays", "lateFee", "total"] as const;
const MONEY = new Set(["owed", "lateFee", "total", "employer", "employee"]);

export const BackPaymentTable = ({ result }: { result: BackPaymentResult }) => {
  const translate = useTranslate();
  const label = (c: string) => translate(`ordo.si.bp.${c}`);
  const show = (c: string, v: unknown) => (MONEY.has(c) ? money(v) : String(v ?? ""));
  return (
    <Table size="small" sx={{ mt: 2, maxWidth: 1000 }} data-testid="back-payment-result">
      <TableHead>
        <TableRow>
          <TableCell>{translate("ordo.si.month")}</TableCell>
          {COLS.map((c) => (
            <TableCell key={c} align="right">
              {label(c)}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {result.months.map((m) => (
          <TableRow key={m.month}>
            <TableCell>{m.month}</TableCell>
            {COLS.map((c) => (
              <TableCell key={c} align="right" data-col={c}>
                {show(c, m[c])}
              </TableCell>
            ))}
          </TableRow>
        ))}
        <TableRow sx={{ "& td": { fontWeight: 700 } }} data-testid="back-payment-totals">
          <TableCell>{translate("ordo.si.totals")}</TableCell>
          {COLS.map((c) => (
            <TableCell key={c} align="right" data-col={c}>
              {c === "owed" || c === "lateFee" || c === "total" ? money(result.totals[c]) : ""}
            </TableCell>
          ))}
        </TableRow>
      </TableBody>
    </Table>
  );
};

export const BackPaymentCalculator = () => {
  const translate = useTranslate();
  const cities = useCities();
  const [form, setForm] = useState({
    city: "310000",
    from: "",
    to: "",
    wage: "12000",
    paymentDate: new Date().toISOString().slice(0, 10),
  });
  const [result, setResult] = useState<BackPaymentResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  // Default range: three months that end three months before the latest month with policy.
  const touched = useRef(false);
  useEffect(() => {
    if (touched.current) return;
    const last = latestCoveredMonth(cities, form.city);
    setForm((f) => ({ ...f, from: addMonths(last, -5), to: addMonths(last, -3) }));
  }, [cities, form.city]);
  const setMonth = (k: "from" | "to") => (e: { target: { value: string } }) => {
    touched.current = true;
    set(k)(e);
  };

  const calc = async () => {
    setError(null);
    try {
      const body = {
        city: form.city,
        months: { from: form.from, to: form.to || form.from },
        wage: form.wage,
        paymentDate: form.paymentDate,
      };
      setResult(normalizeBackPayment(await api("/si/back-payment", { body })));
    } catch (e) {
      setError(errorMessage(e));
      setResult(null);
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.menu.back_payment")} />
      <CardContent>
        <FieldGrid>
          <CitySelect value={form.city} onChange={set("city")} />
          <TextField
            type="month"
            name="from"
            label={translate("ordo.si.from_month")}
            value={form.from}
            onChange={setMonth("from")}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            type="month"
            name="to"
            label={translate("ordo.si.to_month")}
            value={form.to}
            onChange={setMonth("to")}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField name="wage" label={translate("ordo.si.wage")} value={form.wage} onChange={set("wage")} />
          <TextField
            type="date"
            name="paymentDate"
            label={translate("ordo.si.payment_date")}
            value={form.paymentDate}
            onChange={set("paymentDate")}
            slotProps={{ inputLabel: { shrink: true } }}
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
        {result && <BackPaymentTable result={result} />}
      </CardContent>
    </Card>
  );
};
