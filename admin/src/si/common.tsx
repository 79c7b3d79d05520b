import { MenuItem, Table, TableBody, TableCell, TableRow, TextField, type TextFieldProps } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";
import { CITIES } from "./cities";

export const CitySelect = (props: TextFieldProps) => {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  return (
    <TextField select size="small" label={translate("ordo.si.city")} sx={{ minWidth: 140 }} {...props}>
      {CITIES.map((c) => (
        <MenuItem key={c.code} value={c.code}>{locale.startsWith("zh") ? c.zh : c.en} ({c.code})</MenuItem>
      ))}
    </TextField>
  );
};

export const money = (v: unknown) => (v == null || v === "" ? "" : `¥${v}`);

export function useInsuranceName() {
  const translate = useTranslate();
  return (name: string) => translate(`ordo.si.insurances.${name}`, { _: name });
}

const isPlain = (v: unknown) => v == null || typeof v !== "object";

/** Renders an object whose exact shape the server owns: scalars as rows, nested values as JSON. */
export const KeyValueTable = ({ data, testId }: { data: Record<string, unknown>; testId?: string }) => (
  <Table size="small" data-testid={testId}>
    <TableBody>
      {Object.entries(data ?? {}).map(([k, v]) => (
        <TableRow key={k}>
          <TableCell sx={{ fontWeight: 600, width: 240 }}>{k}</TableCell>
          <TableCell>{isPlain(v) ? String(v ?? "") : <code style={{ fontSize: 12, whiteSpace: "pre-wrap" }}>{JSON.stringify(v, null, 1)}</code>}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
