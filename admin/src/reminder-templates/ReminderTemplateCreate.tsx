import { Create, regex, required, SelectInput, SimpleForm, TextInput, useTranslate } from "react-admin";
import { AUDIENCES } from "./types";

const transform = (data: Record<string, unknown>) => ({
  key: data.key,
  name: data.name,
  description: data.description,
  audience: data.audience,
  channels: ["in-app"],
  subject: { "zh-CN": String(data.subject ?? "") },
  body: { "zh-CN": String(data.subject ?? "") },
  segment: null,
  testCases: [],
});

export const ReminderTemplateCreate = () => {
  const translate = useTranslate();
  return (
    <Create transform={transform} redirect="edit" title={translate("ordo.reminders.create_title")}>
      <SimpleForm defaultValues={{ audience: "employee" }}>
        <TextInput
          source="key"
          label={translate("ordo.rule_sets.key")}
          validate={[required(), regex(/^[a-z0-9][a-z0-9-]{0,62}$/)]}
        />
        <TextInput source="name" validate={required()} />
        <TextInput source="description" multiline />
        <SelectInput
          source="audience"
          label={translate("ordo.reminders.audience")}
          choices={AUDIENCES.map((a) => ({ id: a, name: translate(`ordo.reminders.audiences.${a}`) }))}
          validate={required()}
        />
        <TextInput source="subject" label={translate("ordo.reminders.subject_zh")} validate={required()} />
      </SimpleForm>
    </Create>
  );
};
