import type { EntityDef } from "../types";
import { api, errorMessage } from "./http";
import { session } from "./session";

/** Fetches GET /api/entities into the session; the App re-renders its <Resource>s from it. */
export async function loadEntities(): Promise<EntityDef[]> {
  try {
    const entities = await api<EntityDef[]>("/entities");
    session.set({ entities, entitiesError: null, version: session.get().version + 1 });
    return entities;
  } catch (e) {
    session.set({ entities: [], entitiesError: errorMessage(e) });
    throw e;
  }
}
