import {
  CreateButton,
  Datagrid,
  DateField,
  EditButton,
  List,
  NumberField,
  TextField,
  TextInput,
  TopToolbar,
  useTranslate,
} from "react-admin";

import { useCanAuthor } from "../api/useCanAuthor";

const Actions = () => <TopToolbar>{useCanAuthor() && <CreateButton />}</TopToolbar>;

export const RuleSetList = () => {
  const translate = useTranslate();
  return (
    <List
      actions={<Actions />}
      filters={[<TextInput key="q" source="q" label={translate("ra.action.search")} alwaysOn />]}
      sort={{ field: "key", order: "ASC" }}
    >
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="key" label={translate("ordo.rule_sets.key")} />
        <TextField source="name" />
        <TextField source="industry" label={translate("ordo.rule_sets.industry")} />
        <NumberField source="revision" label={translate("ordo.rule_sets.revision")} />
        <NumberField source="latestVersion" label={translate("ordo.rule_sets.latest_version")} />
        <DateField source="updatedAt" showTime label={translate("ordo.rule_sets.updated_at")} />
        <EditButton />
      </Datagrid>
    </List>
  );
};
