import FactCheckIcon from "@mui/icons-material/FactCheck";
import { entityResource } from "../entities";
import type { EntityDef } from "../types";
import { BaseDeclarationCreate } from "./BaseDeclarationCreate";
import { BaseDeclarationList } from "./BaseDeclarationList";
import { BaseDeclarationShow } from "./BaseDeclarationShow";

/** Annual base declarations (年度调基): list, create for a city's base year, review the lines, confirm. */
export const baseDeclarations = (entity: EntityDef) =>
  entityResource(entity, {
    list: BaseDeclarationList,
    show: BaseDeclarationShow,
    create: BaseDeclarationCreate,
    edit: undefined,
    icon: FactCheckIcon,
  });
