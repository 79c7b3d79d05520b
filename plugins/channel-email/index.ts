// Channel "email": nodemailer over SMTP. The server's ORDO_SMTP_URL / ORDO_SMTP_FROM are the defaults;
// a tenant may set its own (the SMTP URL is a secret: it carries the password). An employee is mailed
// at the address on their record; HR at the tenant's `hrTo` address.
import nodemailer from "nodemailer";
import { defineChannel, definePlugin, type ChannelResult } from "../../rules";

const EMAIL = { type: "string", format: "email", maxLength: 254 } as const;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** The HTML part: the rendered text with every character HTML gives meaning to escaped, lines kept. */
export const htmlOf = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/\r?\n/g, "<br>\n");

/** An SMTP failure as a code for the delivery log: the server's reply code, or the client's error code. */
function smtpFailure(err: unknown): ChannelResult {
  const e = err as { responseCode?: number; code?: string };
  if (typeof e.responseCode === "number") {
    // 5xx replies are permanent (unknown mailbox, refused); 4xx are worth another try.
    return { ok: false, errorCode: `SMTP_${e.responseCode}`, retryable: e.responseCode < 500 };
  }
  const code = typeof e.code === "string" && /^[A-Z_]{2,30}$/.test(e.code) ? e.code : "ERROR";
  return { ok: false, errorCode: `SMTP_${code}`, retryable: true };
}

export const emailChannel = defineChannel({
  name: "email",
  description: "email over SMTP (nodemailer); defaults ORDO_SMTP_URL and ORDO_SMTP_FROM",
  settings: {
    type: "object",
    additionalProperties: false,
    properties: {
      from: { type: "string", minLength: 3, maxLength: 300, description: "sender, e.g. Ordo <hr@example.com>" },
      hrTo: { ...EMAIL, description: "HR's mailbox (notifications for HR)" },
      smtpUrl: { type: "string", pattern: "^smtps?://", maxLength: 500, description: "smtp(s)://user:pass@host:port" },
    },
  },
  secrets: ["smtpUrl"],
  async send(message, { settings, secrets }) {
    const url = secrets.smtpUrl;
    const from = settings.from as string | undefined;
    if (!url || !from) return { ok: false, errorCode: "CHANNEL_NOT_CONFIGURED", retryable: false };
    const to =
      message.to ?? (message.audience === "employee" ? message.employee?.email : (settings.hrTo as string | undefined));
    if (!to) return { ok: false, errorCode: "NO_ADDRESS", retryable: false };
    const transport = nodemailer.createTransport(url, { connectionTimeout: 10_000, socketTimeout: 20_000 });
    try {
      await transport.sendMail({
        from,
        to,
        subject: message.subject,
        text: message.body,
        html: `<!doctype html><meta charset="utf-8"><div>${htmlOf(message.body)}</div>`,
        headers: { "X-Ordo-Notification": message.id, "X-Ordo-Template": message.template },
        messageId: `<${message.id}@ordo.notifications>`,
        attachments: message.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      return { ok: true };
    } catch (err) {
      return smtpFailure(err);
    } finally {
      transport.close();
    }
  },
});

export default definePlugin({
  name: "channel-email",
  setup(api) {
    api.addChannel(emailChannel);
  },
});
