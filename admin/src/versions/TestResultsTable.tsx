import { Chip, Table, TableBody, TableCell, TableHead, TableRow } from "@mui/material";
import { useTranslate } from "react-admin";
import type { TestResult } from "../types";

export const TestResultsTable = ({ results }: { results: TestResult[] }) => {
  const translate = useTranslate();
  return (
    <Table size="small" data-testid="test-results">
      <TableHead>
        <TableRow>
          <TableCell>{translate("ordo.rule_sets.test_case")}</TableCell>
          <TableCell />
          <TableCell>{translate("ordo.common.details")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {results.map((r, i) => (
          <TableRow key={i} data-passed={String(r.passed)}>
            <TableCell>{r.name}</TableCell>
            <TableCell>
              <Chip
                size="small"
                color={r.passed ? "success" : "error"}
                label={translate(r.passed ? "ordo.rule_sets.passed" : "ordo.rule_sets.failed")}
              />
            </TableCell>
            <TableCell>
              {(r.differences ?? []).map((d, j) => (
                <div key={j} style={{ color: "#c62828", fontFamily: "monospace", fontSize: 12 }}>
                  {d}
                </div>
              ))}
              {r.passed && r.events?.length ? (
                <span style={{ fontFamily: "monospace", fontSize: 12 }}>{r.events.map((e) => e.type).join(", ")}</span>
              ) : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
