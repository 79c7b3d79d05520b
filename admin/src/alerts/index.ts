import NotificationsActiveIcon from "@mui/icons-material/NotificationsActive";
import { entityResource } from "../entities";
import type { EntityDef } from "../types";
import { AlertList } from "./AlertList";
import { AlertShow } from "./AlertShow";

/** Alerts: an inbox with a lifecycle (resolve, snooze, assign, bulk actions) and a history per alert. */
export const alerts = (entity: EntityDef) =>
  entityResource(entity, { list: AlertList, show: AlertShow, icon: NotificationsActiveIcon });
