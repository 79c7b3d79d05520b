import { Box, Chip, Typography } from "@mui/material";
import { useTranslate } from "react-admin";

export interface DiffResult {
  added?: Record<string, unknown>[];
  removed?: Record<string, unknown>[];
  modified?: (Record<string, unknown> & { pointers?: string[] })[];
}

function describe(item: Record<string, unknown>): string {
  const inner = (item.rule ?? item.row ?? item) as Record<string, unknown>;
  if (typeof inner === "string") return inner;
  const event = inner?.event as { type?: string } | undefined;
  return String(inner?.name ?? (inner?.key ? JSON.stringify(inner.key) : undefined) ?? event?.type ?? JSON.stringify(inner).slice(0, 120));
}

/** Added / removed / modified items between two versions (or a version and the draft). */
export const DiffView = ({ diff }: { diff: DiffResult }) => {
  const translate = useTranslate();
  const groups = [
    ["added", "success", diff.added ?? []],
    ["removed", "error", diff.removed ?? []],
    ["modified", "warning", diff.modified ?? []],
  ] as const;
  if (groups.every(([, , list]) => !list.length)) return <Typography data-testid="diff">{translate("ordo.versions.no_diff")}</Typography>;
  return (
    <Box data-testid="diff">
      {groups.map(([name, color, list]) =>
        list.length ? (
          <Box key={name} sx={{ mb: 1 }}>
            <Typography variant="subtitle2">{translate(`ordo.versions.${name}`)} ({list.length})</Typography>
            {list.map((item, i) => (
              <Box key={i} sx={{ display: "flex", alignItems: "center", gap: 1, ml: 1 }}>
                <Chip size="small" color={color} label={name === "added" ? "+" : name === "removed" ? "−" : "~"} />
                <span>{describe(item)}</span>
                {"pointers" in item && Array.isArray(item.pointers) && (
                  <code style={{ fontSize: 12, color: "#666" }}>{item.pointers.join("  ")}</code>
                )}
              </Box>
            ))}
          </Box>
        ) : null,
      )}
    </Box>
  );
};
