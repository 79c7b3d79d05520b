import {
  BooleanField,
  DateField,
  FunctionField,
  NumberField,
  ReferenceField,
  TextField,
  useLocaleState,
} from "react-admin";
import { cityName } from "../../../domain/index";
import { enumLabel, formatDate, formatMoney, formatMonth } from "../format";
import type { EntityDef } from "../types";
import { fieldKind } from "./fields";
import { ProvisionalChip } from "../si/ProvisionalChip";

type Rec = Record<string, unknown>;

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
  const [locale] = useLocaleState();
  const text = (render: (v: unknown) => string, align?: "right") => (
    <FunctionField
      source={field}
      sortable={sortable}
      textAlign={align}
      render={(r: Rec) => (r[field] == null ? "" : render(r[field]))}
    />
  );
  switch (fieldKind(entity, field)) {
    case "enum":
      return text((v) =>
        Array.isArray(v)
          ? v
              .map((x) => enumLabel(entity.ui.enumLabels?.[field], x, locale))
              .join(locale.startsWith("zh") ? "、" : ", ")
          : enumLabel(entity.ui.enumLabels?.[field], v, locale),
      );
    case "city":
      return text((v) => cityName(String(v), locale));
    case "money":
      return text(formatMoney, "right");
    case "month":
      return text((v) => formatMonth(v, locale));
    case "reference":
      return <ReferenceField source={field} reference={entity.ui.references[field]} link="show" sortable={sortable} />;
    case "date":
      return text((v) => formatDate(v, locale));
    case "datetime":
      return <DateField source={field} showTime sortable={sortable} />;
    case "number":
      return <NumberField source={field} sortable={sortable} />;
    case "boolean":
      // A provisional ledger row is marked with the period it was carried from.
      if (field === "provisional")
        return (
          <FunctionField
            source={field}
            sortable={sortable}
            render={(r: Rec) => (r.provisional ? <ProvisionalChip carriedFrom={r.carriedFrom as string} /> : "")}
          />
        );
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
