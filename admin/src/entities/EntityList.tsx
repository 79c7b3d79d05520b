import TuneIcon from "@mui/icons-material/Tune";
import {
  Button,
  CreateButton,
  Datagrid,
  ExportButton,
  FilterButton,
  List,
  Loading,
  TopToolbar,
  useLocaleState,
  useResourceContext,
  useTranslate,
} from "react-admin";
import { Link } from "react-router-dom";
import { useCanAuthor } from "../api/useCanAuthor";
import { EntityField } from "./EntityField";
import { safeCsvExporter } from "./exporter";
import { isReadOnlyEntity, useEntity } from "./fields";
import { filterInputs } from "./inputs";

const ListActions = ({ readOnly }: { readOnly: boolean }) => {
  const resource = useResourceContext();
  const translate = useTranslate();
  const canAuthor = useCanAuthor();
  return (
    <TopToolbar>
      <FilterButton />
      {!readOnly && <CreateButton />}
      <ExportButton maxResults={1_000_000} />
      {!readOnly && canAuthor && (
        <Button component={Link} to={`/custom-fields/${resource}`} label={translate("ordo.custom_fields.button")}>
          <TuneIcon />
        </Button>
      )}
    </TopToolbar>
  );
};

export const EntityList = () => {
  const entity = useEntity();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!entity) return <Loading />;
  const readOnly = isReadOnlyEntity(entity);
  const columns = entity.ui.listColumns?.length
    ? entity.ui.listColumns
    : Object.keys(entity.schema.properties ?? {}).slice(0, 6);
  const sortable = new Set(entity.ui.sortable ?? []);
  return (
    <List
      exporter={safeCsvExporter}
      filters={filterInputs(entity, translate, locale)}
      actions={<ListActions readOnly={readOnly} />}
      perPage={25}
    >
      <Datagrid rowClick="show" bulkActionButtons={readOnly ? false : undefined}>
        {columns.map((f) => (
          <EntityField key={f} entity={entity} source={f} sortable={sortable.has(f)} />
        ))}
      </Datagrid>
    </List>
  );
};
