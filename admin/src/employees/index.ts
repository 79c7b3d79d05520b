import PeopleIcon from "@mui/icons-material/People";
import type { EntityDef } from "../types";
import { entityResource } from "../entities";
import { EmployeeShow } from "./EmployeeShow";

/** Employees: the generated CRUD plus lifecycle actions on the show page. */
export const employees = (entity: EntityDef) => entityResource(entity, { show: EmployeeShow, icon: PeopleIcon });
