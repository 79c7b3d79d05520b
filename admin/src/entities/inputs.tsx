import {
  AutocompleteInput,
  BooleanInput,
  DateInput,
  DateTimeInput,
  maxLength,
  maxValue,
  minValue,
  NullableBooleanInput,
  NumberInput,
  ReferenceInput,
  regex,
  required,
  SelectArrayInput,
  SelectInput,
  TextInput,
  type Validator,
  useLocaleState,
} from "react-admin";
import { CITIES as KNOWN_CITIES, cityName, DIVISIONS } from "../../../domain/index";
import { enumLabel } from "../format";
import type { EntityDef } from "../types";
import { fieldKind, isReadOnly, schemaOf } from "./fields";

function validators(entity: EntityDef, field: string): Validator[] {
  const s = schemaOf(entity, field);
  const v: Validator[] = [];
  if (entity.schema.required?.includes(field)) v.push(required());
  if (typeof s.minimum === "number") v.push(minValue(s.minimum));
  if (typeof s.maximum === "number") v.push(maxValue(s.maximum));
  if (typeof s.maxLength === "number") v.push(maxLength(s.maxLength));
  if (typeof s.pattern === "string") v.push(regex(new RegExp(s.pattern), s.title ?? `/${s.pattern}/`));
  return v;
}

const choicesOf = (entity: EntityDef, field: string, locale: string) => {
  const s = schemaOf(entity, field);
  const values = s.enum ?? s.items?.enum ?? Object.keys(entity.ui.enumLabels?.[field] ?? {});
  return (values as unknown[])
    .filter((v) => v !== null)
    .map((v) => ({ id: v as string, name: enumLabel(entity.ui.enumLabels?.[field], v, locale) }));
};

// The cities Ordo lists first, then every other GB/T 2260 division a city field accepts.
const CITY_CODES = [
  ...KNOWN_CITIES.map((c) => c.code),
  ...DIVISIONS.map((d) => d.code).filter((code) => !KNOWN_CITIES.some((c) => c.code === code)),
];
const cityChoices = (locale: string) =>
  CITY_CODES.map((code) => ({ id: code, name: `${cityName(code, locale)} (${code})` }));

/** The typed input for one schema property, used by create and edit forms. */
export function EntityInput({ entity, field, mode }: { entity: EntityDef; field: string; mode: "create" | "edit" }) {
  const [locale] = useLocaleState();
  const s = schemaOf(entity, field);
  const validate = validators(entity, field);
  const disabled = mode === "edit" && isReadOnly(entity, field);
  const helperText = s.description ?? false;
  const common = { source: field, id: field, validate, disabled, helperText };
  switch (fieldKind(entity, field)) {
    case "reference":
      return (
        <ReferenceInput source={field} reference={entity.ui.references[field]}>
          <AutocompleteInput id={field} validate={validate} disabled={disabled} helperText={helperText} />
        </ReferenceInput>
      );
    case "enum":
      return s.type === "array" ? (
        <SelectArrayInput {...common} choices={choicesOf(entity, field, locale)} />
      ) : (
        <SelectInput {...common} choices={choicesOf(entity, field, locale)} />
      );
    case "city":
      return <AutocompleteInput {...common} choices={cityChoices(locale)} />;
    case "date":
      return <DateInput {...common} />;
    case "datetime":
      return <DateTimeInput {...common} />;
    case "number":
      return <NumberInput {...common} step={s.type === "integer" ? 1 : "any"} />;
    case "boolean":
      return <BooleanInput source={field} id={field} disabled={disabled} helperText={helperText} />;
    case "json":
      return (
        <TextInput
          {...common}
          multiline
          format={(v) => (v == null ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2))}
          parse={(v) => {
            try {
              return JSON.parse(v);
            } catch {
              return v;
            }
          }}
        />
      );
    default:
      return <TextInput {...common} multiline={(s.maxLength ?? 0) > 200} />;
  }
}

/** Filter inputs for the list: a `q` search plus one per filterable field. */
export function filterInputs(entity: EntityDef, translate: (key: string, options?: object) => string, locale: string) {
  const label = (f: string) => translate(`resources.${entity.name}.fields.${f}`, { _: f });
  const inputs = [<TextInput key="q" source="q" label={translate("ra.action.search")} alwaysOn resettable />];
  for (const field of entity.ui.filterable ?? []) {
    switch (fieldKind(entity, field)) {
      case "reference":
        inputs.push(
          <ReferenceInput key={field} source={field} reference={entity.ui.references[field]}>
            <AutocompleteInput />
          </ReferenceInput>,
        );
        break;
      case "enum":
        inputs.push(<SelectInput key={field} source={field} choices={choicesOf(entity, field, locale)} />);
        break;
      case "city":
        inputs.push(<AutocompleteInput key={field} source={field} choices={cityChoices(locale)} />);
        break;
      case "month":
        inputs.push(<TextInput key={field} source={field} placeholder="YYYY-MM" />);
        break;
      case "boolean":
        inputs.push(<NullableBooleanInput key={field} source={field} />);
        break;
      case "date":
        inputs.push(<DateInput key={`${field}_gte`} source={`${field}_gte`} label={`${label(field)} ≥`} />);
        inputs.push(<DateInput key={`${field}_lte`} source={`${field}_lte`} label={`${label(field)} ≤`} />);
        break;
      case "number":
        inputs.push(<NumberInput key={`${field}_gte`} source={`${field}_gte`} label={`${label(field)} ≥`} />);
        inputs.push(<NumberInput key={`${field}_lte`} source={`${field}_lte`} label={`${label(field)} ≤`} />);
        break;
      default:
        inputs.push(<TextInput key={field} source={field} />);
    }
  }
  return inputs;
}
