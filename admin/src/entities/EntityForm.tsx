import { Create, Edit, Loading, SimpleForm } from "react-admin";
import { EntityInput } from "./inputs";
import { formFields, useEntity } from "./fields";

const Form = ({ mode }: { mode: "create" | "edit" }) => {
  const entity = useEntity();
  if (!entity) return <Loading />;
  return (
    <SimpleForm sx={{ maxWidth: 760 }}>
      {formFields(entity, mode).map((f) => (
        <EntityInput key={f} entity={entity} field={f} mode={mode} />
      ))}
    </SimpleForm>
  );
};

// Pessimistic so server validation errors (400 with `errors`) land next to the fields.
export const EntityEdit = () => (
  <Edit mutationMode="pessimistic" redirect="show">
    <Form mode="edit" />
  </Edit>
);

export const EntityCreate = () => (
  <Create redirect="show">
    <Form mode="create" />
  </Create>
);
