import { Create, NumberInput, required, SelectInput, SimpleForm, useLocaleState, useTranslate } from "react-admin";
import { CITIES, cityName } from "../si/cities";

/** A city and the calendar year its base year starts in; the server computes the lines (a draft). */
export const BaseDeclarationCreate = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const year = new Date().getFullYear();
  return (
    <Create redirect="show">
      <SimpleForm defaultValues={{ baseYear: year }}>
        <SelectInput
          source="city"
          validate={required()}
          choices={CITIES.map((c) => ({ id: c.code, name: cityName(c.code, locale) }))}
        />
        <NumberInput source="baseYear" validate={required()} min={1990} max={2199} step={1} />
        <div style={{ color: "rgba(0,0,0,.6)", maxWidth: 560 }}>{translate("ordo.base_declaration.create_help")}</div>
      </SimpleForm>
    </Create>
  );
};
