import TableChartIcon from "@mui/icons-material/TableChart";
import { PolicyTableEdit } from "./PolicyTableEdit";
import { PolicyTableList } from "./PolicyTableList";

export const policyTables = {
  name: "policy-tables",
  list: PolicyTableList,
  edit: PolicyTableEdit,
  icon: TableChartIcon,
  recordRepresentation: "name",
};
