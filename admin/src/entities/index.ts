import type { ResourceProps } from "react-admin";
import type { EntityDef } from "../types";
import { EntityCreate, EntityEdit } from "./EntityForm";
import { EntityList } from "./EntityList";
import { EntityShow } from "./EntityShow";
import { READ_ONLY_ENTITIES } from "./fields";

/** The generated resource for an entity of GET /api/entities. */
export function entityResource(entity: EntityDef, overrides: Partial<ResourceProps> = {}): ResourceProps {
  const readOnly = READ_ONLY_ENTITIES.has(entity.name);
  return {
    name: entity.name,
    list: EntityList,
    show: EntityShow,
    edit: readOnly ? undefined : EntityEdit,
    create: readOnly ? undefined : EntityCreate,
    recordRepresentation: entity.ui.recordRepresentation,
    ...overrides,
  };
}
