import { BooleanField, DateField, FunctionField, NumberField, ReferenceField, TextField } from "react-admin";
import type { EntityDef } from "../types";
import { fieldKind } from "./fields";

/** The display component for one schema property (list columns and show pages). */
/** Datagrid and SimpleShowLayout read `source` and `sortable` from their direct children for headers and labels. */
export function EntityField({
  entity,
  source: field,
  sortable = true,
}: {
  entity: EntityDef;
  source: string;
  sortable?: boolean;
  label?: string;
}) {
  switch (fieldKind(entity, field)) {
    case "reference":
      return <ReferenceField source={field} reference={entity.ui.references[field]} link="show" sortable={sortable} />;
    case "date":
      return <DateField source={field} sortable={sortable} />;
    case "datetime":
      return <DateField source={field} showTime sortable={sortable} />;
    case "number":
      return <NumberField source={field} sortable={sortable} />;
    case "boolean":
      return <BooleanField source={field} sortable={sortable} />;
    case "json":
      return (
        <FunctionField
          source={field}
          sortable={false}
          render={(r: Record<string, unknown>) =>
            r[field] == null ? "" : <code style={{ whiteSpace: "pre-wrap" }}>{JSON.stringify(r[field])}</code>
          }
        />
      );
    default:
      return <TextField source={field} sortable={sortable} />;
  }
}
