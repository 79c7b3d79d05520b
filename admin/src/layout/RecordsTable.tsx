import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";
import { cityName } from "../si/cities";
import { ProvisionalChip } from "../si/ProvisionalChip";

const cell = (v: unknown, yes: string, no: string) => {
  if (v == null) return "";
  if (typeof v === "boolean") return v ? yes : no;
  if (Array.isArray(v) && v.every((x) => typeof x !== "object")) return v.join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v)) return new Date(v).toLocaleString();
  return String(v);
};
const HIDDEN = new Set([
  "tenantId",
  "createdAt",
  "updatedAt",
  "id",
  "employeeId",
  "decisionId",
  "jobId",
  "items",
  "data",
  "dedupeKey",
]);

/** A plain table for server records; columns default to the scalar fields of the rows. */
export const RecordsTable = ({
  rows,
  resource,
  testId,
  columns,
}: {
  rows: Record<string, unknown>[] | undefined | null;
  resource?: string;
  testId?: string;
  columns?: string[];
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!rows?.length)
    return (
      <Typography color="text.secondary" variant="body2" data-testid={testId}>
        {translate("ordo.common.none")}
      </Typography>
    );
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !HIDDEN.has(c)).slice(0, 9);
  const yes = translate("ordo.common.yes");
  const no = translate("ordo.common.no");
  // Domain values every lifecycle table shares: insurance names and city codes.
  const show = (c: string, v: unknown, r: Record<string, unknown>) => {
    if (c === "provisional") return v ? <ProvisionalChip carriedFrom={r.carriedFrom as string | null} /> : "";
    if (c === "insurances" && Array.isArray(v))
      return v.map((i) => translate(`ordo.si.insurances.${i}`, { _: String(i) })).join(", ");
    if ((c === "city" || c === "insuredCity") && typeof v === "string") return cityName(v, locale);
    return cell(v, yes, no);
  };
  return (
    <Table size="small" data-testid={testId}>
      <TableHead>
        <TableRow>
          {cols.map((c) => (
            <TableCell key={c}>{resource ? translate(`resources.${resource}.fields.${c}`, { _: c }) : c}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((r, i) => (
          <TableRow key={String(r.id ?? i)}>
            {cols.map((c) => (
              <TableCell
                key={c}
                sx={{ fontSize: 12, whiteSpace: c === "message" || c === "insurances" ? undefined : "nowrap" }}
              >
                {show(c, r[c], r)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
