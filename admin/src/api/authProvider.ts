import type { AuthProvider } from "react-admin";
import type { User } from "../types";
import { api, errorBody } from "./http";
import { loadEntities } from "./entities";
import { session } from "./session";

function pickTenant(user: User): string | null {
  const current = session.get().tenant;
  if (current && user.tenants.some((t) => t.slug === current)) return current;
  return user.tenants[0]?.slug ?? null;
}

export const authProvider: AuthProvider = {
  async login({ username, email, password }: { username?: string; email?: string; password: string }) {
    const res = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ email: email ?? username, password }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message ?? "ra.auth.sign_in_error");
    const user = body.user as User;
    session.set({ token: body.token, user, tenant: pickTenant(user), entities: null });
    // The generated resources must exist before react-admin redirects after login (employees get
    // their own entities too: the self-service page takes its column labels from them).
    await loadEntities().catch(() => undefined);
  },
  async logout() {
    // Revoke the token on the server too; the tab forgets it whatever the answer.
    const { token } = session.get();
    session.clear();
    if (token) {
      await fetch("/api/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${token}` } }).catch(
        () => undefined,
      );
    }
  },
  async checkAuth() {
    if (!session.get().token) throw new Error("ra.auth.auth_check_error");
  },
  async checkError(error) {
    const status = error?.status;
    if (status === 401) {
      session.clear();
      throw new Error("ra.notification.logged_out");
    }
  },
  async getIdentity() {
    const user = session.get().user;
    if (!user) throw new Error("not signed in");
    return { id: user.id, fullName: user.name || user.email };
  },
  async getPermissions() {
    return session.get().user?.role ?? null;
  },
};

/** Re-validates a stored token at start-up (the server may have restarted with a fresh db). */
export async function restoreSession(): Promise<void> {
  const { token } = session.get();
  if (!token) return;
  try {
    const user = await api<User>("/auth/me");
    session.set({ user, tenant: pickTenant(user) });
    await loadEntities();
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 401 || status === 403) session.clear();
    else console.warn("restoreSession", errorBody(e));
  }
}
