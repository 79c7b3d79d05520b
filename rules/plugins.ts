// Plugins contribute operators, dynamic facts and actions. A registry is built once from
// an explicit list; two plugins claiming the same name is refused with both names.
import { type Locale, schemaIn, type Text, textIn } from "./i18n";
import type { JsonSchema } from "./types";

export type OperatorFn = (factValue: unknown, compareValue: unknown, params?: Record<string, unknown>) => boolean;

export interface OperatorMeta {
  /** Shown in the admin's rule builder: give `{ "zh-CN", en }` (a plain string is used for both). */
  description?: Text;
  /** JSON-Schema type the fact value should have; validation warns on declared mismatches. */
  factType?: string;
  /** JSON-Schema type a literal `value` must have; validation rejects mismatches. */
  valueType?: string;
  /** Schema for the condition's `params` when the operator reads them. */
  params?: JsonSchema;
}

/** What a fact resolver sees of the current evaluation (json-rules-engine's almanac, reduced). */
export interface FactContext {
  /** Evaluation date, YYYY-MM-DD. */
  readonly at: string;
  /** The input facts of this evaluation. */
  readonly input: Readonly<Record<string, unknown>>;
  /** What the host passed as `EvaluateOptions.services` (empty in dry runs and test cases). */
  readonly services: Readonly<Record<string, unknown>>;
  /** Value of another fact (memoised per evaluation); a Promise only if that fact is asynchronous. */
  factValue(name: string, params?: Record<string, unknown>, path?: string): unknown;
}

export type FactResolver = (params: Record<string, unknown>, ctx: FactContext) => unknown;

export interface FactMeta {
  /** JSON-Schema-ish type of the value, e.g. "integer", "string". */
  type: string;
  description: Text;
  /** Its `description`s (and `title`s) may be `{ "zh-CN", en }` too: the catalogue answers one language. */
  params?: JsonSchema;
  /**
   * json-rules-engine's fact priority: conditions on this fact without a priority of their own are
   * evaluated in that priority set (higher first), so an expensive fact can be asked last. Default 1.
   */
  priority?: number;
}

/** An alert for HR, as an action hands it to the host (message already filled in). */
export interface AlertInput {
  type: string;
  severity?: "info" | "warning" | "critical";
  message: string;
  /** YYYY-MM-DD, or null/absent when the alert has no due date. */
  dueDate?: string | null;
  data?: Record<string, unknown>;
  /** Raising twice with one key stores one alert; null never deduplicates; absent: type, employee and due date. */
  dedupeKey?: string | null;
}

/** A notification queued for HR or the employee. */
export interface ReminderInput {
  recipient: "hr" | "employee";
  template: string;
  channel?: string;
  payload?: Record<string, unknown>;
  dueDate?: string | null;
  /** With template and recipient, what makes the reminder unique: queued once per period (a month, a date). */
  period?: string;
  locale?: string;
  /** Combine with the same template's other reminders to one recipient on one day. */
  digest?: boolean;
  /** Not sent before this day (YYYY-MM-DD, from 09:00 China time); absent: at once. */
  sendOn?: string | null;
}

/** What the record-decision action stores: the event with the facts and trace it came from. */
export interface DecisionInput {
  tenantId: string;
  ruleSet: string;
  version: number | "draft";
  type: string;
  params: Record<string, unknown>;
  facts: Record<string, unknown>;
  trace: unknown;
}

/**
 * What a host write answers. `queued` when the host batches writes (a monthly run stores a chunk's
 * rows in one statement): the row is written with the chunk, and `id` is known only for decisions.
 */
export interface WriteResult {
  written: boolean;
  queued?: boolean;
  id?: string;
  reason?: string;
  dedupeKey?: string | null;
}

/**
 * The services a host gives actions, the same in every mode that writes (an operation's apply, the
 * monthly run). `Trx` is the host's transaction type, opaque to this library; a plugin that writes
 * its own rows narrows it with a type import (the social-insurance plugin uses knex's).
 */
export interface HostServices<Trx = unknown, Policy = unknown> {
  /** The transaction every write of this decision belongs to. */
  readonly trx: Trx;
  readonly tenantId: string;
  /** The employee the decision is about, or null (e.g. a city-level check). */
  readonly employeeId: string | null;
  /** The evaluation date, YYYY-MM-DD. */
  readonly at: string;
  /** The policy set in force (the host's type). */
  readonly policy: Policy;
  /** The decision every write links to. */
  readonly decisionId: string;
  /** Stores a decision row (event params, facts, trace) and answers its id. */
  recordDecision(decision: DecisionInput): Promise<WriteResult & { id: string }>;
  raiseAlert(alert: AlertInput): Promise<WriteResult>;
  queueReminder(reminder: ReminderInput): Promise<WriteResult>;
  /**
   * Resolves the decision employee's open alerts of `type` (the situation that raised them is over),
   * with `reason` in their history; answers how many (the host may resolve them with its chunk).
   */
  resolveAlerts?(match: { type: string }, reason: string): Promise<WriteResult & { resolved?: number }>;
  /**
   * The enrollment periods of the decision's employee. The host may answer from a chunk it loaded and
   * store the changes with the chunk (a batch upload), so an action reads and writes periods through
   * these, never behind the host's back.
   */
  readonly enrollments: EnrollmentServices;
  /** The decision's employee. */
  readonly employee: EmployeeServices;
}

/** An enrollment period (参保期间) as the host hands it to actions; dates are YYYY-MM-DD, money a decimal string. */
export interface EnrollmentRecord {
  id: string;
  employeeId: string;
  insuredCity: string;
  insurances: string[];
  base: string | null;
  fromDate: string;
  toDate: string | null;
  status: string;
  reason: string | null;
}

export type NewEnrollment = Omit<EnrollmentRecord, "id" | "employeeId">;

/** What an action may change on a period; `linkDecision` links the period to the decision. */
export type EnrollmentPatch = Partial<
  Pick<EnrollmentRecord, "insuredCity" | "base" | "toDate" | "status" | "reason">
> & {
  linkDecision?: boolean;
};

export interface EnrollmentServices {
  /** The open period (pending or active; no end, or ending on or after `date`), the latest start first. */
  open(date: string): Promise<EnrollmentRecord | undefined>;
  /** Starts a period of the decision's employee, linked to the decision; answers its id. */
  create(enrollment: NewEnrollment): Promise<string>;
  update(id: string, patch: EnrollmentPatch): Promise<void>;
}

export interface EmployeeServices {
  /** The employee's insured city and employment type, or undefined without an employee. */
  get(): Promise<{ id: string; insuredCity: string; employmentType: string } | undefined>;
  setInsuredCity(city: string): Promise<void>;
}

export interface ActionMeta {
  description: Text;
  /** JSON Schema of the event's `params` (the admin's rule builder draws its form from it). */
  params?: JsonSchema;
}

export interface ActionContext {
  tenantId: string;
  ruleSet: string;
  version: number | "draft";
  facts: Record<string, unknown>;
  trace: unknown;
  /** Injected by the host; empty in dry runs, where an action writes nothing and says so. */
  services: Partial<HostServices>;
}

export type ActionHandler = (event: { type: string; params?: Record<string, unknown> }, ctx: ActionContext) => unknown;

/** One message a channel delivers: already rendered (the outbox keeps what was sent). */
export interface ChannelMessage {
  /** The notification's id (a digest: the id of its first notification); stable across retries. */
  id: string;
  tenantId: string;
  template: string;
  audience: "hr" | "employee";
  locale: string;
  subject: string;
  body: string;
  /** The recipient employee (audience employee), with what the host knows of them. */
  employee?: { id: string; name: string; email: string | null } | null;
  /** How many notifications this message combines (1 unless a digest). */
  count: number;
  /** An explicit address (a scheduled report to a user), over the audience's. */
  to?: string;
  /** A link the message is about (a delivered report's download), for channels that show one. */
  link?: string;
  /** Files sent with the message (a scheduled report's XLSX); channels that cannot carry files ignore them. */
  attachments?: readonly { filename: string; contentType: string; content: Buffer }[];
}

/** What a channel answers for one attempt. `retryable: false` makes the notification dead at once. */
export interface ChannelResult {
  ok: boolean;
  /** A short code for the delivery log (SMTP_ERROR, HTTP_500, TIMEOUT …), never a secret or remote text. */
  errorCode?: string;
  retryable?: boolean;
}

export interface ChannelSendContext {
  /** The tenant's settings of this channel (validated against `settings`), host defaults applied. */
  settings: Readonly<Record<string, unknown>>;
  /** The tenant's secrets of this channel (write-only through the API). */
  secrets: Readonly<Record<string, string>>;
}

/**
 * A delivery channel. `settings` is the JSON Schema of its per-tenant settings; `secrets` names the
 * settings that are write-only (never answered, only `{secretSet: true}`).
 */
export interface ChannelDef {
  name: string;
  description: string;
  settings: JsonSchema;
  secrets: readonly string[];
  /** Enabled for a tenant that has not configured it (in-app needs no settings). */
  enabledByDefault?: boolean;
  send(message: ChannelMessage, ctx: ChannelSendContext): Promise<ChannelResult>;
}

export function defineChannel(def: Omit<ChannelDef, "secrets"> & { secrets?: readonly string[] }): ChannelDef {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(def.name)) throw new Error(`defineChannel: invalid channel name "${def.name}"`);
  return Object.freeze({ ...def, secrets: Object.freeze([...(def.secrets ?? [])]) });
}

export interface PluginApi {
  addOperator(name: string, fn: OperatorFn, meta?: OperatorMeta): void;
  addFact(name: string, resolver: FactResolver, meta: FactMeta): void;
  addAction(type: string, handler: ActionHandler, meta: ActionMeta): void;
  /** A delivery channel for notifications (see defineChannel). */
  addChannel(channel: ChannelDef): void;
}

export interface Plugin {
  readonly name: string;
  setup(api: PluginApi): void;
}

/** Definitions keep English texts (params schemas compile as they are); `catalogue(locale)` has both. */
export interface OperatorDef extends Omit<OperatorMeta, "description"> {
  name: string;
  description?: string;
  fn: OperatorFn;
  plugin: string;
}
export interface FactDef extends Omit<FactMeta, "description"> {
  name: string;
  description: string;
  resolve: FactResolver;
  plugin: string;
}
export interface ActionDef {
  type: string;
  handler: ActionHandler;
  description: string;
  params?: JsonSchema;
  plugin: string;
}

export interface Catalogue {
  readonly operators: readonly ({ name: string; description: string; plugin: string } & Omit<
    OperatorMeta,
    "description"
  >)[];
  readonly facts: readonly { name: string; type: string; description: string; plugin: string; params?: JsonSchema }[];
  readonly actions: readonly { type: string; description: string; plugin: string; params?: JsonSchema }[];
}

export interface Registry extends Catalogue {
  readonly plugins: readonly string[];
  /** The catalogues (serialisable for the API) with descriptions in one language; the fields above are English. */
  catalogue(locale: Locale): Catalogue;
  readonly channels: readonly (ChannelDef & { plugin: string })[];
  getChannel(name: string): (ChannelDef & { plugin: string }) | undefined;
  getOperator(name: string): OperatorDef | undefined;
  getFact(name: string): FactDef | undefined;
  getAction(type: string): ActionDef | undefined;
}

export function definePlugin(plugin: Plugin): Plugin {
  if (!plugin.name) throw new Error("definePlugin: a plugin needs a name");
  return Object.freeze({ ...plugin });
}

function claim<T extends { plugin: string }>(map: Map<string, T>, kind: string, name: string, def: T): void {
  const previous = map.get(name);
  if (previous) {
    throw new Error(
      previous.plugin === def.plugin
        ? `${kind} "${name}" is registered twice by plugin "${def.plugin}"`
        : `${kind} "${name}" is registered by both plugins "${previous.plugin}" and "${def.plugin}"`,
    );
  }
  map.set(name, def);
}

export function createRegistry(plugins: readonly Plugin[]): Registry {
  const operators = new Map<string, OperatorDef>();
  const facts = new Map<string, FactDef>();
  const actions = new Map<string, ActionDef>();
  const channels = new Map<string, ChannelDef & { plugin: string }>();
  const names = new Set<string>();
  // What the plugins wrote, texts in both languages, by kind and name: the catalogues are built from it.
  const metas = {
    operators: new Map<string, OperatorMeta>(),
    facts: new Map<string, FactMeta>(),
    actions: new Map<string, ActionMeta>(),
  };
  const english = <M extends { description?: Text; params?: JsonSchema }>(meta: M) => ({
    ...meta,
    description: textIn(meta.description, "en"),
    ...(meta.params ? { params: schemaIn(meta.params, "en") } : {}),
  });
  for (const plugin of plugins) {
    if (names.has(plugin.name)) throw new Error(`plugin "${plugin.name}" is listed twice`);
    names.add(plugin.name);
    plugin.setup({
      addOperator(name, fn, meta = {}) {
        // ":" is json-rules-engine's decorator separator ("not:equal").
        if (!name || name.includes(":")) throw new Error(`plugin "${plugin.name}": invalid operator name "${name}"`);
        claim(operators, "operator", name, Object.freeze({ ...english(meta), name, fn, plugin: plugin.name }));
        metas.operators.set(name, meta);
      },
      addFact(name, resolve, meta) {
        claim(facts, "fact", name, Object.freeze({ ...english(meta), name, resolve, plugin: plugin.name }));
        metas.facts.set(name, meta);
      },
      addAction(type, handler, meta) {
        const en = english(meta);
        claim(
          actions,
          "action",
          type,
          Object.freeze({
            type,
            handler,
            description: en.description,
            ...(en.params ? { params: en.params } : {}),
            plugin: plugin.name,
          }),
        );
        metas.actions.set(type, meta);
      },
      addChannel(channel) {
        claim(channels, "channel", channel.name, Object.freeze({ ...channel, plugin: plugin.name }));
      },
    });
  }
  const build = (locale: Locale): Catalogue => {
    const params = (p: JsonSchema | undefined) => (p ? { params: schemaIn(p, locale) } : {});
    return Object.freeze({
      operators: Object.freeze(
        [...operators.values()].map((o) => {
          const meta = metas.operators.get(o.name)!;
          return {
            name: o.name,
            description: textIn(meta.description, locale),
            plugin: o.plugin,
            ...(o.factType ? { factType: o.factType } : {}),
            ...(o.valueType ? { valueType: o.valueType } : {}),
            ...params(meta.params),
          };
        }),
      ),
      facts: Object.freeze(
        [...facts.values()].map((f) => {
          const meta = metas.facts.get(f.name)!;
          return {
            name: f.name,
            type: f.type,
            description: textIn(meta.description, locale),
            plugin: f.plugin,
            ...params(meta.params),
          };
        }),
      ),
      actions: Object.freeze(
        [...actions.values()].map((a) => {
          const meta = metas.actions.get(a.type)!;
          return {
            type: a.type,
            description: textIn(meta.description, locale),
            plugin: a.plugin,
            ...params(meta.params),
          };
        }),
      ),
    });
  };
  const catalogues = { en: build("en"), "zh-CN": build("zh-CN") };
  return Object.freeze({
    plugins: Object.freeze([...names]),
    ...catalogues.en,
    catalogue: (locale: Locale) => catalogues[locale] ?? catalogues.en,
    channels: Object.freeze([...channels.values()]),
    getChannel: (name: string) => channels.get(name),
    getOperator: (name: string) => operators.get(name),
    getFact: (name: string) => facts.get(name),
    getAction: (type: string) => actions.get(type),
  });
}
