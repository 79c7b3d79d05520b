/**
 * Per-tenant channel settings. A channel plugin declares its settings' JSON Schema and which of them are
 * secrets; secrets are write-only: answers say `{secretSet: true}`, never the value. The server's own
 * defaults (ORDO_SMTP_URL, ORDO_SMTP_FROM for email) apply where a tenant has set nothing.
 */
import type { Knex } from "knex";
import type { ChannelDef, Registry } from "../../rules/index";
import type { Config } from "../config";
import { fail } from "../errors";
import { compileCached, describeError } from "../http/ajv";
import { audit } from "../audit/log";

type Row = Record<string, any>;
type Channel = ChannelDef & { plugin: string };

export interface ChannelConfig {
  enabled: boolean;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface ChannelUpdate {
  enabled?: boolean;
  settings?: Record<string, unknown>;
  /** A string sets a secret, null clears it, an absent name keeps it. */
  secrets?: Record<string, string | null>;
}

/** The server's defaults of a channel (configuration, not tenant data). */
export function hostDefaults(config: Config, name: string): ChannelConfig {
  if (name !== "email") return { enabled: true, settings: {}, secrets: {} };
  return {
    enabled: true,
    settings: config.smtpFrom ? { from: config.smtpFrom } : {},
    secrets: config.smtpUrl ? { smtpUrl: config.smtpUrl } : {},
  };
}

export function channelOf(registry: Registry, name: string): Channel {
  const channel = registry.getChannel(name);
  if (!channel) throw fail("UNKNOWN_CHANNEL", { channel: name }, { details: { channel: name } });
  return channel;
}

/** The settings schema split in two: what is shown, and the secrets' own schemas. */
function split(channel: Channel) {
  const props = ((channel.settings as Row).properties ?? {}) as Record<string, object>;
  const open = Object.fromEntries(Object.entries(props).filter(([k]) => !channel.secrets.includes(k)));
  const secret = Object.fromEntries(Object.entries(props).filter(([k]) => channel.secrets.includes(k)));
  return {
    open: { type: "object", additionalProperties: false, properties: open },
    secret: { type: "object", additionalProperties: false, properties: secret },
  };
}

/** What the tenant stored, merged over the host's defaults: what a send uses. */
export async function loadChannelConfig(db: Knex, config: Config, channel: Channel, tenantId: string) {
  const row = await db("channel_settings").where({ tenant_id: tenantId, name: channel.name }).first();
  const defaults = hostDefaults(config, channel.name);
  const stored = (row?.settings ?? {}) as Record<string, unknown>;
  const secrets = (row?.secrets ?? {}) as Record<string, string>;
  return {
    configured: !!row,
    // Not configured by the tenant: on when the channel needs nothing, or the server configures it.
    enabled: row
      ? !!row.enabled
      : !!channel.enabledByDefault || Object.keys(defaults.secrets).length + Object.keys(defaults.settings).length > 0,
    settings: { ...defaults.settings, ...stored },
    storedSettings: stored,
    secrets: { ...defaults.secrets, ...secrets },
    storedSecrets: secrets,
    updatedAt: row?.updated_at ?? null,
  };
}

/** A channel as the API answers it: settings, secrets as `{secretSet}`, the schema the admin draws. */
export async function channelView(db: Knex, config: Config, channel: Channel, tenantId: string) {
  const c = await loadChannelConfig(db, config, channel, tenantId);
  const defaults = hostDefaults(config, channel.name);
  const { open, secret } = split(channel);
  return {
    name: channel.name,
    id: channel.name,
    description: channel.description,
    plugin: channel.plugin,
    enabled: c.enabled,
    configured: c.configured,
    settings: c.storedSettings,
    secrets: Object.fromEntries(
      channel.secrets.map((s) => [
        s,
        { secretSet: typeof c.storedSecrets[s] === "string", serverDefault: typeof defaults.secrets[s] === "string" },
      ]),
    ),
    serverDefaults: defaults.settings,
    settingsSchema: open,
    secretsSchema: secret,
    updatedAt: c.updatedAt,
  };
}

function check(channel: Channel, schema: object, value: unknown, prefix: string) {
  const validate = compileCached(schema);
  if (validate(value)) return;
  const e = validate.errors![0]!;
  const extra = e.keyword === "additionalProperties" ? `/${e.params.additionalProperty}` : "";
  const pointer = `${prefix}${e.instancePath}${extra}`;
  throw fail(
    "INVALID_CHANNEL_SETTINGS",
    { channel: channel.name, pointer, problem: describeError(e) },
    { details: { pointer }, errors: { [pointer.split("/").filter(Boolean).join(".")]: describeError(e) } },
  );
}

export async function updateChannel(
  db: Knex,
  config: Config,
  channel: Channel,
  tenantId: string,
  update: ChannelUpdate,
) {
  const { open, secret } = split(channel);
  if (update.settings !== undefined) check(channel, open, update.settings, "/settings");
  const given = update.secrets ?? {};
  const toSet = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null));
  check(channel, secret, toSet, "/secrets");
  for (const name of Object.keys(given))
    if (!channel.secrets.includes(name)) check(channel, secret, { [name]: given[name] }, "/secrets");
  await db.transaction(async (trx) => {
    const current = await trx("channel_settings")
      .where({ tenant_id: tenantId, name: channel.name })
      .forUpdate()
      .first();
    const secrets: Record<string, string> = { ...((current?.secrets ?? {}) as Record<string, string>) };
    for (const [k, v] of Object.entries(given)) {
      if (v === null) delete secrets[k];
      else secrets[k] = v;
    }
    const row = {
      tenant_id: tenantId,
      name: channel.name,
      enabled: update.enabled ?? (current ? current.enabled : true),
      settings: JSON.stringify(update.settings ?? current?.settings ?? {}),
      secrets: JSON.stringify(secrets),
      updated_at: trx.fn.now(),
    };
    await trx("channel_settings").insert(row).onConflict(["tenant_id", "name"]).merge();
    // Secrets are masked by the audit log (their names stay: which one was set or cleared).
    const state = (r: Record<string, any> | undefined, secretsOf: Record<string, string>) =>
      r ? { enabled: r.enabled, settings: r.settings, secrets: secretsOf } : null;
    await audit(trx, tenantId, {
      resource: "channels",
      resourceId: channel.name,
      operation: current ? "update" : "create",
      before: state(current, (current?.secrets ?? {}) as Record<string, string>),
      after: state({ enabled: row.enabled, settings: update.settings ?? current?.settings ?? {} }, secrets),
    });
  });
  return channelView(db, config, channel, tenantId);
}
