import type { ResourceProps } from "react-admin";
import type { EntityDef } from "../types";
import { EntityCreate, EntityEdit } from "./EntityForm";
import { EntityList } from "./EntityList";
import { EntityShow } from "./EntityShow";
import { isReadOnlyEntity } from "./fields";

/** The generated resource for an entity of GET /api/entities. */
export function entityResource(entity: EntityDef, overrides: Partial<ResourceProps> = {}): ResourceProps {
  const readOnly = isReadOnlyEntity(entity);
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
