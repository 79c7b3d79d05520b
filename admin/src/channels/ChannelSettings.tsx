import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  CardHeader,
  FormControlLabel,
  MenuItem,
  Stack,
  Switch,
  TextField,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { Loading, Title, useNotify, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import type { JsonSchema } from "../types";

/** GET /api/channels: settings as stored, secrets only as {secretSet}. */
interface Channel {
  name: string;
  description: string;
  enabled: boolean;
  configured: boolean;
  settings: Record<string, unknown>;
  secrets: Record<string, { secretSet: boolean; serverDefault: boolean }>;
  serverDefaults: Record<string, unknown>;
  settingsSchema: JsonSchema;
  secretsSchema: JsonSchema;
}

const SettingField = ({
  name,
  schema,
  value,
  placeholder,
  onChange,
}: {
  name: string;
  schema: JsonSchema;
  value: unknown;
  placeholder?: string;
  onChange: (v: unknown) => void;
}) => {
  const translate = useTranslate();
  const label = translate(`ordo.channels.fields.${name}`, { _: name });
  if (schema.enum)
    return (
      <TextField
        select
        size="small"
        label={label}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <MenuItem value="">—</MenuItem>
        {schema.enum.map((v) => (
          <MenuItem key={String(v)} value={String(v)}>
            {translate(`ordo.channels.values.${String(v)}`, { _: String(v) })}
          </MenuItem>
        ))}
      </TextField>
    );
  const integer = schema.type === "integer";
  return (
    <TextField
      size="small"
      label={label}
      type={integer ? "number" : "text"}
      value={value ?? ""}
      placeholder={placeholder}
      helperText={translate(`ordo.channels.help.${name}`, { _: schema.description ?? "" })}
      onChange={(e) => onChange(e.target.value === "" ? undefined : integer ? Number(e.target.value) : e.target.value)}
    />
  );
};

/** One channel: enabled, its settings, and its secrets as write-only password fields. */
const ChannelCard = ({ channel, onSaved }: { channel: Channel; onSaved: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [enabled, setEnabled] = useState(channel.enabled);
  const [settings, setSettings] = useState<Record<string, unknown>>(channel.settings);
  const [secrets, setSecrets] = useState<Record<string, string | null>>({});
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    const clean = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
    try {
      await api(`/channels/${channel.name}`, { method: "PUT", body: { enabled, settings: clean, secrets } });
      setSecrets({});
      notify(translate("ordo.channels.saved"), { type: "info" });
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const open = Object.entries(channel.settingsSchema.properties ?? {});
  const hidden = Object.entries(channel.secretsSchema.properties ?? {});
  return (
    <Card data-testid={`channel-${channel.name}`}>
      <CardHeader
        title={translate(`ordo.channels.names.${channel.name}`, { _: channel.name })}
        subheader={translate(`ordo.channels.descriptions.${channel.name}`, { _: channel.description })}
      />
      <CardContent>
        <Stack spacing={2}>
          <FormControlLabel
            control={<Switch checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />}
            label={translate("ordo.channels.enabled")}
          />
          {open.map(([name, schema]) => (
            <SettingField
              key={name}
              name={name}
              schema={schema}
              value={settings[name]}
              placeholder={channel.serverDefaults[name] as string | undefined}
              onChange={(v) => setSettings({ ...settings, [name]: v })}
            />
          ))}
          {hidden.map(([name]) => {
            const state = channel.secrets[name];
            const status = state?.secretSet
              ? translate("ordo.channels.secret_set")
              : state?.serverDefault
                ? translate("ordo.channels.secret_server_default")
                : translate("ordo.channels.secret_unset");
            return (
              <Box key={name} sx={{ display: "flex", gap: 1, alignItems: "flex-start" }}>
                <TextField
                  size="small"
                  type="password"
                  autoComplete="new-password"
                  sx={{ flex: 1 }}
                  label={translate(`ordo.channels.fields.${name}`, { _: name })}
                  value={secrets[name] ?? ""}
                  placeholder={status}
                  helperText={status}
                  onChange={(e) => setSecrets({ ...secrets, [name]: e.target.value })}
                />
                {state?.secretSet && (
                  <Button size="small" onClick={() => setSecrets({ ...secrets, [name]: null })}>
                    {translate("ordo.channels.clear_secret")}
                  </Button>
                )}
              </Box>
            );
          })}
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </CardContent>
      <CardActions>
        <Button variant="contained" onClick={save}>
          {translate("ra.action.save")}
        </Button>
      </CardActions>
    </Card>
  );
};

/** Channel settings of the tenant (consultants and HR admins). */
export const ChannelSettings = () => {
  const translate = useTranslate();
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<Channel[]>("/channels")
      .then(setChannels)
      .catch((e) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  if (error) return <Alert severity="error">{error}</Alert>;
  if (!channels) return <Loading />;
  return (
    <Box sx={{ p: 2, display: "grid", gap: 2, gridTemplateColumns: "repeat(auto-fill, minmax(360px, 1fr))" }}>
      <Title title={translate("ordo.channels.title")} />
      {channels.map((c) => (
        <ChannelCard key={`${c.name}:${JSON.stringify(c.settings)}:${c.enabled}`} channel={c} onSaved={load} />
      ))}
    </Box>
  );
};
