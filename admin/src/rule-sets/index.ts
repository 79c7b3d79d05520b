import RuleIcon from "@mui/icons-material/Rule";
import { RuleSetCreate } from "./RuleSetCreate";
import { RuleSetEdit } from "./RuleSetEdit";
import { RuleSetList } from "./RuleSetList";

export const ruleSets = {
  name: "rule-sets",
  list: RuleSetList,
  edit: RuleSetEdit,
  create: RuleSetCreate,
  icon: RuleIcon,
  recordRepresentation: "name",
};
