import UploadFileIcon from "@mui/icons-material/UploadFile";
import {
  BulkDeleteButton,
  Button,
  Datagrid,
  ExportButton,
  FilterButton,
  List,
  Loading,
  TopToolbar,
  useLocaleState,
  useTranslate,
} from "react-admin";
import { Link } from "react-router-dom";
import { EntityField } from "../entities/EntityField";
import { safeCsvExporter } from "../entities/exporter";
import { useEntity } from "../entities/fields";
import { filterInputs } from "../entities/inputs";
import { MarkPaidBulkButton, MarkPaidRowButton } from "./MarkPaidButtons";

const Actions = () => {
  const translate = useTranslate();
  return (
    <TopToolbar>
      <FilterButton />
      <Button component={Link} to="/payment-imports" label={translate("ordo.payments.import_button")}>
        <UploadFileIcon />
      </Button>
      <ExportButton maxResults={1_000_000} />
    </TopToolbar>
  );
};

const BulkActions = () => (
  <>
    <MarkPaidBulkButton />
    <BulkDeleteButton />
  </>
);

/** The ledger: the generated list plus 标记已缴 (row and bulk) and the payment-file import. */
export const ContributionList = () => {
  const entity = useEntity();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!entity) return <Loading />;
  const sortable = new Set(entity.ui.sortable ?? []);
  return (
    <List
      exporter={safeCsvExporter}
      filters={filterInputs(entity, translate, locale)}
      actions={<Actions />}
      perPage={25}
    >
      <Datagrid rowClick="show" bulkActionButtons={<BulkActions />}>
        {entity.ui.listColumns.map((f) => (
          <EntityField key={f} entity={entity} source={f} sortable={sortable.has(f)} />
        ))}
        <MarkPaidRowButton />
      </Datagrid>
    </List>
  );
};
