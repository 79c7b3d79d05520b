/** The retention purge, once a day per server on the queue's minute tick (idempotent across servers). */
import type { AppContext } from "../http/context";
import { purgeAudit } from "./service";

export function dailyAuditPurge(ctx: AppContext): (now: Date) => Promise<unknown> {
  let lastDay = "";
  return async (now) => {
    const day = now.toISOString().slice(0, 10);
    if (day === lastDay) return;
    const purged = await purgeAudit(ctx.db, ctx.config.auditRetentionDays, now);
    lastDay = day;
    if (purged) ctx.logger.info({ purged, retentionDays: ctx.config.auditRetentionDays }, "audit entries purged");
  };
}
