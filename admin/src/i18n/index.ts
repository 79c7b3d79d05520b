import polyglotI18nProvider from "ra-i18n-polyglot";
import englishMessages from "ra-language-english";
import type { I18nProvider, TranslationMessages } from "react-admin";
import { session } from "../api/session";
import type { Localized } from "../types";
import { en } from "./en";
import { raZhCN } from "./raZhCN";
import { zhCN } from "./zhCN";
import { currentLocale } from "../api/locale";

export type Locale = "en" | "zh-CN";

const catalogues: Record<Locale, TranslationMessages> = {
  en: { ...englishMessages, ...en } as TranslationMessages,
  "zh-CN": { ...raZhCN, ...zhCN } as TranslationMessages,
};

const initialLocale = (): Locale => currentLocale();

export function pick(label: Localized | string | undefined, locale: string): string | undefined {
  if (!label) return undefined;
  if (typeof label === "string") return label;
  return locale.startsWith("zh") ? label.zh || label.en : label.en || label.zh;
}

/**
 * Entity and field names come from GET /api/entities, so `resources.<name>.…` keys are answered
 * from the session at translate time: a new custom field is labelled without rebuilding messages.
 */
function entityTranslation(key: string, locale: string): string | undefined {
  if (!key.startsWith("resources.")) return undefined;
  const [, resource, kind, field] = key.split(".");
  const entity = session.get().entities?.find((e) => e.name === resource);
  if (!entity) return undefined;
  if (kind === "name") return pick(entity.label, locale);
  if (kind !== "fields" || !field) return undefined;
  const custom = entity.customFields?.find((c) => c.name === field);
  return (
    pick(entity.ui.fieldLabels?.[field], locale) ??
    pick(custom?.label, locale) ??
    entity.schema.properties?.[field]?.title
  );
}

const base = polyglotI18nProvider(
  (locale) => catalogues[locale as Locale] ?? catalogues.en,
  initialLocale(),
  [
    { locale: "zh-CN", name: "简体中文" },
    { locale: "en", name: "English" },
  ],
  { allowMissing: true },
);

export const i18nProvider: I18nProvider = {
  ...base,
  translate: (key, options) => entityTranslation(key, base.getLocale()) ?? base.translate(key, options),
};
