import OutboxIcon from "@mui/icons-material/Outbox";
import { entityResource } from "../entities";
import type { EntityDef } from "../types";
import { NotificationShow } from "./NotificationShow";

/** The outbox: the generated list (status filter) and a show page with the delivery log, retry and cancel. */
export const notifications = (entity: EntityDef) =>
  entityResource(entity, { show: NotificationShow, icon: OutboxIcon });
