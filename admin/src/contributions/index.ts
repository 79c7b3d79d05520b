import type { EntityDef } from "../types";
import { entityResource } from "../entities";
import { ContributionList } from "./ContributionList";

/** The contribution ledger: the generated resource with payment actions on its list. */
export const contributions = (entity: EntityDef) => entityResource(entity, { list: ContributionList });
