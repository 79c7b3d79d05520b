import { Datagrid, DateField, DateTimeInput, List, TextField, TextInput, useTranslate } from "react-admin";

const filters = [
  <TextInput key="resource" source="resource" alwaysOn />,
  <TextInput key="resourceId" source="resourceId" alwaysOn />,
  <TextInput key="userId" source="userId" />,
  <TextInput key="operation" source="operation" />,
  <DateTimeInput key="from" source="from" />,
  <DateTimeInput key="to" source="to" />,
];

/** Every write of the tenant, newest first (consultants and HR admins). */
export const AuditList = () => {
  const translate = useTranslate();
  return (
    <List
      filters={filters}
      sort={{ field: "seq", order: "DESC" }}
      exporter={false}
      title={translate("ordo.audit.title")}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="seq" />
        <DateField source="at" showTime />
        <TextField source="userEmail" />
        <TextField source="role" />
        <TextField source="resource" />
        <TextField source="resourceId" />
        <TextField source="operation" />
      </Datagrid>
    </List>
  );
};
