import DownloadIcon from "@mui/icons-material/Download";
import SaveIcon from "@mui/icons-material/Save";
import { Alert, Box, Button, Card, CardContent, Chip, Tab, Tabs, Typography } from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { Loading, Title, useNotify, useTranslate } from "react-admin";
import { useParams } from "react-router-dom";
import { api, apiText, errorBody, errorMessage } from "../api/http";
import { useCanAuthor, useReadOnlyReason } from "../api/useCanAuthor";
import { useUnsavedChanges } from "../api/useUnsavedChanges";
import type { Diagnostic, PolicyRow, PolicyTableRecord } from "../types";
import { VersionsPanel } from "../versions/VersionsPanel";
import { RecordHistory } from "../audit/RecordHistory";
import { CsvImport } from "./CsvImport";
import { RowsGrid } from "./RowsGrid";

/** Groups server diagnostics such as `/rows/3/values/rate` by row index. */
function rowErrors(list: Diagnostic[] | undefined): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const d of list ?? []) {
    const m = /^\/rows\/(\d+)/.exec(d.pointer ?? "");
    if (m) (out[Number(m[1])] ??= []).push(`${d.pointer.replace(/^\/rows\/\d+/, "")}: ${d.message}`);
  }
  return out;
}

export const PolicyTableEdit = () => {
  const { id = "" } = useParams();
  const translate = useTranslate();
  const notify = useNotify();
  const [table, setTable] = useState<PolicyTableRecord | null>(null);
  const [rows, setRows] = useState<PolicyRow[]>([]);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<number, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [tab, setTab] = useState("rows");
  const canAuthor = useCanAuthor();
  const readOnlyReason = useReadOnlyReason();
  useUnsavedChanges(dirty);
  const base = `/policy-tables/${encodeURIComponent(id)}`;

  const load = useCallback(async () => {
    try {
      const t = await api<PolicyTableRecord>(base);
      setTable(t);
      setRows(t.rows ?? []);
      setDirty(false);
      setErrors({});
      setMessage(null);
    } catch (e) {
      setMessage(errorMessage(e));
    }
  }, [base]);
  useEffect(() => {
    load();
  }, [load]);

  const save = async () => {
    if (!table) return;
    try {
      const saved = await api<PolicyTableRecord>(base, {
        method: "PUT",
        body: { ...table, rows, revision: table.revision },
      });
      setTable({ ...table, ...saved });
      setRows(saved.rows ?? rows);
      setDirty(false);
      setErrors({});
      setMessage(null);
      notify(translate("ordo.rule_sets.saved", { revision: saved.revision }), { type: "success" });
    } catch (e) {
      const b = errorBody(e);
      if (b.code === "STALE_REVISION") setMessage(translate("ordo.rule_sets.stale"));
      else setMessage(errorMessage(e));
      setErrors(rowErrors(b.details?.errors as Diagnostic[] | undefined));
      notify(errorMessage(e), { type: "error" });
    }
  };

  const exportCsv = async () => {
    try {
      const { text } = await apiText(`${base}/export`);
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      const a = Object.assign(document.createElement("a"), { href: url, download: `${id}.csv` });
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
  };

  if (!table)
    return message ? (
      <Alert severity="error" sx={{ mt: 2 }}>
        {message}
      </Alert>
    ) : (
      <Loading />
    );
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={`${table.name} (${table.key})`} />
      <Card>
        <CardContent>
          <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }}>
            <Typography variant="h6" sx={{ mr: 2 }}>
              {table.name}
            </Typography>
            <Chip size="small" label={`${translate("ordo.rule_sets.revision")} ${table.revision}`} />
            <Chip
              size="small"
              color={table.latestVersion ? "primary" : "default"}
              label={table.latestVersion ? `v${table.latestVersion}` : translate("ordo.rule_sets.latest_none")}
            />
            {dirty && <Chip size="small" color="warning" label={translate("ordo.rule_sets.dirty")} />}
            <Box sx={{ flex: 1 }} />
            <Button startIcon={<DownloadIcon />} onClick={exportCsv}>
              {translate("ordo.policy.export")}
            </Button>
            <Button
              variant="contained"
              startIcon={<SaveIcon />}
              onClick={save}
              disabled={!canAuthor || !dirty}
              data-testid="save-rows"
            >
              {translate("ordo.policy.save")}
            </Button>
          </Box>
          {table.description && (
            <Typography variant="body2" color="text.secondary">
              {table.description}
            </Typography>
          )}
          {message && (
            <Alert
              severity="error"
              sx={{ mt: 1 }}
              action={<Button onClick={load}>{translate("ordo.rule_sets.reload")}</Button>}
              data-testid="save-errors"
            >
              {message}
              {Object.entries(errors)
                .slice(0, 10)
                .map(([row, list]) => (
                  <div key={row} style={{ fontSize: 13 }}>
                    {translate("ordo.policy.row_n", { n: Number(row) + 1 })}: {list.join("; ")}
                  </div>
                ))}
            </Alert>
          )}
          {readOnlyReason && (
            <Alert severity="info" sx={{ mb: 1 }} data-testid="read-only-reason">
              {readOnlyReason}
            </Alert>
          )}
          <Tabs value={tab} onChange={(_, v) => setTab(v)} sx={{ borderBottom: 1, borderColor: "divider", mb: 2 }}>
            <Tab value="rows" label={translate("ordo.policy.rows")} />
            {canAuthor && <Tab value="import" label={translate("ordo.policy.import")} />}
            <Tab value="versions" label={translate("ordo.rule_sets.tabs.versions")} data-testid="tab-versions" />
            <Tab value="history" label={translate("ordo.audit.history")} data-testid="tab-history" />
          </Tabs>
          {tab === "rows" && (
            <RowsGrid
              table={table}
              rows={rows}
              errors={errors}
              readOnly={!canAuthor}
              onChange={(r) => {
                setRows(r);
                setDirty(true);
              }}
            />
          )}
          {tab === "import" && (
            <CsvImport
              tableKey={table.key}
              revision={table.revision}
              onImported={() => {
                load();
                setTab("rows");
              }}
            />
          )}
          {tab === "versions" && <VersionsPanel base={base} onChanged={load} canPublish={canAuthor} />}
          {tab === "history" && <RecordHistory resource="policy-table" id={table.key} />}
        </CardContent>
      </Card>
    </Box>
  );
};
