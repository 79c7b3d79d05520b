import { Box, Chip } from "@mui/material";

type Trace = Record<string, unknown> & { result?: boolean };

const color = (r: unknown) => (r === true ? "#2e7d32" : r === false ? "#c62828" : "#757575");
const fmt = (v: unknown) => (v === undefined ? "undefined" : JSON.stringify(v));

/** The evaluate trace: groups (all / any / not) with each leaf's fact value and outcome. */
export const TraceTree = ({ node }: { node: unknown }) => {
  if (!node || typeof node !== "object") return null;
  const n = node as Trace;
  const border = { borderLeft: `3px solid ${color(n.result)}`, pl: 1, my: 0.5 };
  const badge = (
    <Chip
      size="small"
      label={n.result === true ? "✓ true" : n.result === false ? "✗ false" : "–"}
      sx={{ color: "#fff", bgcolor: color(n.result), mr: 1 }}
    />
  );
  for (const op of ["all", "any"] as const) {
    if (Array.isArray(n[op])) {
      return (
        <Box sx={border} data-result={String(n.result)}>
          {badge}
          <b>{op}</b>
          <Box sx={{ pl: 2 }}>
            {(n[op] as unknown[]).map((c, i) => (
              <TraceTree key={i} node={c} />
            ))}
          </Box>
        </Box>
      );
    }
  }
  if (n.not) {
    return (
      <Box sx={border} data-result={String(n.result)}>
        {badge}
        <b>not</b>
        <Box sx={{ pl: 2 }}>
          <TraceTree node={n.not} />
        </Box>
      </Box>
    );
  }
  if (typeof n.condition === "string") {
    return (
      <Box sx={border} data-result={String(n.result)}>
        {badge}
        condition <code>{n.condition}</code>
      </Box>
    );
  }
  return (
    <Box
      sx={{ ...border, fontFamily: "monospace", fontSize: 13 }}
      data-testid="trace-leaf"
      data-result={String(n.result)}
    >
      {badge}
      <span style={{ color: "#1565c0" }}>{String(n.fact)}</span>
      {n.path ? <span>{String(n.path)}</span> : null} <b>{String(n.operator)}</b> {fmt(n.value)}
      <span style={{ color: "#555" }}> · actual = </span>
      <span style={{ color: color(n.result), fontWeight: 600 }}>{fmt(n.factValue)}</span>
    </Box>
  );
};
