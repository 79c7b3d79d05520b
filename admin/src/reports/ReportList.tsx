import {
  CreateButton,
  Datagrid,
  DateField,
  EditButton,
  FunctionField,
  List,
  NumberField,
  TextField,
  TopToolbar,
  useTranslate,
} from "react-admin";
import { useCanAuthor } from "../api/useCanAuthor";

const Actions = () => <TopToolbar>{useCanAuthor() && <CreateButton />}</TopToolbar>;

export const ReportList = () => {
  const translate = useTranslate();
  return (
    <List actions={<Actions />} sort={{ field: "name", order: "ASC" }} perPage={50}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="name" label={translate("ordo.reports.name")} />
        <FunctionField
          source="dataset"
          label={translate("ordo.reports.dataset")}
          render={(r: { dataset?: string }) => translate(`ordo.reports.datasets.${r.dataset}`, { _: r.dataset ?? "" })}
        />
        <NumberField source="revision" label={translate("ordo.rule_sets.revision")} />
        <DateField source="updatedAt" showTime label={translate("ordo.rule_sets.updated_at")} />
        <EditButton />
      </Datagrid>
    </List>
  );
};
