import type { EntityDef, User } from "../types";

/**
 * The signed-in user, their current tenant and the entity catalogue. Kept outside React so the
 * auth and data providers can read it, with a tiny subscribe API for the App shell.
 *
 * The token lives in sessionStorage: per tab, gone when the tab closes, and not shared with other
 * tabs or left behind on a shared computer as localStorage would be.
 */
const TOKEN = "ordo.token";
const USER = "ordo.user";
const TENANT = "ordo.tenant";

export interface SessionState {
  token: string | null;
  user: User | null;
  tenant: string | null;
  entities: EntityDef[] | null;
  entitiesError: string | null;
  /** Bumped when entities are re-fetched, so screens can key on it. */
  version: number;
}

function readUser(): User | null {
  try {
    const raw = sessionStorage.getItem(USER);
    return raw ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

let state: SessionState = {
  token: sessionStorage.getItem(TOKEN),
  user: readUser(),
  tenant: sessionStorage.getItem(TENANT),
  entities: null,
  entitiesError: null,
  version: 0,
};
const listeners = new Set<() => void>();

export const session = {
  get: () => state,
  subscribe(fn: () => void) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  set(patch: Partial<SessionState>) {
    // A patch that changes nothing notifies no one: react-admin logs out (clear) every time an auth
    // check fails, and re-rendering the app for it started a new check: a redirect loop on /login.
    const keys = Object.keys(patch) as (keyof SessionState)[];
    if (keys.every((k) => Object.is(state[k], patch[k]))) return;
    state = { ...state, ...patch };
    if ("token" in patch) store(TOKEN, patch.token ?? null);
    if ("user" in patch) store(USER, patch.user ? JSON.stringify(patch.user) : null);
    if ("tenant" in patch) store(TENANT, patch.tenant ?? null);
    for (const l of listeners) l();
  },
  clear() {
    session.set({ token: null, user: null, tenant: null, entities: null, entitiesError: null });
  },
};

function store(key: string, value: string | null) {
  if (value === null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, value);
}

// Sessions kept by earlier versions in localStorage: forget them.
for (const key of [TOKEN, USER, TENANT]) localStorage.removeItem(key);
