import type { ReactNode } from "react";
import { EditButton, Labeled, Loading, Show, SimpleShowLayout, TopToolbar, useTranslate } from "react-admin";
import { RecordHistory } from "../audit/RecordHistory";
import { EntityField } from "./EntityField";
import { allFields, isReadOnlyEntity, useEntity } from "./fields";

export const EntityShow = ({ aside, children }: { aside?: ReactNode; children?: ReactNode }) => {
  const entity = useEntity();
  const translate = useTranslate();
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
      <SimpleShowLayout>
        <Labeled label={translate("ordo.audit.history")} fullWidth>
          <RecordHistory resource={entity.name} />
        </Labeled>
      </SimpleShowLayout>
    </Show>
  );
};
