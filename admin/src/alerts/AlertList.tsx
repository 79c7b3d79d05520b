import {
  Button,
  Datagrid,
  ExportButton,
  FilterButton,
  FunctionField,
  List,
  Loading,
  SelectInput,
  TopToolbar,
  useListContext,
  useLocaleState,
  useRefresh,
  useTranslate,
  useUnselectAll,
} from "react-admin";
import { useState } from "react";
import { EntityField } from "../entities/EntityField";
import { safeCsvExporter } from "../entities/exporter";
import { useEntity } from "../entities/fields";
import { filterInputs } from "../entities/inputs";
import { AlertActionDialog } from "./AlertActionDialog";
import { ALERT_VIEWS, type AlertAction, useAssignees } from "./actions";
import { StateChip } from "./StateChip";

/** Resolve, snooze, assign or reopen the selected alerts in one call (POST /api/alerts/bulk). */
const BulkAlertButtons = () => {
  const translate = useTranslate();
  const { selectedIds } = useListContext();
  const unselectAll = useUnselectAll("alerts");
  const refresh = useRefresh();
  const [action, setAction] = useState<AlertAction | null>(null);
  const actions: AlertAction[] = ["resolve", "snooze", "assign", "reopen"];
  return (
    <>
      {actions.map((a) => (
        <Button
          key={a}
          label={translate(`ordo.alerts.actions.${a}`)}
          onClick={() => setAction(a)}
          data-testid={`alert-bulk-${a}`}
        />
      ))}
      <AlertActionDialog
        action={action}
        ids={selectedIds.map(String)}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          unselectAll();
          refresh();
        }}
      />
    </>
  );
};

const Actions = () => (
  <TopToolbar>
    <FilterButton />
    <ExportButton maxResults={1_000_000} />
  </TopToolbar>
);

/** The alerts inbox: open by default (snoozed ones come back on their date), with bulk actions. */
export const AlertList = () => {
  const entity = useEntity();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const assignees = useAssignees();
  if (!entity) return <Loading />;
  const t = (k: string) => translate(`ordo.alerts.${k}`);
  const own = [
    <SelectInput
      key="view"
      source="view"
      label={t("view")}
      alwaysOn
      emptyText={t("all")}
      choices={ALERT_VIEWS.filter((v) => v !== "all").map((v) => ({ id: v, name: t(`views.${v}`) }))}
    />,
    <SelectInput
      key="assignee"
      source="assignee"
      label={t("assignee")}
      alwaysOn
      choices={[{ id: "me", name: t("assigned_to_me") }]}
    />,
  ];
  const others = filterInputs(entity, translate, locale).filter(
    (i) => !["assigneeId", "snoozedUntil", "resolved"].includes(String((i.props as { source?: string }).source)),
  );
  const nameOf = (id: unknown) => assignees.find((u) => u.id === id)?.name ?? "";
  return (
    <List
      exporter={safeCsvExporter}
      filters={[...own, ...others]}
      filterDefaultValues={{ view: "open" }}
      actions={<Actions />}
      perPage={25}
      sort={{ field: "createdAt", order: "DESC" }}
    >
      <Datagrid rowClick="show" bulkActionButtons={<BulkAlertButtons />}>
        <EntityField entity={entity} source="createdAt" />
        <EntityField entity={entity} source="type" />
        <EntityField entity={entity} source="severity" />
        <EntityField entity={entity} source="employeeId" />
        <EntityField entity={entity} source="dueDate" />
        <EntityField entity={entity} source="message" sortable={false} />
        <FunctionField
          source="state"
          label={t("state")}
          sortable={false}
          render={(r: { state?: string; snoozedUntil?: string | null }) => <StateChip record={r} />}
        />
        <FunctionField
          source="assigneeId"
          sortable={false}
          render={(r: { assigneeId?: string | null }) => nameOf(r.assigneeId)}
        />
      </Datagrid>
    </List>
  );
};
