import { Datagrid, FunctionField, List, NumberField, TextField, TextInput, useTranslate } from "react-admin";
import type { PolicyTableRecord } from "../types";

/** The list answers a row count instead of the rows (those come with the single table). */
type Listed = Omit<PolicyTableRecord, "rows"> & { rowCount?: number };

export const PolicyTableList = () => {
  const translate = useTranslate();
  return (
    <List
      filters={[<TextInput key="q" source="q" label={translate("ra.action.search")} alwaysOn />]}
      sort={{ field: "key", order: "ASC" }}
    >
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="key" label={translate("ordo.rule_sets.key")} />
        <TextField source="name" />
        <FunctionField
          label={translate("ordo.policy.key_columns")}
          render={(r: Listed) =>
            Object.keys(r.keyColumns ?? {})
              .map((c) => translate(`ordo.policy.columns.${c}`, { _: c }))
              .join("、")
          }
        />
        <FunctionField
          label={translate("ordo.policy.value_columns")}
          render={(r: Listed) =>
            Object.keys(r.valueColumns ?? {})
              .map((c) => translate(`ordo.policy.columns.${c}`, { _: c }))
              .join("、")
          }
        />
        <FunctionField label={translate("ordo.policy.rows")} render={(r: Listed) => r.rowCount ?? ""} />
        <NumberField source="revision" label={translate("ordo.rule_sets.revision")} />
        <NumberField source="latestVersion" label={translate("ordo.rule_sets.latest_version")} />
      </Datagrid>
    </List>
  );
};
