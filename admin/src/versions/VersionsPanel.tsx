import PublishIcon from "@mui/icons-material/Publish";
import {
  Box,
  Button,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { Confirm, useNotify, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import type { VersionRow } from "../types";
import { JsonDiff } from "../monaco/JsonDiff";
import { DiffView, type DiffResult } from "./DiffView";
import { PublishDialog } from "./PublishDialog";

/**
 * The JSON of two versions (or a version and the draft) for a side-by-side comparison: a version's content,
 * and the draft's fields that content has (the draft record also carries its name, revision, …).
 */
async function documentTexts(base: string, a: string, b: string) {
  const version = async (v: string) =>
    (await api<{ content: Record<string, unknown> }>(`${base}/versions/${v}`)).content ?? {};
  const fetched = await Promise.all([a, b].map((v) => (v === "draft" ? null : version(v))));
  const fields = Object.keys(fetched.find((c) => c) ?? {});
  const draft =
    a === "draft" || b === "draft"
      ? await api<Record<string, unknown>>(base).then((rec) =>
          Object.fromEntries(fields.filter((f) => rec[f] !== undefined).map((f) => [f, rec[f]])),
        )
      : {};
  const text = (c: Record<string, unknown> | null) => JSON.stringify(c ?? draft, null, 2);
  return { original: text(fetched[0] ?? null), modified: text(fetched[1] ?? null) };
}

/** Versions tab shared by rule sets and policy tables: list, diff, publish, roll back. */
export const VersionsPanel = ({
  base,
  onChanged,
  canPublish = true,
  sideBySide = false,
}: {
  base: string;
  onChanged: () => void;
  canPublish?: boolean;
  /** Also show both documents side by side as JSON (rule sets, templates; not 60,000-row tables). */
  sideBySide?: boolean;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [versions, setVersions] = useState<VersionRow[]>([]);
  const [from, setFrom] = useState<string>("");
  const [to, setTo] = useState<string>("draft");
  const [diff, setDiff] = useState<DiffResult | null>(null);
  const [texts, setTexts] = useState<{ original: string; modified: string } | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [rollback, setRollback] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await api<VersionRow[]>(`${base}/versions?sort=${encodeURIComponent('["version","DESC"]')}`);
      const sorted = [...list].sort((a, b) => b.version - a.version);
      setVersions(sorted);
      setDiff(null); // a new version makes the shown comparison stale
      if (sorted[0]) setFrom((f) => f || String(sorted[0].version));
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
  }, [base, notify]);
  useEffect(() => {
    load();
  }, [load]);

  const compare = async () => {
    try {
      setDiff(await api<DiffResult>(`${base}/versions/${from}/diff/${to}`));
      if (sideBySide) setTexts(await documentTexts(base, from, to));
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
  };

  const doRollback = async () => {
    if (rollback == null) return;
    try {
      await api(`${base}/rollback`, { body: { version: rollback, note: `rollback to v${rollback}` } });
      notify(translate("ordo.versions.rolled_back", { version: rollback }), { type: "success" });
      await load();
      onChanged();
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
    setRollback(null);
  };

  const options = [
    <MenuItem key="draft" value="draft">
      {translate("ordo.rule_sets.draft")}
    </MenuItem>,
  ].concat(
    versions.map((v) => (
      <MenuItem key={v.version} value={String(v.version)}>
        v{v.version}
      </MenuItem>
    )),
  );

  return (
    <Box>
      {canPublish && (
        <Button
          variant="contained"
          startIcon={<PublishIcon />}
          onClick={() => setPublishing(true)}
          data-testid="publish"
        >
          {translate("ordo.versions.publish")}
        </Button>
      )}
      {!versions.length ? (
        <Typography sx={{ mt: 2 }} color="text.secondary">
          {translate("ordo.versions.none")}
        </Typography>
      ) : (
        <Table size="small" sx={{ mt: 2 }} data-testid="versions">
          <TableHead>
            <TableRow>
              {["version", "author", "created_at", "effective_from", "published_on", "note", "checksum"].map((k) => (
                <TableCell key={k}>{translate(`ordo.versions.${k}`)}</TableCell>
              ))}
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {versions.map((v) => (
              <TableRow key={v.version}>
                <TableCell>v{v.version}</TableCell>
                <TableCell>{v.author}</TableCell>
                <TableCell>{v.createdAt ? new Date(v.createdAt).toLocaleString() : ""}</TableCell>
                <TableCell>{v.effectiveFrom?.slice(0, 10)}</TableCell>
                <TableCell>{v.publishedOn?.slice(0, 10) ?? ""}</TableCell>
                <TableCell>{v.note}</TableCell>
                <TableCell>
                  <code>{v.checksum?.slice(0, 10)}</code>
                </TableCell>
                <TableCell>
                  {canPublish && (
                    <Button size="small" onClick={() => setRollback(v.version)}>
                      {translate("ordo.versions.rollback")}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Box sx={{ display: "flex", gap: 2, alignItems: "center", mt: 3 }}>
        <TextField
          select
          size="small"
          label={translate("ordo.versions.from")}
          slotProps={{ htmlInput: { "data-testid": "diff-from" } }}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          sx={{ minWidth: 120 }}
        >
          {options}
        </TextField>
        <TextField
          select
          size="small"
          label={translate("ordo.versions.to")}
          value={to}
          onChange={(e) => setTo(e.target.value)}
          sx={{ minWidth: 120 }}
        >
          {options}
        </TextField>
        <Button variant="outlined" onClick={compare} disabled={!from || !to} data-testid="diff-compare">
          {translate("ordo.versions.diff")}
        </Button>
      </Box>
      {diff && (
        <Box sx={{ mt: 2 }}>
          <DiffView diff={diff} />
          {texts && (
            <Box sx={{ mt: 2, border: 1, borderColor: "divider" }}>
              <JsonDiff original={texts.original} modified={texts.modified} />
            </Box>
          )}
        </Box>
      )}
      <PublishDialog
        base={base}
        open={publishing}
        onClose={() => setPublishing(false)}
        onDone={() => {
          load();
          onChanged();
        }}
      />
      <Confirm
        isOpen={rollback != null}
        title={translate("ordo.versions.rollback_title", { version: rollback ?? "" })}
        content={translate("ordo.versions.rollback_help", { version: rollback ?? "" })}
        onConfirm={doRollback}
        onClose={() => setRollback(null)}
      />
    </Box>
  );
};
