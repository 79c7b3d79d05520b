/**
 * Who is writing, for the audit log, without every service passing it down: the route layer runs each
 * handler inside a scope (user, role, tenant, request id); the storage layers read it when they append.
 * Writes outside a request (queue jobs) have no scope and are recorded as the system.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface AuditScope {
  userId: string | null;
  userEmail: string | null;
  role: string;
  tenantId: string | null;
  requestId: string | null;
  /** Entries this request appended (the route layer's safety net writes one when there are none). */
  written: number;
}

const storage = new AsyncLocalStorage<AuditScope>();

export function runAudited<T>(scope: AuditScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function auditScope(): AuditScope | undefined {
  return storage.getStore();
}
