import { Box, Button, Typography } from "@mui/material";
import {
  Datagrid,
  Loading,
  ReferenceManyField,
  Show,
  SimpleShowLayout,
  TopToolbar,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { useState } from "react";
import { api, errorMessage } from "../api/http";
import { useSession } from "../api/useSession";
import { EntityField } from "../entities/EntityField";
import { allFields, useEntity } from "../entities/fields";

const CANCELLABLE = new Set(["queued", "failed"]);
const RETRYABLE = new Set(["failed", "dead", "cancelled"]);

/** Retry (failed, dead, cancelled) and cancel (queued, failed): POST /api/notifications/:id/{retry,cancel}. */
const OutboxActions = () => {
  const record = useRecordContext<{ id: string; status: string }>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  if (!record) return null;
  const act = async (action: "retry" | "cancel") => {
    setBusy(true);
    try {
      await api(`/notifications/${record.id}/${action}`, { method: "POST", body: {} });
      notify(translate(`ordo.outbox.${action}_done`), { type: "info" });
      refresh();
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    } finally {
      setBusy(false);
    }
  };
  return (
    <TopToolbar>
      <Button disabled={busy || !RETRYABLE.has(record.status)} onClick={() => act("retry")}>
        {translate("ordo.outbox.retry")}
      </Button>
      <Button color="warning" disabled={busy || !CANCELLABLE.has(record.status)} onClick={() => act("cancel")}>
        {translate("ordo.outbox.cancel")}
      </Button>
    </TopToolbar>
  );
};

/** The delivery log: every attempt with its time, channel, outcome and error code. */
const DeliveryLog = () => {
  const translate = useTranslate();
  const { entities } = useSession();
  const log = entities?.find((e) => e.name === "notification-attempts");
  if (!log) return null;
  return (
    <Box sx={{ px: 2, pb: 2 }}>
      <Typography variant="h6" sx={{ mb: 1 }}>
        {translate("ordo.outbox.delivery_log")}
      </Typography>
      <ReferenceManyField
        reference="notification-attempts"
        target="notificationId"
        sort={{ field: "createdAt", order: "ASC" }}
      >
        <Datagrid
          bulkActionButtons={false}
          rowClick={false}
          empty={<span>{translate("ordo.outbox.no_attempts")}</span>}
        >
          {["createdAt", "attempt", "channel", "outcome", "errorCode", "durationMs"].map((f) => (
            <EntityField key={f} entity={log} source={f} sortable={false} />
          ))}
        </Datagrid>
      </ReferenceManyField>
    </Box>
  );
};

export const NotificationShow = () => {
  const entity = useEntity();
  if (!entity) return <Loading />;
  return (
    <Show actions={<OutboxActions />}>
      <SimpleShowLayout>
        {allFields(entity).map((f) => (
          <EntityField key={f} entity={entity} source={f} />
        ))}
      </SimpleShowLayout>
      <DeliveryLog />
    </Show>
  );
};
