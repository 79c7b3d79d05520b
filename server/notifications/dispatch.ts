/**
 * Dispatch: sends the tenant's due notifications through their channel plugins. Rows are claimed by
 * one atomic `queued/failed → sending` update (SKIP LOCKED), so two servers never send the same row.
 * A failure is retried with exponential backoff (ORDO_NOTIFY_BACKOFF_SECONDS × 2^(attempt−1)) and is
 * dead after ORDO_NOTIFY_MAX_ATTEMPTS, or at once when the channel says retrying cannot help. Every
 * attempt is logged (time, channel, outcome, error code). Notifications of a digest template for one
 * recipient, channel and day go out as one message.
 *
 * A plain processor `(ctx, tenantId, options)`, registered with the job runner by type
 * ("notification-dispatch"), so it moves to another queue unchanged.
 */
import type { Knex } from "knex";
import type { ChannelMessage, ChannelResult } from "../../rules/index";
import type { AppContext } from "../http/context";
import { loadChannelConfig } from "./channels";

type Row = Record<string, any>;

export interface DispatchOptions {
  /** The clock (tests move it to see backoff); default now. */
  now?: Date;
  /** Rows claimed per round; rounds repeat until nothing is due. */
  batch?: number;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
  messages: number;
}

/** Local day of a timestamp in China (UTC+8, no DST): the day a digest combines. */
const dayOf = (t: Date | string) => new Date(new Date(t).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export const backoffMs = (baseSeconds: number, attempt: number) => baseSeconds * 1000 * 2 ** Math.max(0, attempt - 1);

/**
 * Claims up to `limit` due rows of the tenant. A row that failed in this very call (its `updated_at`
 * is this call's clock) waits for the next call, even with no backoff: one attempt per row per call.
 */
async function claim(db: Knex, tenantId: string, now: Date, limit: number): Promise<Row[]> {
  const res = await db.raw(
    `UPDATE notifications SET status = 'sending', updated_at = ?
     WHERE tenant_id = ? AND id IN (
       SELECT id FROM notifications
       WHERE tenant_id = ? AND next_attempt_at <= ?
         AND (status = 'queued' OR (status = 'failed' AND updated_at < ?))
       ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [now, tenantId, tenantId, now, now, limit],
  );
  return (res.rows as Row[]).sort(
    (a, b) => String(a.created_at).localeCompare(String(b.created_at)) || (a.id < b.id ? -1 : 1),
  );
}

/** A row left `sending` by a server that stopped mid-send is due again (its attempt was not logged). */
async function reclaim(db: Knex, tenantId: string, now: Date, staleMs: number): Promise<void> {
  await db("notifications")
    .where({ tenant_id: tenantId, status: "sending" })
    .andWhere("updated_at", "<", new Date(now.getTime() - staleMs))
    .update({ status: "failed", next_attempt_at: now, updated_at: new Date(now.getTime() - 1) });
}

function groups(rows: Row[]): Row[][] {
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const key = r.digest
      ? [
          "d",
          r.template,
          r.channel,
          r.audience,
          r.audience === "hr" ? "hr" : r.employee_id,
          r.locale,
          dayOf(r.created_at),
        ].join("|")
      : `n|${r.id}`;
    const g = out.get(key);
    if (g) g.push(r);
    else out.set(key, [r]);
  }
  return [...out.values()];
}

function message(tenantId: string, rows: Row[], employees: Map<string, Row>): ChannelMessage {
  const first = rows[0]!;
  const employee = first.audience === "employee" && first.employee_id ? employees.get(first.employee_id) : undefined;
  const zh = String(first.locale).startsWith("zh");
  const subject =
    rows.length === 1
      ? first.subject
      : zh
        ? `${first.subject}（共 ${rows.length} 条）`
        : `${first.subject} (${rows.length} notices)`;
  return {
    id: first.id,
    tenantId,
    template: first.template,
    audience: first.audience,
    locale: first.locale,
    subject,
    body: rows.map((r) => r.body).join("\n\n——\n\n"),
    employee: employee ? { id: employee.id, name: employee.name, email: employee.email ?? null } : null,
    count: rows.length,
  };
}

export async function dispatchNotifications(
  ctx: AppContext,
  tenantId: string,
  opts: DispatchOptions = {},
): Promise<DispatchResult> {
  const db = ctx.db;
  const now = opts.now ?? new Date();
  const out: DispatchResult = { claimed: 0, sent: 0, failed: 0, dead: 0, messages: 0 };
  const maxAttempts = ctx.config.notifyMaxAttempts;
  await reclaim(db, tenantId, now, ctx.config.jobStaleSeconds * 1000);
  const configs = new Map<string, Awaited<ReturnType<typeof loadChannelConfig>> | null>();
  for (;;) {
    const rows = await claim(db, tenantId, now, opts.batch ?? 200);
    if (!rows.length) break;
    out.claimed += rows.length;
    const ids = [...new Set(rows.filter((r) => r.audience === "employee" && r.employee_id).map((r) => r.employee_id))];
    const employees = new Map<string, Row>(
      ids.length
        ? (await db("employees").where({ tenant_id: tenantId }).whereIn("id", ids).select("id", "name", "email")).map(
            (e: Row) => [e.id, e],
          )
        : [],
    );
    for (const group of groups(rows)) {
      const channelName = group[0]!.channel as string;
      const channel = ctx.rules.registry.getChannel(channelName);
      if (!configs.has(channelName))
        configs.set(channelName, channel ? await loadChannelConfig(db, ctx.config, channel, tenantId) : null);
      const config = configs.get(channelName);
      const started = Date.now();
      let result: ChannelResult;
      if (!channel || !config) result = { ok: false, errorCode: "CHANNEL_UNKNOWN", retryable: false };
      else if (!config.enabled) result = { ok: false, errorCode: "CHANNEL_DISABLED", retryable: false };
      else {
        try {
          result = await channel.send(message(tenantId, group, employees), {
            settings: config.settings,
            secrets: config.secrets,
          });
        } catch (err) {
          ctx.logger.warn({ err, tenantId, channel: channelName }, "channel send threw");
          result = { ok: false, errorCode: "SEND_ERROR", retryable: true };
        }
      }
      out.messages++;
      await record(
        db,
        tenantId,
        group,
        result,
        now,
        Date.now() - started,
        maxAttempts,
        ctx.config.notifyBackoffSeconds,
        out,
      );
    }
  }
  return out;
}

/** Writes the outcome of one attempt for every notification of a message, and its log rows. */
async function record(
  db: Knex,
  tenantId: string,
  group: Row[],
  result: ChannelResult,
  now: Date,
  durationMs: number,
  maxAttempts: number,
  backoffSeconds: number,
  out: DispatchResult,
): Promise<void> {
  const digestId = group.length > 1 ? group[0]!.id : null;
  await db.transaction(async (trx) => {
    for (const r of group) {
      const attempt = Number(r.attempts) + 1;
      const outcome = result.ok ? "sent" : result.retryable === false || attempt >= maxAttempts ? "dead" : "failed";
      out[outcome]++;
      await trx("notification_attempts").insert({
        tenant_id: tenantId,
        notification_id: r.id,
        attempt,
        channel: r.channel,
        outcome,
        error_code: result.ok ? null : (result.errorCode ?? "ERROR").slice(0, 60),
        duration_ms: Math.max(0, Math.round(durationMs)),
        created_at: now,
      });
      await trx("notifications")
        .where({ tenant_id: tenantId, id: r.id })
        .update({
          status: outcome,
          attempts: attempt,
          last_error: result.ok ? null : (result.errorCode ?? "ERROR").slice(0, 60),
          sent_at: result.ok ? now : null,
          digest_id: digestId,
          next_attempt_at: outcome === "failed" ? new Date(now.getTime() + backoffMs(backoffSeconds, attempt)) : now,
          updated_at: now,
        });
    }
  });
}

/** Queues a dispatch job for the tenant unless one is already waiting; the runner picks it up. */
export async function queueDispatch(db: Knex, tenantId: string, actorId: string | null = null): Promise<string> {
  const waiting = await db("jobs").where({ tenant_id: tenantId, type: DISPATCH_JOB, status: "queued" }).first("id");
  if (waiting) return waiting.id;
  const [row] = await db("jobs")
    .insert({ tenant_id: tenantId, type: DISPATCH_JOB, status: "queued", params: "{}", actor_id: actorId })
    .returning("id");
  return row.id;
}

export const DISPATCH_JOB = "notification-dispatch";

/** The job-runner processor: claims the job row, dispatches, stores the counts. */
export async function processDispatchJob(ctx: AppContext, tenantId: string, jobId: string) {
  const db = ctx.db;
  const claimed = await db("jobs")
    .where({ tenant_id: tenantId, id: jobId, status: "queued" })
    .update({ status: "running", updated_at: db.fn.now() })
    .returning("id");
  if (!claimed.length) return db("jobs").where({ tenant_id: tenantId, id: jobId }).first();
  try {
    const result = await dispatchNotifications(ctx, tenantId);
    await db("jobs")
      .where({ tenant_id: tenantId, id: jobId })
      .update({
        status: "done",
        progress: result.claimed,
        total: result.claimed,
        result: JSON.stringify(result),
        updated_at: db.fn.now(),
        finished_at: db.fn.now(),
      });
    return { id: jobId, status: "done", result };
  } catch (err) {
    ctx.logger.error({ err, tenantId, jobId }, "notification dispatch failed");
    await db("jobs")
      .where({ tenant_id: tenantId, id: jobId })
      .update({
        status: "failed",
        error: JSON.stringify({ code: "INTERNAL_ERROR", message: "dispatch failed" }),
        updated_at: db.fn.now(),
        finished_at: db.fn.now(),
      });
    return { id: jobId, status: "failed" };
  }
}

/**
 * The scan that sends what is due: every tenant with a notification whose time has come (queued,
 * a retry whose backoff ran out, a reminder scheduled for today) gets a dispatch job. Safe on any
 * number of servers: a tenant has at most one waiting dispatch job, and rows are claimed atomically.
 */
export async function scanDueNotifications(db: Knex, now: Date = new Date()): Promise<number> {
  const due: Row[] = await db("notifications")
    .whereIn("status", ["queued", "failed"])
    .andWhere("next_attempt_at", "<=", now)
    .distinct("tenant_id");
  for (const { tenant_id } of due) await queueDispatch(db, tenant_id);
  return due.length;
}
