import type { ReactNode } from "react";
import { EditButton, Loading, Show, SimpleShowLayout, TopToolbar } from "react-admin";
import { EntityField } from "./EntityField";
import { allFields, isReadOnlyEntity, useEntity } from "./fields";

export const EntityShow = ({ aside, children }: { aside?: ReactNode; children?: ReactNode }) => {
  const entity = useEntity();
  if (!entity) return <Loading />;
  const actions = isReadOnlyEntity(entity) ? (
    false
  ) : (
    <TopToolbar>
      <EditButton />
    </TopToolbar>
  );
  return (
    <Show actions={actions} aside={aside}>
      <SimpleShowLayout>
        {allFields(entity).map((f) => (
          <EntityField key={f} entity={entity} source={f} />
        ))}
      </SimpleShowLayout>
      {children}
    </Show>
  );
};
