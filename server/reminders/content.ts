/**
 * A reminder template's versioned content and its validation: audience, channels, subject and body per
 * locale in Liquid (placeholders from the fact catalogue, filters that exist), an optional segment in the
 * json-rules-engine condition format, and test cases. Every problem is reported at its JSON pointer.
 */
import { validateRuleSet, type Diagnostic, type Registry, type TopLevelCondition } from "../../rules/index";
import { ENUMS } from "../../domain/index";
import { type AppError, fail } from "../errors";
import { placeholderProblem } from "./catalogue";
import { placeholders } from "./liquid";
import { segmentRuleSet } from "./segment";

/** Who a template speaks to and where it goes: codes and labels live in domain/enums.ts. */
export const AUDIENCES = ENUMS.recipient.map((r) => r.code);
export const CHANNELS = ENUMS.reminderChannel.map((c) => c.code);
export const TEMPLATE_LOCALES = ["zh-CN", "en"] as const;
export type Audience = (typeof AUDIENCES)[number];
export type Channel = (typeof CHANNELS)[number];
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];
export type Texts = { "zh-CN": string; en?: string };

export interface TemplateTestCase {
  name: string;
  facts: Record<string, unknown>;
  locale?: TemplateLocale;
  channel?: Channel;
  expectSegmentMatched?: boolean;
  expectSubjectContains?: string[];
  expectBodyContains?: string[];
}

export interface TemplateContent {
  audience: Audience;
  channels: Channel[];
  subject: Texts;
  body: Texts;
  segment?: TopLevelCondition | null;
  testCases?: TemplateTestCase[];
  /** The outbox combines one recipient's notifications of this template on one day into one message. */
  digest?: boolean;
}

export const CONTENT_FIELDS = ["audience", "channels", "subject", "body", "segment", "testCases", "digest"] as const;
export const emptyContent = () => ({
  audience: "employee",
  channels: ["in-app"],
  subject: { "zh-CN": "" },
  body: { "zh-CN": "" },
  segment: null,
  testCases: [],
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const FILTER_ERROR = /undefined filter: ([^,\s]+)/;

function textErrors(pointer: string, source: unknown, out: Diagnostic[]) {
  if (typeof source !== "string") {
    out.push({ pointer, code: "TYPE", message: "must be a text" });
    return;
  }
  let paths: (string | number)[][];
  try {
    paths = placeholders(source);
  } catch (err) {
    const message = (err as Error).message;
    const filter = FILTER_ERROR.exec(message)?.[1];
    out.push(
      filter
        ? { pointer, code: "UNKNOWN_FILTER", message: `unknown filter ${filter}` }
        : { pointer, code: "LIQUID", message: `cannot be parsed: ${message}` },
    );
    return;
  }
  for (const path of paths) {
    const problem = placeholderProblem(path);
    if (problem) out.push({ pointer, code: "UNKNOWN_PLACEHOLDER", message: problem });
  }
}

function textsErrors(part: "subject" | "body", texts: unknown, out: Diagnostic[]) {
  if (!isObject(texts)) {
    out.push({ pointer: `/${part}`, code: "TYPE", message: 'must be an object of locale to text, with "zh-CN"' });
    return;
  }
  if (typeof texts["zh-CN"] !== "string" || texts["zh-CN"].trim() === "")
    out.push({ pointer: `/${part}/zh-CN`, code: "REQUIRED", message: "the zh-CN text is required" });
  for (const [locale, source] of Object.entries(texts)) {
    if (!(TEMPLATE_LOCALES as readonly string[]).includes(locale))
      out.push({ pointer: `/${part}/${locale}`, code: "LOCALE", message: `locale ${locale} is not zh-CN or en` });
    else textErrors(`/${part}/${locale}`, source, out);
  }
}

function testCaseErrors(cases: unknown, out: Diagnostic[]) {
  if (cases === undefined) return;
  if (!Array.isArray(cases)) {
    out.push({ pointer: "/testCases", code: "TYPE", message: "must be a list" });
    return;
  }
  cases.forEach((tc, i) => {
    const p = `/testCases/${i}`;
    if (!isObject(tc)) {
      out.push({ pointer: p, code: "TYPE", message: "a test case must be an object" });
      return;
    }
    if (typeof tc.name !== "string" || !tc.name)
      out.push({ pointer: `${p}/name`, code: "REQUIRED", message: "a test case needs a name" });
    if (!isObject(tc.facts)) out.push({ pointer: `${p}/facts`, code: "TYPE", message: "facts must be an object" });
    if (tc.locale !== undefined && !(TEMPLATE_LOCALES as readonly unknown[]).includes(tc.locale))
      out.push({ pointer: `${p}/locale`, code: "LOCALE", message: "locale must be zh-CN or en" });
    if (tc.channel !== undefined && !(CHANNELS as readonly unknown[]).includes(tc.channel))
      out.push({ pointer: `${p}/channel`, code: "CHANNEL", message: `channel must be one of ${CHANNELS.join(", ")}` });
    for (const k of ["expectSubjectContains", "expectBodyContains"])
      if (tc[k] !== undefined && !(Array.isArray(tc[k]) && tc[k].every((s) => typeof s === "string")))
        out.push({ pointer: `${p}/${k}`, code: "TYPE", message: `${k} must be a list of texts` });
    if (tc.expectSegmentMatched !== undefined && typeof tc.expectSegmentMatched !== "boolean")
      out.push({ pointer: `${p}/expectSegmentMatched`, code: "TYPE", message: "must be true or false" });
  });
}

/** Every problem of a template's content, each at its JSON pointer. */
export function templateErrors(content: Record<string, unknown>, registry: Registry): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!(AUDIENCES as readonly unknown[]).includes(content.audience))
    out.push({ pointer: "/audience", code: "AUDIENCE", message: `audience must be ${AUDIENCES.join(" or ")}` });
  const channels = content.channels;
  if (!Array.isArray(channels) || channels.length === 0)
    out.push({ pointer: "/channels", code: "REQUIRED", message: "name one or more channels" });
  else
    channels.forEach((c, i) => {
      if (!(CHANNELS as readonly unknown[]).includes(c))
        out.push({
          pointer: `/channels/${i}`,
          code: "CHANNEL",
          message: `channel must be one of ${CHANNELS.join(", ")}`,
        });
      else if (channels.indexOf(c) !== i)
        out.push({ pointer: `/channels/${i}`, code: "DUPLICATE", message: `channel ${c} is listed twice` });
    });
  textsErrors("subject", content.subject, out);
  textsErrors("body", content.body, out);
  if (content.segment !== undefined && content.segment !== null) {
    const { errors } = validateRuleSet(segmentRuleSet(content.segment as TopLevelCondition), registry);
    for (const e of errors)
      out.push({ ...e, pointer: e.pointer.replace(/^\/rules\/0\/conditions/, "/segment").replace(/^$/, "/segment") });
  }
  testCaseErrors(content.testCases, out);
  if (content.digest !== undefined && content.digest !== null && typeof content.digest !== "boolean")
    out.push({ pointer: "/digest", code: "TYPE", message: "must be true or false" });
  return out;
}

/** The 400 for a content's problems, coded by the first one (UNKNOWN_PLACEHOLDER names the placeholder). */
export function invalidTemplate(errors: Diagnostic[]): AppError {
  const first = errors[0]!;
  const extra = {
    details: { errors },
    errors: Object.fromEntries(errors.map((e) => [e.pointer || "/", e.message])),
  };
  if (first.code === "UNKNOWN_PLACEHOLDER")
    return fail(
      "UNKNOWN_PLACEHOLDER",
      { pointer: first.pointer, placeholder: first.message.replace("unknown placeholder ", "") },
      extra,
    );
  if (first.code === "UNKNOWN_FILTER")
    return fail(
      "UNKNOWN_FILTER",
      { pointer: first.pointer, filter: first.message.replace("unknown filter ", "") },
      extra,
    );
  return fail("INVALID_TEMPLATE", { pointer: first.pointer || "/", problem: first.message }, extra);
}

export function checkTemplate(content: Record<string, unknown>, registry: Registry): void {
  const errors = templateErrors(content, registry);
  if (errors.length) throw invalidTemplate(errors);
}
