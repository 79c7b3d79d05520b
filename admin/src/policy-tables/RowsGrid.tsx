import AddIcon from "@mui/icons-material/Add";
import DeleteIcon from "@mui/icons-material/Delete";
import {
  Box,
  Button,
  IconButton,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
} from "@mui/material";
import { useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslate } from "react-admin";
import type { JsonSchema, PolicyRow, PolicyTableRecord } from "../types";

type Part = "key" | "values";
interface Column {
  part: Part | "meta";
  name: string;
  schema: JsonSchema;
}

const META: Column[] = [
  { part: "meta", name: "effectiveFrom", schema: { type: "string", format: "date" } },
  { part: "meta", name: "effectiveTo", schema: { type: "string", format: "date" } },
  { part: "meta", name: "source", schema: { type: "string" } },
  { part: "meta", name: "confidence", schema: { type: "string", enum: ["H", "M", "L"] } },
  { part: "meta", name: "note", schema: { type: "string" } },
];
const META_LABEL: Record<string, string> = {
  effectiveFrom: "effective_from",
  effectiveTo: "effective_to",
  source: "source",
  confidence: "confidence",
  note: "note",
};

function read(row: PolicyRow, c: Column): unknown {
  if (c.part === "meta") return (row as unknown as Record<string, unknown>)[c.name];
  return row[c.part]?.[c.name];
}

function write(row: PolicyRow, c: Column, raw: string): PolicyRow {
  const t = Array.isArray(c.schema.type) ? c.schema.type[0] : c.schema.type;
  let value: unknown = raw;
  if (raw === "") value = c.part === "meta" && c.name === "effectiveTo" ? null : undefined;
  else if (t === "number" || t === "integer") value = Number.isNaN(Number(raw)) ? raw : Number(raw);
  else if (t === "boolean") value = raw === "true";
  if (c.part === "meta") return { ...row, [c.name]: value } as PolicyRow;
  return { ...row, [c.part]: { ...row[c.part], [c.name]: value } };
}

const ROW_HEIGHT = 41;

/**
 * Inline-editable grid of a policy table's rows; `errors` maps a row index to messages. Only the rows
 * in view are rendered (a table of a thousand rows opens at once); read-only without authoring rights.
 */
export const RowsGrid = ({
  table,
  rows,
  onChange,
  errors,
  readOnly = false,
}: {
  table: PolicyTableRecord;
  rows: PolicyRow[];
  onChange: (rows: PolicyRow[]) => void;
  errors: Record<number, string[]>;
  readOnly?: boolean;
}) => {
  const translate = useTranslate();
  const scroller = useRef<HTMLDivElement | null>(null);
  const [filter, setFilter] = useState("");
  const columns: Column[] = useMemo(
    () => [
      ...Object.entries(table.keyColumns ?? {}).map(([name, schema]) => ({ part: "key" as const, name, schema })),
      ...Object.entries(table.valueColumns ?? {}).map(([name, schema]) => ({ part: "values" as const, name, schema })),
      ...META,
    ],
    [table],
  );
  const visible = rows
    .map((r, i) => [r, i] as const)
    .filter(([r]) => !filter || JSON.stringify(r).toLowerCase().includes(filter.toLowerCase()));
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const update = (i: number, c: Column, raw: string) => onChange(rows.map((r, j) => (j === i ? write(r, c, raw) : r)));
  const addRow = () =>
    onChange([
      ...rows,
      {
        key: {},
        values: {},
        effectiveFrom: new Date().toISOString().slice(0, 10),
        effectiveTo: null,
        source: "",
        confidence: "M",
      },
    ]);

  return (
    <Box>
      <Box sx={{ display: "flex", gap: 2, mb: 1, alignItems: "center" }}>
        <TextField
          size="small"
          label={translate("ordo.policy.filter")}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span>{translate("ordo.policy.row_count", { smart_count: rows.length })}</span>
        {!readOnly && (
          <Button startIcon={<AddIcon />} onClick={addRow} data-testid="add-row">
            {translate("ordo.policy.add_row")}
          </Button>
        )}
      </Box>
      {/* width 0 + min-width 100%: the grid scrolls inside the card instead of widening the page. */}
      <Box ref={scroller} sx={{ overflow: "auto", maxHeight: "62vh", width: 0, minWidth: "100%" }}>
        <Table size="small" stickyHeader data-testid="rows-grid">
          <TableHead>
            <TableRow>
              <TableCell>#</TableCell>
              {columns.map((c) => (
                <TableCell
                  key={`${c.part}.${c.name}`}
                  sx={{
                    fontWeight: c.part === "key" ? 700 : 500,
                    bgcolor: c.part === "key" ? "#e3f2fd" : c.part === "values" ? "#f1f8e9" : undefined,
                  }}
                >
                  {c.part === "meta"
                    ? translate(`ordo.policy.${META_LABEL[c.name]}`)
                    : translate(`ordo.policy.columns.${c.name}`, { _: c.schema.title ?? c.name })}
                </TableCell>
              ))}
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {padTop > 0 && <TableRow style={{ height: padTop }} />}
            {items.map((item) => {
              const [row, i] = visible[item.index]!;
              return (
                <TableRow key={i} sx={errors[i] ? { bgcolor: "#ffebee" } : undefined} style={{ height: ROW_HEIGHT }}>
                  <TableCell>
                    {errors[i] ? (
                      <Tooltip title={errors[i].join("\n")}>
                        <span style={{ color: "#c62828" }}>{i + 1} ⚠</span>
                      </Tooltip>
                    ) : (
                      i + 1
                    )}
                  </TableCell>
                  {columns.map((c) => {
                    const v = read(row, c);
                    const type =
                      c.schema.format === "date"
                        ? "date"
                        : c.schema.type === "number" || c.schema.type === "integer"
                          ? "number"
                          : "text";
                    return (
                      <TableCell key={`${c.part}.${c.name}`} sx={{ p: 0.5 }}>
                        {c.schema.enum ? (
                          <TextField
                            select
                            size="small"
                            variant="standard"
                            value={v ?? ""}
                            onChange={(e) => update(i, c, e.target.value)}
                            disabled={readOnly}
                            sx={{ minWidth: 60 }}
                          >
                            {c.schema.enum.map((o) => (
                              <MenuItem key={String(o)} value={String(o)}>
                                {translate(`ordo.policy.values.${String(o)}`, { _: String(o) })}
                              </MenuItem>
                            ))}
                          </TextField>
                        ) : (
                          <TextField
                            size="small"
                            variant="standard"
                            type={type}
                            value={v == null ? "" : String(v)}
                            onChange={(e) => update(i, c, e.target.value)}
                            disabled={readOnly}
                            slotProps={{ htmlInput: { step: "any", "aria-label": `${c.name} ${i + 1}` } }}
                            sx={{
                              minWidth: type === "date" ? 130 : c.name === "note" || c.name === "source" ? 160 : 80,
                            }}
                          />
                        )}
                      </TableCell>
                    );
                  })}
                  <TableCell>
                    {!readOnly && (
                      <IconButton
                        size="small"
                        aria-label={translate("ordo.policy.delete_row")}
                        onClick={() => onChange(rows.filter((_, j) => j !== i))}
                      >
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
            {padBottom > 0 && <TableRow style={{ height: padBottom }} />}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
};
