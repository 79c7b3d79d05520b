import SaveIcon from "@mui/icons-material/Save";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Tab,
  Tabs,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from "@mui/material";
import { useRef, useState } from "react";
import { Loading, Title, useTranslate } from "react-admin";
import { useParams } from "react-router-dom";
import { useCanAuthor, useReadOnlyReason } from "../api/useCanAuthor";
import { useUnsavedChanges } from "../api/useUnsavedChanges";
import { JsonEditor } from "../monaco/JsonEditor";
import { VersionsPanel } from "../versions/VersionsPanel";
import { RecordHistory } from "../audit/RecordHistory";
import { VisualRuleBuilder } from "./builder";
import { useCatalogues } from "./catalogues";
import { EvaluatePanel } from "./EvaluatePanel";
import { ProblemsList } from "./ProblemsList";
import { TestCasesTab } from "./TestCasesTab";
import { useEditorSchema } from "./useEditorSchema";
import { useRuleSetDraft } from "./useRuleSetDraft";

const TABS = ["rules", "tests", "evaluate", "versions", "history"] as const;
const MODES = ["visual", "split", "json"] as const;
type Mode = (typeof MODES)[number];
const MODE_KEY = "ordo.ruleEditorMode";
const savedMode = (): Mode => {
  const m = typeof localStorage === "undefined" ? null : localStorage.getItem(MODE_KEY);
  return (MODES as readonly string[]).includes(m ?? "") ? (m as Mode) : "json";
};

export const RuleSetEdit = () => {
  const { id = "" } = useParams();
  const translate = useTranslate();
  const draft = useRuleSetDraft(id);
  const canAuthor = useCanAuthor();
  const readOnlyReason = useReadOnlyReason();
  useUnsavedChanges(draft.dirty);
  const schema = useEditorSchema(draft.docText);
  const [tab, setTab] = useState<(typeof TABS)[number]>("rules");
  const reveal = useRef<(pointer: string) => void>(() => undefined);
  const catalogues = useCatalogues();
  const [mode, setModeState] = useState<Mode>(savedMode);
  const setMode = (m: Mode) => {
    setModeState(m);
    localStorage.setItem(MODE_KEY, m);
  };
  const [ruleIndex, setRuleIndex] = useState(0);
  const selectProblem = (pointer: string) => {
    const hit = pointer.match(/^\/rules\/(\d+)/);
    if (hit) setRuleIndex(Number(hit[1]));
    if (mode !== "visual") reveal.current(pointer);
  };

  if (draft.loadError)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {draft.loadError}
      </Alert>
    );
  const { record } = draft;
  if (!record) return <Loading />;
  const firstTestFacts = JSON.stringify(record.testCases?.[0]?.facts ?? {}, null, 2);

  return (
    <Box sx={{ mt: 1 }}>
      <Title title={`${record.name} (${record.key})`} />
      <Card>
        <CardContent>
          <Box sx={{ display: "flex", alignItems: "center", gap: 1, flexWrap: "wrap" }}>
            <Typography variant="h6" sx={{ mr: 2 }}>
              {record.name}
            </Typography>
            <Chip size="small" label={`${translate("ordo.rule_sets.revision")} ${record.revision}`} />
            <Chip
              size="small"
              color={record.latestVersion ? "primary" : "default"}
              label={record.latestVersion ? `v${record.latestVersion}` : translate("ordo.rule_sets.latest_none")}
            />
            {draft.dirty && (
              <Chip size="small" color="warning" label={translate("ordo.rule_sets.dirty")} data-testid="dirty" />
            )}
            <Box sx={{ flex: 1 }} />
            <Button
              variant="contained"
              startIcon={<SaveIcon />}
              onClick={() => draft.save()}
              disabled={!canAuthor || draft.saving || !draft.dirty}
              data-testid="save-rule-set"
            >
              {translate("ordo.rule_sets.save")}
            </Button>
          </Box>
          {draft.stale && (
            <Alert
              severity="warning"
              sx={{ mt: 1 }}
              action={<Button onClick={() => draft.load(false)}>{translate("ordo.rule_sets.reload")}</Button>}
            >
              {translate("ordo.rule_sets.stale")}
            </Alert>
          )}
          {readOnlyReason && (
            <Alert severity="info" sx={{ mt: 1 }} data-testid="read-only-reason">
              {readOnlyReason}
            </Alert>
          )}
          <Tabs value={tab} onChange={(_, v) => setTab(v)} sx={{ borderBottom: 1, borderColor: "divider", mb: 2 }}>
            {TABS.map((t) => (
              <Tab key={t} value={t} label={translate(`ordo.rule_sets.tabs.${t}`)} data-testid={`tab-${t}`} />
            ))}
          </Tabs>
          <Box sx={{ display: tab === "rules" ? "block" : "none" }}>
            <ToggleButtonGroup
              size="small"
              exclusive
              value={mode}
              onChange={(_, m) => m && setMode(m)}
              sx={{ mb: 2 }}
              aria-label={translate("ordo.rule_sets.tabs.rules")}
            >
              {MODES.map((m) => (
                <ToggleButton key={m} value={m} data-testid={`mode-${m}`}>
                  {translate(`ordo.builder.mode_${m}`)}
                </ToggleButton>
              ))}
            </ToggleButtonGroup>
            <Box sx={{ display: "flex", gap: 2, alignItems: "flex-start" }}>
              {mode !== "json" && (
                <Box sx={{ flex: mode === "split" ? "1 1 55%" : 1, minWidth: 0 }}>
                  {catalogues ? (
                    <VisualRuleBuilder
                      docText={draft.docText}
                      onChange={draft.editDoc}
                      catalogues={catalogues}
                      markers={draft.docMarkers}
                      readOnly={!!readOnlyReason}
                      selected={ruleIndex}
                      onSelect={setRuleIndex}
                      narrow={mode === "split"}
                    />
                  ) : (
                    <Loading />
                  )}
                </Box>
              )}
              <Box
                sx={{
                  flex: mode === "split" ? "1 1 45%" : 1,
                  minWidth: 0,
                  display: mode === "visual" ? "none" : "block",
                }}
              >
                <JsonEditor
                  path={`rule-sets/${record.key}.json`}
                  value={draft.docText}
                  onChange={draft.editDoc}
                  schema={schema}
                  markers={draft.docMarkers}
                  onReveal={(fn) => (reveal.current = fn)}
                  readOnlyReason={readOnlyReason}
                  height={mode === "split" ? "75vh" : "60vh"}
                />
              </Box>
            </Box>
            <ProblemsList markers={draft.docMarkers} onSelect={selectProblem} />
          </Box>
          {tab === "tests" && <TestCasesTab draft={draft} ruleSetKey={record.key} />}
          {tab === "evaluate" && (
            <EvaluatePanel ruleSetKey={record.key} initialFacts={firstTestFacts} latestVersion={record.latestVersion} />
          )}
          {tab === "versions" && (
            <VersionsPanel
              base={`/rule-sets/${encodeURIComponent(record.key)}`}
              onChanged={() => draft.load(draft.dirty)}
              canPublish={canAuthor}
              sideBySide
            />
          )}
          {tab === "history" && <RecordHistory resource="rule-set" id={record.key} />}
        </CardContent>
      </Card>
    </Box>
  );
};
