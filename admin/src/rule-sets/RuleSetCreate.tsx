import { Create, regex, required, SimpleForm, TextInput, useTranslate } from "react-admin";

const transform = (data: Record<string, unknown>) => ({
  ...data,
  id: data.key,
  facts: {},
  rules: [],
  testCases: [],
});

export const RuleSetCreate = () => {
  const translate = useTranslate();
  return (
    <Create transform={transform} redirect="edit" title={translate("ordo.rule_sets.create_title")}>
      <SimpleForm>
        <TextInput
          source="key"
          label={translate("ordo.rule_sets.key")}
          validate={[required(), regex(/^[a-z0-9][a-z0-9-_.]*$/)]}
        />
        <TextInput source="name" validate={required()} />
        <TextInput source="description" multiline />
        <TextInput source="industry" label={translate("ordo.rule_sets.industry")} />
      </SimpleForm>
    </Create>
  );
};
