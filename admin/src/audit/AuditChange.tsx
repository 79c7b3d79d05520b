import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useTranslate } from "react-admin";

type Json = unknown;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * The stored change is sparse: each side keeps only the changed paths. Both sides are walked together
 * into JSON pointers, one row per changed leaf (a changed array of scalars is one leaf).
 */
export function changedPaths(before: Json, after: Json, path = ""): { pointer: string; before: Json; after: Json }[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changedPaths(before[k], after[k], `${path}/${k}`));
  }
  if (isObject(before) && after === undefined)
    return Object.keys(before).flatMap((k) => changedPaths(before[k], undefined, `${path}/${k}`));
  if (isObject(after) && before === undefined)
    return Object.keys(after).flatMap((k) => changedPaths(undefined, after[k], `${path}/${k}`));
  return [{ pointer: path || "/", before, after }];
}

/** Before / after side by side, as the versions diff shows a changed policy row. */
export const AuditChange = ({ before, after }: { before: Json; after: Json }) => {
  const translate = useTranslate();
  const rows = changedPaths(before ?? undefined, after ?? undefined).slice(0, 500);
  if (!rows.length) return <Typography variant="body2">{translate("ordo.versions.no_diff")}</Typography>;
  return (
    <Table size="small" sx={{ width: "auto" }} data-testid="audit-change">
      <TableHead>
        <TableRow>
          <TableCell>{translate("ordo.audit.pointer")}</TableCell>
          <TableCell>{translate("ordo.versions.before")}</TableCell>
          <TableCell>{translate("ordo.versions.after")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.pointer}>
            <TableCell>
              <code>{r.pointer}</code>
            </TableCell>
            <TableCell sx={{ bgcolor: r.before === undefined ? undefined : "#ffebee", maxWidth: 480 }}>
              {show(r.before)}
            </TableCell>
            <TableCell sx={{ bgcolor: r.after === undefined ? undefined : "#e8f5e9", maxWidth: 480 }}>
              {show(r.after)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
