import UploadFileIcon from "@mui/icons-material/UploadFile";
import {
  Alert,
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useState } from "react";
import { useNotify, useTranslate } from "react-admin";
import { apiText, errorBody, errorMessage } from "../api/http";

interface CsvError {
  line: number;
  column?: string;
  message: string;
}

/** POST text/csv to /import; a 400 INVALID_CSV lists its errors per line. */
export const CsvImport = ({
  tableKey,
  revision,
  onImported,
}: {
  tableKey: string;
  revision: number;
  onImported: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [text, setText] = useState("");
  const [errors, setErrors] = useState<CsvError[] | null>(null);

  const pickFile = async (file: File | undefined) => {
    if (file) setText(await file.text());
  };
  const submit = async () => {
    setErrors(null);
    try {
      // The revision we loaded: a draft changed meanwhile answers 409 instead of being overwritten.
      const { text: answer } = await apiText(
        `/policy-tables/${encodeURIComponent(tableKey)}/import?revision=${revision}`,
        { method: "POST", body: text, contentType: "text/csv" },
      );
      const imported = (JSON.parse(answer) as { imported?: number }).imported ?? 0;
      notify(translate("ordo.policy.imported", { smart_count: imported }), { type: "success" });
      onImported();
    } catch (e) {
      const b = errorBody(e);
      const list = (b.details?.errors as CsvError[] | undefined) ?? null;
      if (list) setErrors(list);
      notify(list ? translate("ordo.policy.import_errors", { smart_count: list.length }) : errorMessage(e), {
        type: "error",
      });
    }
  };

  const lines = text.split(/\r?\n/);
  return (
    <Box>
      <Typography variant="body2" color="text.secondary">
        {translate("ordo.policy.import_help")}
      </Typography>
      <Button component="label" startIcon={<UploadFileIcon />} sx={{ my: 1 }}>
        {translate("ordo.policy.choose_file")}
        <input type="file" accept=".csv,text/csv" hidden onChange={(e) => pickFile(e.target.files?.[0])} />
      </Button>
      <TextField
        multiline
        minRows={8}
        maxRows={20}
        fullWidth
        value={text}
        onChange={(e) => setText(e.target.value)}
        slotProps={{ htmlInput: { style: { fontFamily: "monospace", fontSize: 13 }, "data-testid": "csv-text" } }}
      />
      <Button variant="contained" sx={{ mt: 1 }} onClick={submit} disabled={!text.trim()} data-testid="import-csv">
        {translate("ordo.policy.import")}
      </Button>
      {errors && (
        <Box sx={{ mt: 2 }}>
          <Alert severity="error">{translate("ordo.policy.import_errors", { smart_count: errors.length })}</Alert>
          <Table size="small" data-testid="csv-errors">
            <TableHead>
              <TableRow>
                <TableCell>{translate("ordo.policy.line")}</TableCell>
                <TableCell>{translate("ordo.policy.column")}</TableCell>
                <TableCell>{translate("ordo.policy.message")}</TableCell>
                <TableCell>CSV</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {errors.map((e, i) => (
                <TableRow key={i}>
                  <TableCell>{e.line}</TableCell>
                  <TableCell>{e.column}</TableCell>
                  <TableCell sx={{ color: "error.main" }}>{e.message}</TableCell>
                  <TableCell>
                    <code style={{ fontSize: 12 }}>{lines[e.line - 1]?.slice(0, 120)}</code>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
};
