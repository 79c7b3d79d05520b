export type Texts = { "zh-CN": string; en?: string };

export interface ReminderTemplateRecord {
  id: string;
  key: string;
  name: string;
  description?: string | null;
  audience: "employee" | "hr";
  channels: string[];
  subject: Texts;
  body: Texts;
  segment?: unknown;
  testCases?: unknown[];
  /** Several of this template's reminders for one recipient on one day go out as one message. */
  digest?: boolean;
  revision: number;
  latestVersion: number | null;
  updatedAt?: string;
}

export const LOCALES = ["zh-CN", "en"] as const;
export const CHANNELS = ["in-app", "email", "webhook"] as const;
export const AUDIENCES = ["employee", "hr"] as const;
