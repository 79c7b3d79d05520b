import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import { Alert, Box, Button } from "@mui/material";
import { useEffect, useState } from "react";
import { useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { JsonEditor } from "../monaco/JsonEditor";
import type { TestResult } from "../types";
import { TestResultsTable } from "../versions/TestResultsTable";

/** The test cases as JSON, and a run of them against the saved draft. */
export const TemplateTestsTab = ({
  templateKey,
  testCases,
  onChange,
  dirty,
  readOnlyReason,
}: {
  templateKey: string;
  testCases: unknown[];
  onChange: (cases: unknown[]) => void;
  dirty: boolean;
  readOnlyReason?: string;
}) => {
  const translate = useTranslate();
  const [text, setText] = useState(() => JSON.stringify(testCases, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  const [results, setResults] = useState<TestResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((t) => {
      try {
        if (JSON.stringify(JSON.parse(t)) === JSON.stringify(testCases)) return t;
      } catch {
        /* keep what the author is typing */
        return t;
      }
      return JSON.stringify(testCases, null, 2);
    });
  }, [testCases]);
  const change = (t: string) => {
    setText(t);
    try {
      const v = JSON.parse(t);
      if (!Array.isArray(v)) throw new Error(translate("ordo.reminders.tests_list"));
      setParseError(null);
      onChange(v);
    } catch (e) {
      setParseError((e as Error).message);
    }
  };
  const run = async () => {
    try {
      const r = await api<{ results: TestResult[] }>(`/reminder-templates/${encodeURIComponent(templateKey)}/test`, {
        body: {},
      });
      setResults(r.results);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Box>
      <Alert severity="info" sx={{ mb: 1 }}>
        {translate("ordo.reminders.tests_help")}
      </Alert>
      <JsonEditor
        path={`reminder-templates/${templateKey}/testCases.json`}
        value={text}
        onChange={change}
        readOnlyReason={readOnlyReason}
        height="40vh"
      />
      {parseError && <Alert severity="error">{parseError}</Alert>}
      <Box sx={{ display: "flex", gap: 1, alignItems: "center", my: 1 }}>
        <Button variant="outlined" startIcon={<PlayArrowIcon />} onClick={run} data-testid="run-template-tests">
          {translate("ordo.reminders.run_tests")}
        </Button>
        {dirty && <span style={{ fontSize: 13 }}>{translate("ordo.reminders.tests_saved_draft")}</span>}
      </Box>
      {error && <Alert severity="error">{error}</Alert>}
      {results && <TestResultsTable results={results} />}
    </Box>
  );
};
