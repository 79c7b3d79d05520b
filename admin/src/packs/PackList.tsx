import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { Title, useLocaleState, useNotify, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { useCanAuthor } from "../api/useCanAuthor";
import { DiffView, type DiffResult } from "../versions/DiffView";
import { TestResultsTable } from "../versions/TestResultsTable";
import type { TestResult } from "../types";

type Text = { "zh-CN": string; en: string };
type Status = "unchanged" | "modified" | "upstream" | "missing";
interface PackSummary {
  key: string;
  name: Text;
  industry: string | null;
  latestVersion: string;
  adopted: { version: string; adoptedAt: string; upgradedAt: string | null } | null;
  drifted: boolean;
  upgradable: boolean;
}
interface AssetDrift {
  id: string;
  kind: string;
  key: string;
  name: string;
  status: Status;
  localChange: boolean;
  upstreamChange: boolean;
  diff: (DiffResult & { other?: string[] }) | null;
  upstreamDiff: DiffResult | null;
}
interface Preview {
  from: string;
  to: string;
  passed: boolean;
  kept: string[];
  assets: (AssetDrift & { tests: TestResult[]; passed: boolean })[];
}

const COLOR: Record<Status, "success" | "warning" | "info" | "error"> = {
  unchanged: "success",
  modified: "warning",
  upstream: "info",
  missing: "error",
};

/** 行业包 / Packs: what the tenant adopted, its drift against each pack's latest version, and upgrades. */
export const PackList = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const canAuthor = useCanAuthor();
  const [packs, setPacks] = useState<PackSummary[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [drift, setDrift] = useState<AssetDrift[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const name = (t: Text) => (locale.startsWith("zh") ? t["zh-CN"] : t.en);

  const load = useCallback(() => {
    api<PackSummary[]>("/packs").then(setPacks, (e) => notify(errorMessage(e), { type: "error" }));
  }, [notify]);
  useEffect(load, [load]);

  const showDrift = async (key: string) => {
    setOpen(key);
    setPreview(null);
    try {
      const d = await api<{ assets: AssetDrift[] }>(`/packs/${key}/drift`);
      setDrift(d.assets);
      setChosen(d.assets.filter((a) => a.status === "upstream" || a.status === "missing").map((a) => a.id));
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
  };
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };
  const adopt = (key: string) =>
    run(async () => {
      await api(`/packs/${key}/adopt`, { body: {} });
      notify(translate("ordo.packs.adopted_done"), { type: "success" });
      load();
      await showDrift(key);
    });
  const upgrade = (dryRun: boolean) =>
    run(async () => {
      const out = await api<Preview>(`/packs/${open}/upgrade`, { body: { dryRun, assets: chosen } });
      if (dryRun) setPreview(out);
      else {
        notify(translate("ordo.packs.upgraded_done", { version: out.to }), { type: "success" });
        load();
        await showDrift(open!);
      }
    });
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  return (
    <Card>
      <Title title={translate("ordo.packs.title")} />
      <CardContent>
        <Table size="small" data-testid="packs">
          <TableHead>
            <TableRow>
              <TableCell>{translate("ordo.packs.name")}</TableCell>
              <TableCell>{translate("ordo.packs.latest")}</TableCell>
              <TableCell>{translate("ordo.packs.adopted")}</TableCell>
              <TableCell>{translate("ordo.packs.drift")}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {packs.map((p) => (
              <TableRow key={p.key} data-pack={p.key} selected={open === p.key}>
                <TableCell>
                  {name(p.name)} <code style={{ color: "#666" }}>{p.key}</code>
                </TableCell>
                <TableCell>{p.latestVersion}</TableCell>
                <TableCell>{p.adopted?.version ?? "—"}</TableCell>
                <TableCell>
                  {p.adopted && (
                    <Chip
                      size="small"
                      data-testid="drift-badge"
                      color={p.drifted ? "warning" : "success"}
                      label={translate(p.drifted ? "ordo.packs.drifted" : "ordo.packs.in_sync")}
                    />
                  )}
                  {p.upgradable && (
                    <Chip size="small" sx={{ ml: 1 }} color="info" label={translate("ordo.packs.upgradable")} />
                  )}
                </TableCell>
                <TableCell>
                  {p.adopted ? (
                    <Button size="small" onClick={() => showDrift(p.key)}>
                      {translate("ordo.packs.show_drift")}
                    </Button>
                  ) : (
                    <Button size="small" disabled={!canAuthor || busy} onClick={() => adopt(p.key)}>
                      {translate("ordo.packs.adopt")}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {open && (
          <Box sx={{ mt: 3 }} data-testid="pack-drift">
            <Typography variant="h6">{translate("ordo.packs.drift_of", { pack: open })}</Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              {translate("ordo.packs.drift_help")}
            </Typography>
            {drift.map((a) => (
              <Box key={a.id} sx={{ borderTop: "1px solid #eee", py: 1 }} data-asset={a.id}>
                <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
                  <Checkbox
                    size="small"
                    disabled={a.status === "unchanged" || !canAuthor}
                    checked={chosen.includes(a.id)}
                    onChange={() => toggle(a.id)}
                  />
                  <Chip size="small" variant="outlined" label={translate(`ordo.packs.kind.${a.kind}`)} />
                  <strong>{a.name}</strong>
                  <code style={{ color: "#666" }}>{a.id}</code>
                  <Chip size="small" color={COLOR[a.status]} label={translate(`ordo.packs.status.${a.status}`)} />
                  {a.status === "modified" && a.upstreamChange && (
                    <Chip size="small" color="info" label={translate("ordo.packs.status.upstream")} />
                  )}
                </Box>
                {a.diff && (
                  <Box sx={{ ml: 6 }}>
                    <DiffView diff={a.diff} />
                    {!!a.diff.other?.length && <code style={{ fontSize: 12 }}>{a.diff.other.join("  ")}</code>}
                  </Box>
                )}
              </Box>
            ))}
            {canAuthor && (
              <Button variant="outlined" sx={{ mt: 2 }} disabled={busy || !chosen.length} onClick={() => upgrade(true)}>
                {translate("ordo.packs.preview_upgrade")}
              </Button>
            )}
            {preview && (
              <Box sx={{ mt: 2 }} data-testid="upgrade-preview">
                <Typography variant="subtitle1">
                  {translate("ordo.packs.preview_title", { from: preview.from, to: preview.to })}
                </Typography>
                {preview.assets.map((a) => (
                  <Box key={a.id} sx={{ mb: 2 }}>
                    <Typography variant="subtitle2">
                      {translate(`ordo.packs.kind.${a.kind}`)} · {a.name} <code>{a.id}</code>
                    </Typography>
                    {a.diff && <DiffView diff={a.diff} />}
                    <TestResultsTable results={a.tests.map((t) => ({ ...t, events: t.events ?? [] }))} />
                  </Box>
                ))}
                {!!preview.kept.length && (
                  <Alert severity="info">{translate("ordo.packs.kept", { assets: preview.kept.join(", ") })}</Alert>
                )}
                {!preview.passed && <Alert severity="error">{translate("ordo.packs.tests_fail")}</Alert>}
                <Button
                  variant="contained"
                  sx={{ mt: 1 }}
                  disabled={busy || !preview.passed || !preview.assets.length}
                  onClick={() => upgrade(false)}
                >
                  {translate("ordo.packs.confirm_upgrade")}
                </Button>
              </Box>
            )}
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
