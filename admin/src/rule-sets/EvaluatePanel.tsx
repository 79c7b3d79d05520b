import { Box, Button, Card, CardContent, Chip, MenuItem, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { useNotify, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { JsonEditor } from "../monaco/JsonEditor";
import { TraceTree } from "./TraceTree";

interface EvalResult {
  version?: number | string;
  events: { type: string; params?: unknown }[];
  results: { rule: string | { name?: string }; priority?: number; result: boolean; conditions: unknown }[];
  durationMs?: number;
}

/** Facts in, events and a condition trace out. */
export const EvaluatePanel = ({
  ruleSetKey,
  initialFacts,
  latestVersion,
}: {
  ruleSetKey: string;
  initialFacts: string;
  latestVersion: number | null;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [facts, setFacts] = useState(initialFacts);
  const [at, setAt] = useState("");
  // "" = the version in force on the date (what apply mode uses), "draft", or a version number.
  const [version, setVersion] = useState("draft");
  const [result, setResult] = useState<EvalResult | null>(null);

  const evaluate = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(facts);
    } catch (e) {
      notify(translate("ordo.rule_sets.json_error", { error: (e as Error).message }), { type: "error" });
      return;
    }
    const body: Record<string, unknown> = { facts: parsed };
    if (at) body.at = at;
    if (version === "draft") body.version = "draft";
    else if (version) body.version = Number(version);
    try {
      setResult(await api<EvalResult>(`/rule-sets/${encodeURIComponent(ruleSetKey)}/evaluate`, { body }));
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
  };

  const versions = Array.from({ length: latestVersion ?? 0 }, (_, i) => (latestVersion ?? 0) - i);
  return (
    <Box sx={{ display: "grid", gridTemplateColumns: { md: "1fr 1fr", xs: "1fr" }, gap: 2 }}>
      <Box>
        <Typography variant="subtitle2">{translate("ordo.rule_sets.facts")}</Typography>
        <JsonEditor path={`rule-sets/${ruleSetKey}.facts.json`} value={facts} onChange={setFacts} height={320} />
        <Box sx={{ display: "flex", gap: 2, mt: 1, alignItems: "center", flexWrap: "wrap" }}>
          <TextField
            size="small"
            type="date"
            label={translate("ordo.rule_sets.at")}
            value={at}
            onChange={(e) => setAt(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            select
            size="small"
            label={translate("ordo.rule_sets.version")}
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            sx={{ minWidth: 160, width: "auto" }}
            slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
          >
            <MenuItem value="draft">{translate("ordo.rule_sets.draft")}</MenuItem>
            {!!latestVersion && <MenuItem value="">{translate("ordo.rule_sets.in_force")}</MenuItem>}
            {versions.map((v) => (
              <MenuItem key={v} value={String(v)}>
                v{v}
              </MenuItem>
            ))}
          </TextField>
          <Button variant="contained" onClick={evaluate} data-testid="evaluate" sx={{ flexShrink: 0 }}>
            {translate("ordo.rule_sets.evaluate")}
          </Button>
        </Box>
      </Box>
      <Box data-testid="evaluate-result">
        {result && (
          <>
            <Typography variant="subtitle2">
              {translate("ordo.rule_sets.events")}
              {result.durationMs != null && (
                <Typography component="span" variant="caption" sx={{ ml: 1 }}>
                  {translate("ordo.rule_sets.duration", { ms: result.durationMs })}
                </Typography>
              )}
            </Typography>
            {result.events.length ? (
              result.events.map((e, i) => (
                <Box key={i} sx={{ my: 0.5 }}>
                  <Chip color="primary" size="small" label={e.type} sx={{ mr: 1 }} />
                  <code style={{ fontSize: 12 }}>{e.params ? JSON.stringify(e.params) : ""}</code>
                </Box>
              ))
            ) : (
              <Typography color="text.secondary">{translate("ordo.rule_sets.no_events")}</Typography>
            )}
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              {translate("ordo.rule_sets.trace")}
            </Typography>
            {result.results.map((r, i) => (
              <Card key={i} variant="outlined" sx={{ my: 1, borderColor: r.result ? "success.main" : "error.main" }}>
                <CardContent sx={{ py: 1 }}>
                  <Typography variant="body2">
                    <b>{typeof r.rule === "string" ? r.rule : (r.rule?.name ?? `#${i + 1}`)}</b>{" "}
                    {r.priority != null && (
                      <span style={{ color: "#777" }}>
                        {translate("ordo.rule_sets.priority", { priority: r.priority })}
                      </span>
                    )}{" "}
                    <Chip size="small" color={r.result ? "success" : "error"} label={String(r.result)} />
                  </Typography>
                  <TraceTree node={r.conditions} />
                </CardContent>
              </Card>
            ))}
          </>
        )}
      </Box>
    </Box>
  );
};
