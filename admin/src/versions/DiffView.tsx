import { Box, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useTranslate } from "react-admin";

type Item = Record<string, unknown>;
interface Change {
  column: string;
  before: unknown;
  after: unknown;
}

/**
 * Rule sets answer `{rule, index}` / `{rule, pointers}`; policy tables answer rows and
 * `{before, after, changes}`, plus column changes.
 */
export interface DiffResult {
  added?: Item[];
  removed?: Item[];
  modified?: Item[];
  columns?: { added?: string[]; removed?: string[]; changed?: string[] };
}

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

function describe(item: Item): string {
  // Reminder templates answer `{pointer, before?, after?}`.
  if (typeof item.pointer === "string") return item.pointer;
  const row = (item.after ?? item) as Item;
  if (typeof row.rule === "string") return row.rule;
  if (row.rule && typeof row.rule === "object")
    return String((row.rule as Item).name ?? JSON.stringify(row.rule).slice(0, 120));
  if (row.key && typeof row.key === "object") {
    const key = Object.values(row.key as Item)
      .map(String)
      .join(" · ");
    const values = item.after
      ? ""
      : `  ${Object.entries((row.values ?? {}) as Item)
          .map(([k, v]) => `${k}=${show(v)}`)
          .join(", ")}`;
    return `${key} @ ${String(row.effectiveFrom ?? "")}${values}`;
  }
  return String(row.name ?? JSON.stringify(row).slice(0, 120));
}

function details(item: Item): string | null {
  if (typeof item.pointer === "string") return `${show(item.before)} → ${show(item.after)}`;
  if (Array.isArray(item.pointers)) return item.pointers.join("  ");
  return null;
}

/** A changed policy row, cell by cell: each changed column with its old and new value side by side. */
const CellChanges = ({ changes }: { changes: Change[] }) => {
  const translate = useTranslate();
  return (
    <Table size="small" sx={{ ml: 5, mb: 1, width: "auto" }} data-testid="diff-cells">
      <TableHead>
        <TableRow>
          <TableCell>{translate("ordo.versions.column")}</TableCell>
          <TableCell>{translate("ordo.versions.before")}</TableCell>
          <TableCell>{translate("ordo.versions.after")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map((c) => (
          <TableRow key={c.column}>
            <TableCell>
              <code>{c.column}</code>
            </TableCell>
            <TableCell sx={{ bgcolor: "#ffebee", textDecoration: "line-through" }}>{show(c.before)}</TableCell>
            <TableCell sx={{ bgcolor: "#e8f5e9" }}>{show(c.after)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/** Added / removed / modified items between two versions (or a version and the draft). */
export const DiffView = ({ diff }: { diff: DiffResult }) => {
  const translate = useTranslate();
  const groups = [
    ["added", "success", diff.added ?? []],
    ["removed", "error", diff.removed ?? []],
    ["modified", "warning", diff.modified ?? []],
  ] as const;
  const cols = diff.columns;
  const colChanges = cols
    ? [
        ...(cols.added ?? []).map((c) => `+${c}`),
        ...(cols.removed ?? []).map((c) => `−${c}`),
        ...(cols.changed ?? []).map((c) => `~${c}`),
      ]
    : [];
  if (groups.every(([, , list]) => !list.length) && !colChanges.length)
    return <Typography data-testid="diff">{translate("ordo.versions.no_diff")}</Typography>;
  return (
    <Box data-testid="diff">
      {!!colChanges.length && (
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate("ordo.versions.columns")}: <code>{colChanges.join("  ")}</code>
        </Typography>
      )}
      {groups.map(([name, color, list]) =>
        list.length ? (
          <Box key={name} sx={{ mb: 1 }} data-testid={`diff-${name}`}>
            <Typography variant="subtitle2">
              {translate(`ordo.versions.${name}`)} ({list.length})
            </Typography>
            {list.slice(0, 200).map((item, i) => (
              <Box key={i}>
                <Box sx={{ display: "flex", alignItems: "center", gap: 1, ml: 1, my: 0.25 }}>
                  <Chip size="small" color={color} label={name === "added" ? "+" : name === "removed" ? "−" : "~"} />
                  <span>{describe(item)}</span>
                  {details(item) && <code style={{ fontSize: 12, color: "#666" }}>{details(item)}</code>}
                </Box>
                {Array.isArray(item.changes) && <CellChanges changes={item.changes as Change[]} />}
              </Box>
            ))}
            {list.length > 200 && <Typography variant="caption">… {list.length - 200}</Typography>}
          </Box>
        ) : null,
      )}
    </Box>
  );
};
