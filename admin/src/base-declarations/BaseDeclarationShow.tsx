import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from "@mui/material";
import { useState } from "react";
import {
  Datagrid,
  FunctionField,
  Pagination,
  ReferenceManyField,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { api, errorBody, errorMessage } from "../api/http";
import { useSession } from "../api/useSession";
import { EntityField } from "../entities/EntityField";
import { EntityShow } from "../entities/EntityShow";

type Row = Record<string, unknown>;
const LINE_COLUMNS = ["employeeId", "method", "months", "computedWage", "base", "reason", "editedAt"];

/** One declaration with its lines; a draft's lines are edited one by one (with a reason) and then confirmed. */
export const BaseDeclarationShow = () => (
  <EntityShow>
    <DeclarationLines />
  </EntityShow>
);

const DeclarationLines = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { entities } = useSession();
  const [editing, setEditing] = useState<Row | null>(null);
  const lines = entities?.find((e) => e.name === "base-declaration-lines");
  if (!record || !lines) return null;
  const draft = record.status === "draft";
  const confirm = async () => {
    if (!window.confirm(translate("ordo.base_declaration.confirm_question"))) return;
    try {
      await api(`/base-declarations/${encodeURIComponent(String(record.id))}/confirm`, { method: "POST" });
      notify(translate("ordo.base_declaration.confirmed"), { type: "success" });
      refresh();
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
  };
  return (
    <Box sx={{ p: 2 }}>
      {draft && (
        <Button variant="contained" onClick={confirm} sx={{ mb: 2 }}>
          {translate("ordo.base_declaration.confirm")}
        </Button>
      )}
      <ReferenceManyField
        reference="base-declaration-lines"
        target="declarationId"
        sort={{ field: "createdAt", order: "ASC" }}
        perPage={25}
        pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
      >
        <Datagrid bulkActionButtons={false} rowClick={false}>
          {LINE_COLUMNS.map((f) => (
            <EntityField key={f} entity={lines} source={f} sortable={false} />
          ))}
          <FunctionField
            label={translate("ordo.base_declaration.bases")}
            render={(line: Row) =>
              Object.entries((line.bases ?? {}) as Record<string, string>)
                .map(([insurance, base]) => `${translate(`ordo.si.insurances.${insurance}`, { _: insurance })} ${base}`)
                .join(" · ")
            }
          />
          {draft ? (
            <FunctionField
              render={(line: Row) => (
                <Button size="small" onClick={() => setEditing(line)}>
                  {translate("ordo.base_declaration.edit")}
                </Button>
              )}
            />
          ) : null}
        </Datagrid>
      </ReferenceManyField>
      {editing && (
        <EditLineDialog
          declarationId={String(record.id)}
          line={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
    </Box>
  );
};

const EditLineDialog = (props: { declarationId: string; line: Row; onClose: () => void; onSaved: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [base, setBase] = useState(String(props.line.base ?? ""));
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async () => {
    try {
      const path = `/base-declarations/${encodeURIComponent(props.declarationId)}/lines/${encodeURIComponent(
        String(props.line.id),
      )}`;
      await api(path, { method: "PATCH", body: { base, reason } });
      notify(translate("ordo.base_declaration.saved"), { type: "success" });
      props.onSaved();
    } catch (e) {
      const b = errorBody(e);
      // Field errors name the field ("reason") or its JSON pointer ("/reason").
      setErrors(Object.fromEntries(Object.entries(b.errors ?? {}).map(([k, v]) => [k.replace(/^\//, ""), v])));
      notify(errorMessage(e), { type: "error" });
    }
  };
  return (
    <Dialog open onClose={props.onClose}>
      <DialogTitle>{translate("ordo.base_declaration.edit_title")}</DialogTitle>
      <DialogContent sx={{ display: "flex", flexDirection: "column", gap: 2, minWidth: 400, pt: 1 }}>
        <TextField
          margin="dense"
          label={translate("resources.base-declaration-lines.fields.base")}
          value={base}
          onChange={(e) => setBase(e.target.value)}
          error={!!errors.base}
          helperText={errors.base}
        />
        <TextField
          label={translate("resources.base-declaration-lines.fields.reason")}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          multiline
          error={!!errors.reason}
          helperText={errors.reason ?? translate("ordo.base_declaration.reason_help")}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{translate("ra.action.cancel")}</Button>
        <Button variant="contained" onClick={save}>
          {translate("ra.action.save")}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
