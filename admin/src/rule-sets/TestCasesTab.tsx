import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import { Alert, Box, Button, Typography } from "@mui/material";
import { useState } from "react";
import { useNotify, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { useReadOnlyReason } from "../api/useCanAuthor";
import { JsonEditor } from "../monaco/JsonEditor";
import type { TestResult } from "../types";
import { TestResultsTable } from "../versions/TestResultsTable";
import type { RuleSetDraft } from "./useRuleSetDraft";

export const TestCasesTab = ({ draft, ruleSetKey }: { draft: RuleSetDraft; ruleSetKey: string }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const readOnlyReason = useReadOnlyReason();
  const [results, setResults] = useState<TestResult[] | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    if (draft.dirty && !(await draft.save())) return;
    setRunning(true);
    try {
      const res = await api<{ results: TestResult[] }>(`/rule-sets/${encodeURIComponent(ruleSetKey)}/test`, {
        body: {},
      });
      setResults(res.results);
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setRunning(false);
    }
  };
  const passed = results?.filter((r) => r.passed).length ?? 0;

  return (
    <Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate("ordo.rule_sets.tests_help")}
      </Typography>
      <JsonEditor
        path={`rule-sets/${ruleSetKey}.tests.json`}
        value={draft.testsText}
        onChange={draft.editTests}
        markers={draft.testMarkers}
        height={380}
        readOnlyReason={readOnlyReason}
      />
      <Button
        variant="contained"
        sx={{ mt: 1 }}
        startIcon={<PlayArrowIcon />}
        onClick={run}
        disabled={running}
        data-testid="run-tests"
      >
        {translate("ordo.rule_sets.run_tests")}
      </Button>
      {results && (
        <Box sx={{ mt: 2 }}>
          <Alert severity={passed === results.length ? "success" : "error"} data-testid="tests-summary">
            {translate("ordo.rule_sets.summary", { passed, failed: results.length - passed })}
          </Alert>
          <TestResultsTable results={results} />
        </Box>
      )}
    </Box>
  );
};
