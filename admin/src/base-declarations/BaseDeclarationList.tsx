import { CreateButton, Datagrid, List, Loading, TopToolbar } from "react-admin";
import { EntityField } from "../entities/EntityField";
import { useEntity } from "../entities/fields";

/** The declarations, newest base year first; HR creates one per city and base year. */
export const BaseDeclarationList = () => {
  const entity = useEntity();
  if (!entity) return <Loading />;
  const sortable = new Set(entity.ui.sortable ?? []);
  return (
    <List
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
      perPage={25}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        {entity.ui.listColumns.map((f) => (
          <EntityField key={f} entity={entity} source={f} sortable={sortable.has(f)} />
        ))}
      </Datagrid>
    </List>
  );
};
