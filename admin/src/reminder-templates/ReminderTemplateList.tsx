import {
  CreateButton,
  Datagrid,
  DateField,
  EditButton,
  FunctionField,
  List,
  NumberField,
  TextField,
  TextInput,
  TopToolbar,
  useTranslate,
} from "react-admin";
import { useCanAuthor } from "../api/useCanAuthor";
import type { ReminderTemplateRecord } from "./types";

const Actions = () => <TopToolbar>{useCanAuthor() && <CreateButton />}</TopToolbar>;

export const ReminderTemplateList = () => {
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
        <FunctionField
          label={translate("ordo.reminders.audience")}
          render={(r: ReminderTemplateRecord) => translate(`ordo.reminders.audiences.${r.audience}`)}
        />
        <FunctionField
          label={translate("ordo.reminders.channels")}
          render={(r: ReminderTemplateRecord) =>
            (r.channels ?? []).map((c) => translate(`ordo.reminders.channel.${c}`)).join(", ")
          }
        />
        <NumberField source="revision" label={translate("ordo.rule_sets.revision")} />
        <NumberField source="latestVersion" label={translate("ordo.rule_sets.latest_version")} />
        <DateField source="updatedAt" showTime label={translate("ordo.rule_sets.updated_at")} />
        <EditButton />
      </Datagrid>
    </List>
  );
};
