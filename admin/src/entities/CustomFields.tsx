import DeleteIcon from "@mui/icons-material/Delete";
import {
  Box,
  Card,
  CardContent,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { useState } from "react";
import {
  BooleanInput,
  Button,
  Confirm,
  Form,
  SaveButton,
  SelectInput,
  TextInput,
  Title,
  regex,
  required,
  useNotify,
  useTranslate,
} from "react-admin";
import { Link, useParams } from "react-router-dom";
import { loadEntities } from "../api/entities";
import { api, errorBody, errorMessage } from "../api/http";
import { useSession } from "../api/useSession";
import { useLocalized } from "../i18n/useLocalized";
import type { CustomField } from "../types";

const TYPES = ["string", "number", "integer", "boolean"].map((id) => ({ id, name: id }));
const FORMATS = [{ id: "date", name: "date" }];

interface FieldForm {
  name: string;
  labelEn: string;
  labelZh: string;
  type: CustomField["schema"]["type"];
  format?: string;
  enumText?: string;
  filterable?: boolean;
  sortable?: boolean;
}

/** Adds and removes custom fields of one entity; the catalogue is re-fetched afterwards. */
export const CustomFields = () => {
  const { entity: name = "" } = useParams();
  const { entities } = useSession();
  const entity = entities?.find((e) => e.name === name);
  const translate = useTranslate();
  const localized = useLocalized();
  const notify = useNotify();
  const [removing, setRemoving] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);

  const add = async (values: Record<string, unknown>) => {
    const v = values as unknown as FieldForm;
    const enumValues = v.enumText
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const schema: Record<string, unknown> = { type: v.type };
    if (v.type === "string" && v.format) schema.format = v.format;
    if (enumValues?.length) schema.enum = v.type === "string" ? enumValues : enumValues.map(Number);
    try {
      await api(`/entities/${name}/fields`, {
        body: {
          name: v.name,
          label: { en: v.labelEn, zh: v.labelZh || v.labelEn },
          schema,
          filterable: !!v.filterable,
          sortable: !!v.sortable,
        },
      });
      await loadEntities();
      notify(translate("ordo.custom_fields.added", { name: v.name }), { type: "success" });
      setFormKey((k) => k + 1);
    } catch (e) {
      const errors = errorBody(e).errors;
      notify(errorMessage(e), { type: "error" });
      if (errors) return errors; // react-admin shows them next to the inputs
    }
  };

  const remove = async () => {
    if (!removing) return;
    try {
      await api(`/entities/${name}/fields/${removing}`, { method: "DELETE" });
      await loadEntities();
      notify(translate("ordo.custom_fields.removed", { name: removing }), { type: "success" });
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
    setRemoving(null);
  };

  const title = translate("ordo.custom_fields.title", { entity: localized(entity?.label, name) });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={title} />
      <Button component={Link} to={`/${name}`} label={translate("ordo.custom_fields.back")} />
      <Card sx={{ mt: 1 }}>
        <CardContent>
          <Typography variant="h6">{translate("ordo.custom_fields.existing")}</Typography>
          {!entity?.customFields?.length ? (
            <Typography color="text.secondary">{translate("ordo.custom_fields.none")}</Typography>
          ) : (
            <Table size="small" data-testid="custom-fields-table">
              <TableHead>
                <TableRow>
                  <TableCell>{translate("ordo.custom_fields.name")}</TableCell>
                  <TableCell>{translate("ordo.custom_fields.label_en")}</TableCell>
                  <TableCell>{translate("ordo.custom_fields.label_zh")}</TableCell>
                  <TableCell>{translate("ordo.custom_fields.type")}</TableCell>
                  <TableCell>{translate("ordo.custom_fields.filterable")}</TableCell>
                  <TableCell>{translate("ordo.custom_fields.sortable")}</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {entity.customFields.map((f) => (
                  <TableRow key={f.name}>
                    <TableCell>
                      <code>{f.name}</code>
                    </TableCell>
                    <TableCell>{f.label?.en}</TableCell>
                    <TableCell>{f.label?.zh}</TableCell>
                    <TableCell>
                      {String(f.schema?.type ?? "")}
                      {f.schema?.format ? ` (${f.schema.format})` : ""}
                      {f.schema?.enum ? ` [${f.schema.enum.join(", ")}]` : ""}
                    </TableCell>
                    <TableCell>{f.filterable ? "✓" : ""}</TableCell>
                    <TableCell>{f.sortable ? "✓" : ""}</TableCell>
                    <TableCell>
                      <IconButton
                        aria-label={translate("ordo.custom_fields.remove")}
                        onClick={() => setRemoving(f.name)}
                      >
                        <DeleteIcon />
                      </IconButton>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Card sx={{ mt: 2 }}>
        <CardContent>
          <Typography variant="h6">{translate("ordo.custom_fields.add")}</Typography>
          <Form key={formKey} onSubmit={add} defaultValues={{ type: "string" }}>
            <Box
              sx={{
                display: "grid",
                gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))",
                columnGap: 2,
                alignItems: "start",
              }}
            >
              <TextInput
                source="name"
                id="name"
                label={translate("ordo.custom_fields.name")}
                helperText={translate("ordo.custom_fields.name_help")}
                validate={[required(), regex(/^[a-z][A-Za-z0-9]*$/, "ordo.custom_fields.name_help")]}
              />
              <TextInput
                source="labelEn"
                id="labelEn"
                label={translate("ordo.custom_fields.label_en")}
                validate={required()}
              />
              <TextInput source="labelZh" id="labelZh" label={translate("ordo.custom_fields.label_zh")} />
              <SelectInput
                source="type"
                id="type"
                label={translate("ordo.custom_fields.type")}
                choices={TYPES}
                validate={required()}
              />
              <SelectInput
                source="format"
                id="format"
                label={translate("ordo.custom_fields.format")}
                choices={FORMATS}
                emptyText="—"
              />
              <TextInput
                source="enumText"
                id="enumText"
                label={translate("ordo.custom_fields.enum")}
                helperText={translate("ordo.custom_fields.enum_help")}
              />
              <BooleanInput source="filterable" id="filterable" label={translate("ordo.custom_fields.filterable")} />
              <BooleanInput source="sortable" id="sortable" label={translate("ordo.custom_fields.sortable")} />
            </Box>
            <SaveButton label={translate("ordo.custom_fields.add")} alwaysEnable />
          </Form>
        </CardContent>
      </Card>
      <Confirm
        isOpen={!!removing}
        title={translate("ordo.custom_fields.remove")}
        content={translate("ordo.custom_fields.remove_confirm", { name: removing ?? "" })}
        onConfirm={remove}
        onClose={() => setRemoving(null)}
      />
    </Box>
  );
};
