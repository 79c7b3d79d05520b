import NotificationsIcon from "@mui/icons-material/NotificationsActive";
import { ReminderTemplateCreate } from "./ReminderTemplateCreate";
import { ReminderTemplateEdit } from "./ReminderTemplateEdit";
import { ReminderTemplateList } from "./ReminderTemplateList";

export const reminderTemplates = {
  name: "reminder-templates",
  list: ReminderTemplateList,
  edit: ReminderTemplateEdit,
  create: ReminderTemplateCreate,
  icon: NotificationsIcon,
  recordRepresentation: "name",
};
