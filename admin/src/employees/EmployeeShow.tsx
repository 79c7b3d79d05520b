import {
  Datagrid,
  EditButton,
  Loading,
  Pagination,
  ReferenceManyField,
  Show,
  TabbedShowLayout,
  TopToolbar,
  useTranslate,
} from "react-admin";
import { useSession } from "../api/useSession";
import { EntityField } from "../entities/EntityField";
import { allFields, useEntity } from "../entities/fields";
import type { EntityDef } from "../types";
import { LifecycleActions } from "./LifecycleActions";
import { RecordHistory } from "../audit/RecordHistory";

/** The employee's records in the other resources, newest first; each tab is a paged list. */
const RELATED: { resource: string; sort: string }[] = [
  { resource: "enrollments", sort: "fromDate" },
  { resource: "wage-changes", sort: "effectiveMonth" },
  { resource: "contributions", sort: "month" },
  { resource: "contribution-adjustments", sort: "month" },
  { resource: "alerts", sort: "createdAt" },
  { resource: "notifications", sort: "createdAt" },
  { resource: "decisions", sort: "createdAt" },
];

const columnsOf = (entity: EntityDef) =>
  (entity.ui.listColumns?.length ? entity.ui.listColumns : Object.keys(entity.schema.properties ?? {}).slice(0, 6))
    .filter((f) => f !== "employeeId")
    .slice(0, 7);

const RelatedTab = ({ entity, sort }: { entity: EntityDef; sort: string }) => {
  const field = Object.hasOwn(entity.schema.properties ?? {}, sort) ? sort : "id";
  return (
    <ReferenceManyField
      reference={entity.name}
      target="employeeId"
      sort={{ field, order: "DESC" }}
      perPage={10}
      pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}
    >
      <Datagrid rowClick="show" bulkActionButtons={false} empty={<EmptyTab />}>
        {columnsOf(entity).map((f) => (
          <EntityField key={f} entity={entity} source={f} sortable={false} />
        ))}
      </Datagrid>
    </ReferenceManyField>
  );
};

const EmptyTab = () => {
  const translate = useTranslate();
  return <div style={{ padding: 16, color: "rgba(0,0,0,.6)" }}>{translate("ordo.common.none")}</div>;
};

/**
 * Everything HR needs about one person on one page: the profile, each social-insurance record of theirs
 * in its own tab, and the lifecycle actions (hire, wage change, leave).
 */
export const EmployeeShow = () => {
  const entity = useEntity();
  const translate = useTranslate();
  const { entities } = useSession();
  if (!entity) return <Loading />;
  const related = RELATED.flatMap(({ resource, sort }) => {
    const e = entities?.find((x) => x.name === resource);
    return e ? [{ entity: e, sort }] : [];
  });
  return (
    <Show
      actions={
        <TopToolbar>
          <EditButton />
        </TopToolbar>
      }
    >
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label={translate("ordo.employee.tabs.profile")}>
          {allFields(entity).map((f) => (
            <EntityField key={f} entity={entity} source={f} />
          ))}
        </TabbedShowLayout.Tab>
        {related.map(({ entity: e, sort }) => (
          <TabbedShowLayout.Tab
            key={e.name}
            label={translate(`resources.${e.name}.name`, { _: e.label?.en ?? e.name })}
            path={e.name}
          >
            <RelatedTab entity={e} sort={sort} />
          </TabbedShowLayout.Tab>
        ))}
        <TabbedShowLayout.Tab label={translate("ordo.employee.tabs.actions")} path="actions">
          <LifecycleActions />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label={translate("ordo.audit.history")} path="history">
          <RecordHistory resource={entity.name} />
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
};
