import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useTranslate } from "react-admin";

const cell = (v: unknown) => (v == null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
const HIDDEN = new Set(["tenantId", "createdAt", "updatedAt"]);

/** A plain table for server records whose columns are not known in advance. */
export const RecordsTable = ({ rows, resource, testId, columns }: { rows: Record<string, unknown>[] | undefined; resource?: string; testId?: string; columns?: string[] }) => {
  const translate = useTranslate();
  if (!rows?.length) return <Typography color="text.secondary" variant="body2" data-testid={testId}>{translate("ordo.common.none")}</Typography>;
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !HIDDEN.has(c)).slice(0, 9);
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
              <TableCell key={c} sx={{ fontSize: 12 }}>{cell(r[c])}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
