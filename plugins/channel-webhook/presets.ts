// Body shapes of the webhook channel: Standard Webhooks' envelope, and the robot messages of WeCom
// (企业微信群机器人) and DingTalk (钉钉自定义机器人), as text or markdown.
import type { ChannelMessage } from "../../rules";

export const PRESETS = ["standard", "wecom", "dingtalk"] as const;
export type Preset = (typeof PRESETS)[number];
export type Format = "text" | "markdown";

export function webhookBody(preset: Preset, format: Format, m: ChannelMessage, now: Date): unknown {
  const text = m.subject ? `${m.subject}\n${m.body}` : m.body;
  const markdown = m.subject ? `### ${m.subject}\n${m.body}` : m.body;
  switch (preset) {
    case "wecom":
      return format === "markdown"
        ? { msgtype: "markdown", markdown: { content: markdown } }
        : { msgtype: "text", text: { content: text } };
    case "dingtalk":
      return format === "markdown"
        ? { msgtype: "markdown", markdown: { title: m.subject || m.template, text: markdown } }
        : { msgtype: "text", text: { content: text } };
    default:
      return {
        type: "notification.created",
        timestamp: now.toISOString(),
        data: {
          id: m.id,
          template: m.template,
          audience: m.audience,
          employeeId: m.employee?.id ?? null,
          locale: m.locale,
          subject: m.subject,
          body: m.body,
          count: m.count,
          ...(m.link ? { link: m.link } : {}),
        },
      };
  }
}
