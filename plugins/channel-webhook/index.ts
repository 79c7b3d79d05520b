// Channel "webhook": a JSON POST signed per Standard Webhooks (webhook-id, webhook-timestamp,
// webhook-signature). The URL is a secret (robot URLs carry their access key). 5xx answers, 408/429
// and timeouts are retried by the outbox; other answers are final. WeCom and DingTalk robots answer
// 200 with a non-zero `errcode` when they refuse a message: that is a failure too.
import { defineChannel, definePlugin, type ChannelResult } from "../../rules";
import { PRESETS, webhookBody, type Format, type Preset } from "./presets";
import { isWebhookSecret, sign } from "./signature";

export { sign, verify, newWebhookSecret, isWebhookSecret } from "./signature";

async function robotRefusal(res: Response): Promise<ChannelResult | undefined> {
  try {
    const answer = (await res.json()) as { errcode?: unknown };
    if (typeof answer.errcode === "number" && answer.errcode !== 0)
      return { ok: false, errorCode: `ROBOT_${answer.errcode}`, retryable: false };
  } catch {
    /* not JSON: the status said it all */
  }
  return undefined;
}

export const webhookChannel = defineChannel({
  name: "webhook",
  description: "JSON POST signed per Standard Webhooks; presets for WeCom and DingTalk robots",
  settings: {
    type: "object",
    additionalProperties: false,
    properties: {
      url: { type: "string", pattern: "^https?://", maxLength: 2000, description: "where to POST" },
      secret: { type: "string", pattern: "^whsec_[A-Za-z0-9+/]{16,}={0,2}$", description: "whsec_… signing secret" },
      preset: { enum: [...PRESETS], description: "body shape; default standard" },
      format: { enum: ["text", "markdown"], description: "robot message type; default text" },
      timeoutMs: { type: "integer", minimum: 100, maximum: 60_000, description: "default 10000" },
    },
  },
  secrets: ["url", "secret"],
  async send(message, { settings, secrets }) {
    const url = secrets.url;
    if (!url) return { ok: false, errorCode: "CHANNEL_NOT_CONFIGURED", retryable: false };
    const preset = (settings.preset as Preset | undefined) ?? "standard";
    const now = new Date();
    const body = JSON.stringify(webhookBody(preset, (settings.format as Format | undefined) ?? "text", message, now));
    const timestamp = Math.floor(now.getTime() / 1000);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "webhook-id": message.id,
      "webhook-timestamp": String(timestamp),
    };
    if (secrets.secret && isWebhookSecret(secrets.secret))
      headers["webhook-signature"] = sign(secrets.secret, message.id, timestamp, body);
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout((settings.timeoutMs as number | undefined) ?? 10_000),
      });
    } catch (err) {
      const name = (err as Error).name;
      return { ok: false, errorCode: name === "TimeoutError" ? "TIMEOUT" : "NETWORK_ERROR", retryable: true };
    }
    if (res.status >= 200 && res.status < 300) {
      const refused = preset === "standard" ? undefined : await robotRefusal(res);
      return refused ?? { ok: true };
    }
    await res.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      errorCode: `HTTP_${res.status}`,
      retryable: res.status >= 500 || res.status === 408 || res.status === 429,
    };
  },
});

export default definePlugin({
  name: "channel-webhook",
  setup(api) {
    api.addChannel(webhookChannel);
  },
});
