/**
 * Scheduled report delivery: a `report-delivery` schedule (its target the report's key; params the format,
 * the recipients and the report's parameter values) queues a job at each fire time; the job exports the
 * whole report (XLSX by default) and mails it, attached, to each recipient through the tenant's email
 * channel. A recipient the channel refuses for good is reported in the job's result; a failure worth
 * another try fails the job, and the queue retries it with backoff.
 */
import { PassThrough } from "node:stream";
import type { Knex } from "knex";
import type { AppContext } from "../http/context";
import { fail } from "../errors";
import { claimJob } from "../jobs/store";
import { JobBusyError, type Attempt } from "../jobs/queue";
import { loadChannelConfig } from "../notifications/channels";
import { ReportService } from "./service";
import { deliveryParams, type DeliveryParams } from "./delivery-params";
import { signReportLink } from "./links";

export const DELIVERY_JOB = "report-delivery";
type Row = Record<string, any>;

/** A schedule's references name records of its tenant: the report, and users of the tenant with an email. */
export async function checkDeliveryReferences(
  db: Knex,
  tenantId: string,
  record: Readonly<Record<string, unknown>>,
): Promise<void> {
  if (record.jobType !== "report-delivery") return;
  const key = String(record.target);
  const report = await db("documents").where({ tenant_id: tenantId, kind: "report", key }).first("key");
  if (!report)
    throw fail(
      "VALIDATION_FAILED",
      { field: "target", problem: `names no report of this tenant: "${key}"` },
      { errors: { target: "names no report of this tenant" } },
    );
  const wanted = ((record.params as Row | undefined)?.recipients ?? []) as string[];
  const found = await db("users as u")
    .join("user_tenants as ut", "ut.user_id", "u.id")
    .where("ut.tenant_id", tenantId)
    .whereIn("u.id", wanted)
    .whereNot("u.role", "employee")
    .select("u.id");
  const ok = new Set(found.map((u: Row) => u.id));
  const missing = wanted.filter((id) => !ok.has(id));
  if (missing.length)
    throw fail(
      "VALIDATION_FAILED",
      { field: "params/recipients", problem: `are not HR users of this tenant: ${missing.join(", ")}` },
      { errors: { "params/recipients": "must be HR users of this tenant" }, details: { missing } },
    );
}

interface Delivery {
  key: string;
  name: string | undefined;
  values: Record<string, unknown>;
  delivery: DeliveryParams;
  at: string | undefined;
}
interface Outcome {
  rows?: number;
  sent: string[];
  refused: { user?: string; errorCode?: string }[];
  link?: string;
}

async function channelReady(ctx: AppContext, tenantId: string, name: string) {
  const channel = ctx.rules.registry.getChannel(name);
  if (!channel) throw fail("UNKNOWN_CHANNEL", { channel: name });
  const config = await loadChannelConfig(ctx.db, ctx.config, channel, tenantId);
  if (!config.enabled) throw fail("CHANNEL_NOT_CONFIGURED", { channel: name });
  return { channel, ctx: { settings: config.settings, secrets: config.secrets } };
}

/** The whole report attached to a mail to each recipient. */
async function byEmail(ctx: AppContext, tenantId: string, jobId: string, d: Delivery): Promise<Outcome> {
  const db = ctx.db;
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on("data", (c: Buffer) => chunks.push(c));
  const spec = await new ReportService().specOf(db, tenantId, d.key);
  const { rows } = await new ReportService().export(db, tenantId, spec, d.values, "zh", d.delivery.format, out);
  const content = Buffer.concat(chunks);
  const { channel, ctx: send } = await channelReady(ctx, tenantId, "email");
  const users: Row[] = await db("users as u")
    .join("user_tenants as ut", "ut.user_id", "u.id")
    .where("ut.tenant_id", tenantId)
    .whereIn("u.id", d.delivery.recipients)
    .select("u.id", "u.email", "u.name");
  const filename = `${d.key}-${d.at ?? new Date().toISOString().slice(0, 10)}.${d.delivery.format}`;
  const contentType =
    d.delivery.format === "csv"
      ? "text/csv; charset=utf-8"
      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const sent: string[] = [];
  const refused: Outcome["refused"] = [];
  for (const u of users) {
    const result = await channel.send(
      {
        id: `${jobId}.${u.id}`,
        tenantId,
        template: `report:${d.key}`,
        audience: "hr",
        locale: "zh-CN",
        subject: `${d.name ?? d.key}（${d.at ?? ""}）`,
        body:
          `${u.name}，您好：\n附件是报表“${d.name ?? d.key}”（${rows} 行），由 Ordo 按计划发送。\n` +
          `Attached: the report "${d.name ?? d.key}" (${rows} rows), sent on schedule by Ordo.`,
        employee: null,
        count: 1,
        to: u.email,
        attachments: [{ filename, contentType, content }],
      },
      send,
    );
    if (result.ok) sent.push(u.email);
    else if (result.retryable !== false) throw new Error(`email to a recipient failed: ${result.errorCode}`);
    else refused.push({ user: u.id, errorCode: result.errorCode });
  }
  return { rows, sent, refused };
}

/** A signed link (valid LINK_DAYS days) to download the report, posted to the tenant's webhook. */
async function byWebhook(
  ctx: AppContext,
  tenantId: string,
  jobId: string,
  d: Delivery & { secret: string },
): Promise<Outcome> {
  const { channel, ctx: send } = await channelReady(ctx, tenantId, "webhook");
  const expires = Math.floor(Date.now() / 1000) + LINK_DAYS * 24 * 3600;
  const token = signReportLink(d.secret, {
    tenantId,
    key: d.key,
    format: d.delivery.format,
    params: d.values,
    expires,
  });
  const link = `${ctx.config.publicUrl}/api/reports/shared/${token}`;
  const result = await channel.send(
    {
      id: jobId,
      tenantId,
      template: `report:${d.key}`,
      audience: "hr",
      locale: "zh-CN",
      subject: `${d.name ?? d.key}（${d.at ?? ""}）`,
      body: `报表“${d.name ?? d.key}”已生成，${LINK_DAYS} 天内可下载：${link}`,
      employee: null,
      count: 1,
      link,
    },
    send,
  );
  if (result.ok) return { sent: ["webhook"], refused: [], link };
  if (result.retryable !== false) throw new Error(`webhook failed: ${result.errorCode}`);
  return { sent: [], refused: [{ errorCode: result.errorCode }], link };
}

export const LINK_DAYS = 7;

const finish = (db: Knex, tenantId: string, jobId: string, patch: Row) =>
  db("jobs")
    .where({ tenant_id: tenantId, id: jobId })
    .update({ ...patch, updated_at: db.fn.now(), finished_at: db.fn.now() });

export async function processReportDelivery(ctx: AppContext, tenantId: string, jobId: string, attempt: Attempt) {
  const db = ctx.db;
  const claim = await claimJob(db, tenantId, jobId, {
    staleMs: ctx.config.jobStaleSeconds * 1000,
    worker: ctx.jobs.worker,
  });
  if ("busy" in claim && !attempt.final) throw new JobBusyError(jobId);
  if (!("row" in claim)) return;
  const params = claim.row.params as Row;
  const key = String(params.target);
  const delivery = deliveryParams(params);
  try {
    const reports = new ReportService();
    const spec = await reports.specOf(db, tenantId, key);
    const name = (await db("documents").where({ tenant_id: tenantId, kind: "report", key }).first("name"))?.name;
    // A report parameter named `month` not given takes the fire month.
    const values = { ...delivery.params };
    if (spec.params?.month && values.month === undefined && params.month) values.month = params.month;
    const secret = await ctx.tokenSecret();
    const result =
      delivery.channel === "webhook"
        ? await byWebhook(ctx, tenantId, jobId, { key, name, values, delivery, at: params.at, secret })
        : await byEmail(ctx, tenantId, jobId, { key, name, values, delivery, at: params.at });
    await finish(db, tenantId, jobId, {
      status: "done",
      progress: result.sent.length,
      total: result.sent.length + result.refused.length,
      result: JSON.stringify({ report: key, format: delivery.format, channel: delivery.channel, ...result }),
    });
  } catch (err) {
    ctx.logger.warn({ err, tenantId, jobId, report: key }, "report delivery failed");
    if (!attempt.final) {
      // Queued again for the retry the queue makes.
      await db("jobs").where({ tenant_id: tenantId, id: jobId }).update({ status: "queued", updated_at: db.fn.now() });
      throw err;
    }
    const code = (err as { code?: string }).code ?? "REPORT_DELIVERY_FAILED";
    await finish(db, tenantId, jobId, {
      status: "failed",
      error: JSON.stringify({ code, message: "the report could not be delivered" }),
    });
  }
}
