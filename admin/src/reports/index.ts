import AssessmentIcon from "@mui/icons-material/Assessment";
import { ReportBuilder } from "./ReportBuilder";
import { ReportList } from "./ReportList";

export const reports = {
  name: "reports",
  list: ReportList,
  edit: ReportBuilder,
  create: ReportBuilder,
  icon: AssessmentIcon,
  recordRepresentation: "name",
};
