import { Box, MenuItem, Table, TableBody, TableCell, TableRow, TextField, type TextFieldProps } from "@mui/material";
import { useEffect, useState, type ReactNode } from "react";
import { useLocaleState, useTranslate } from "react-admin";
import { api } from "../api/http";
import { CITIES, thisMonth, type City } from "./cities";

// GET /api/si/cities: names plus the month ranges each city has policy for. Fetched once per page load.
let citiesRequest: Promise<City[]> | null = null;
function loadCities(): Promise<City[]> {
  citiesRequest ??= api<City[]>("/si/cities").then(
    (list) => (list.length ? list : CITIES),
    () => {
      citiesRequest = null;
      return CITIES;
    },
  );
  return citiesRequest;
}

export function useCities(): City[] {
  const [cities, setCities] = useState<City[]>(CITIES);
  useEffect(() => {
    let live = true;
    loadCities().then((c) => live && setCities(c));
    return () => {
      live = false;
    };
  }, []);
  return cities;
}

/** The latest month up to now that the city has policy for (so the default calculation works). */
export function latestCoveredMonth(cities: City[], code: string): string {
  const now = thisMonth();
  const ranges = cities.find((c) => c.code === code)?.months ?? [];
  let best = "";
  for (const r of ranges) {
    const end = r.to === null || r.to > now ? now : r.to;
    if (end >= r.from && end > best) best = end;
  }
  return best || now;
}

export const CitySelect = (props: TextFieldProps) => {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const cities = useCities();
  return (
    <TextField select label={translate("ordo.si.city")} name="city" {...props}>
      {cities.map((c) => (
        <MenuItem key={c.code} value={c.code}>
          {(locale.startsWith("zh") ? c.zh : c.en) ?? c.code} ({c.code})
        </MenuItem>
      ))}
    </TextField>
  );
};

/** Calculator inputs in a responsive grid: each field keeps a readable width. */
export const FieldGrid = ({ children }: { children: ReactNode }) => (
  <Box
    sx={{
      display: "grid",
      gap: 2,
      gridTemplateColumns: "repeat(auto-fill, minmax(210px, 1fr))",
      alignItems: "center",
      maxWidth: 1100,
    }}
  >
    {children}
  </Box>
);

export { formatMoney as money } from "../format";

export function useInsuranceName() {
  const translate = useTranslate();
  return (name: string) => translate(`ordo.si.insurances.${name}`, { _: name });
}

const isPlain = (v: unknown) => v == null || typeof v !== "object";

/** Renders an object whose exact shape the server owns: scalars as rows, nested values as JSON. */
export const KeyValueTable = ({
  data,
  testId,
  label,
}: {
  data: Record<string, unknown>;
  testId?: string;
  label?: (key: string) => string;
}) => (
  <Table size="small" data-testid={testId} sx={{ maxWidth: 760 }}>
    <TableBody>
      {Object.entries(data ?? {}).map(([k, v]) => (
        <TableRow key={k}>
          <TableCell sx={{ fontWeight: 600, width: 240 }}>{label ? label(k) : k}</TableCell>
          <TableCell>
            {isPlain(v) ? (
              String(v ?? "")
            ) : (
              <code style={{ fontSize: 12, whiteSpace: "pre-wrap" }}>{JSON.stringify(v, null, 1)}</code>
            )}
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
