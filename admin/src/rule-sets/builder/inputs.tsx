import { Box, Chip, ListItemText, MenuItem, TextField, Tooltip, Typography } from "@mui/material";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslate } from "react-admin";
import type { JsonSchema } from "../../types";
import {
  type FactInfo,
  fieldKind,
  formFields,
  isFactRef,
  listText,
  parseList,
  parseLoose,
  parseNumber,
  type ValueKind,
} from "./catalogue";

export interface ChoiceOption {
  value: string;
  label: ReactNode;
  secondary?: ReactNode;
  hint?: string;
}

/** A compact select; `testId` lands on its root (open it with its role="combobox"). */
export const Choice = ({
  value,
  options,
  onChange,
  label,
  testId,
  disabled,
  minWidth = 160,
  error,
  placeholder,
  variant,
}: {
  variant?: "standard" | "filled" | "outlined";
  value: string;
  options: ChoiceOption[];
  onChange: (v: string) => void;
  label?: string;
  testId?: string;
  disabled?: boolean;
  minWidth?: number;
  error?: boolean;
  placeholder?: string;
}) => {
  const known = options.some((o) => o.value === value);
  const all = known || value === "" ? options : [...options, { value, label: value }];
  return (
    <TextField
      select
      size="small"
      variant={variant}
      fullWidth={false}
      margin="none"
      hiddenLabel={!label}
      label={label}
      value={value}
      disabled={disabled}
      error={error}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value)}
      sx={{ minWidth }}
      slotProps={{
        select: {
          displayEmpty: !!placeholder,
          renderValue: (v) => {
            const o = all.find((x) => x.value === v);
            return o ? o.label : <Typography sx={{ color: "text.disabled" }}>{placeholder}</Typography>;
          },
          MenuProps: { slotProps: { paper: { sx: { maxHeight: 420 } } } },
        },
        inputLabel: placeholder ? { shrink: true } : undefined,
      }}
    >
      {all.map((o) => (
        <MenuItem key={o.value} value={o.value} title={o.hint} sx={{ maxWidth: 560 }}>
          <ListItemText
            primary={o.label}
            secondary={o.secondary}
            slotProps={{ secondary: { sx: { whiteSpace: "normal", fontSize: 12 } } }}
          />
        </MenuItem>
      ))}
    </TextField>
  );
};

/** Text kept locally while typing, committed parsed; re-synced when the value changes from outside. */
function useDraftText(value: unknown, show: (v: unknown) => string) {
  const [text, setText] = useState(() => show(value));
  const shown = show(value);
  const [last, setLast] = useState(shown);
  useEffect(() => {
    if (shown !== last) {
      setLast(shown);
      setText(shown);
    }
  }, [shown, last]);
  return [text, (t: string) => setText(t), (t: string) => setLast(t)] as const;
}

const jsonText = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

/** A literal value of the given kind; `undefined` when emptied (the caller drops the key). */
export const LiteralInput = ({
  kind,
  value,
  onChange,
  schema,
  label,
  testId,
  disabled,
  numbers,
  error,
  helperText,
  width = 200,
  variant,
}: {
  variant?: "standard" | "filled" | "outlined";
  kind: ValueKind;
  value: unknown;
  onChange: (v: unknown) => void;
  schema?: JsonSchema;
  label?: string;
  testId?: string;
  disabled?: boolean;
  numbers?: boolean;
  error?: boolean;
  helperText?: ReactNode;
  width?: number;
}) => {
  const translate = useTranslate();
  const show = (v: unknown) =>
    kind === "list" ? listText(v) : kind === "json" ? jsonText(v) : v === undefined || v === null ? "" : String(v);
  const [text, setText, setLast] = useDraftText(value, show);
  if (kind === "boolean" || kind === "enum") {
    const opts =
      kind === "boolean"
        ? [
            { value: "true", label: translate("ordo.builder.true") },
            { value: "false", label: translate("ordo.builder.false") },
          ]
        : (schema?.enum ?? []).map((e) => ({
            value: String(e),
            // `x-labels` (code → label in the reader's language) names coded values, e.g. report enums.
            label: (schema?.["x-labels"] as Record<string, string> | undefined)?.[String(e)] ?? String(e),
          }));
    return (
      <Choice
        label={label}
        testId={testId}
        disabled={disabled}
        error={error}
        minWidth={width}
        variant={variant}
        value={value === undefined || value === null ? "" : String(value)}
        options={opts}
        onChange={(v) => {
          if (kind === "boolean") return onChange(v === "true");
          const hit = (schema?.enum ?? []).find((e) => String(e) === v);
          onChange(hit ?? v);
        }}
      />
    );
  }
  const commit = (t: string) => {
    setText(t);
    let out: unknown;
    if (t === "" && kind !== "text") out = undefined;
    else if (kind === "number") out = parseNumber(t);
    else if (kind === "list") out = parseList(t, !!numbers);
    else if (kind === "json") out = parseLoose(t);
    else out = t;
    setLast(show(out));
    onChange(out);
  };
  return (
    <TextField
      size="small"
      variant={variant}
      fullWidth={false}
      margin="none"
      hiddenLabel={!label}
      label={label}
      value={text}
      disabled={disabled}
      error={error}
      helperText={
        helperText ?? (kind === "list" ? translate("ordo.builder.list_help") : kind === "json" ? "JSON" : undefined)
      }
      type={kind === "date" ? "date" : "text"}
      onChange={(e) => commit(e.target.value)}
      sx={{ width }}
      slotProps={{
        htmlInput: {
          "data-testid": testId,
          inputMode: kind === "number" ? "decimal" : undefined,
          style: kind === "json" ? { fontFamily: "monospace", fontSize: 13 } : undefined,
        },
        inputLabel: kind === "date" || label ? { shrink: true } : undefined,
      }}
    />
  );
};

/** The facts as select options: name, type and description (the type in the user's language). */
export const factOptions = (facts: FactInfo[], translate: (k: string, o?: object) => string): ChoiceOption[] =>
  facts.map((f) => ({
    value: f.name,
    label: (
      <Box component="span" sx={{ display: "inline-flex", alignItems: "center", gap: 1 }}>
        <span>{f.label ?? f.name}</span>
        <Chip
          size="small"
          variant="outlined"
          label={translate(`ordo.builder.types.${f.type}`, { _: f.type })}
          sx={{ height: 18, fontSize: 11 }}
        />
      </Box>
    ),
    secondary: f.description,
    hint: f.description,
  }));

/** One params field: a literal input, or a fact picker when the schema lets a fact stand in. */
const ParamField = ({
  name,
  schema,
  value,
  onChange,
  facts,
  disabled,
  required,
  testPrefix,
  error,
}: {
  name: string;
  schema?: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  facts: FactInfo[];
  disabled?: boolean;
  required?: boolean;
  testPrefix: string;
  error?: string;
}) => {
  const translate = useTranslate();
  const k = fieldKind(schema);
  const ref = isFactRef(value);
  // A fact reference shows the fact picker; an empty field shows whichever the author last chose.
  const [wantFact, setWantFact] = useState(false);
  const asFact = ref || (wantFact && value === undefined);
  const description = (schema?.description as string | undefined) ?? (k.schema.description as string | undefined);
  const label = `${name}${required ? " *" : ""}`;
  const toggle = k.factRef && (
    <Tooltip title={translate(asFact ? "ordo.builder.use_value" : "ordo.builder.use_fact")}>
      <Chip
        size="small"
        clickable={!disabled}
        color={asFact ? "primary" : "default"}
        variant={asFact ? "filled" : "outlined"}
        label={translate(asFact ? "ordo.builder.source_fact" : "ordo.builder.source_value")}
        data-testid={`${testPrefix}-${name}-source`}
        onClick={() => {
          if (disabled) return;
          setWantFact(!asFact);
          onChange(undefined);
        }}
        sx={{ height: 22, fontSize: 11 }}
      />
    </Tooltip>
  );
  const long = k.kind === "text" && typeof value === "string" && value.length > 24;
  const width = k.kind === "json" ? 300 : long ? 460 : 220;
  return (
    <Box sx={{ display: "flex", flexDirection: "column", gap: 0.5, width }}>
      <Box sx={{ display: "flex", alignItems: "center", gap: 1, minHeight: 22 }}>
        <Typography variant="caption" sx={{ fontWeight: 500 }} title={description}>
          {label}
        </Typography>
        {toggle}
      </Box>
      {asFact ? (
        <Choice
          value={ref ? (value as { fact: string }).fact : ""}
          options={factOptions(facts, translate)}
          placeholder={translate("ordo.builder.pick_fact")}
          testId={`${testPrefix}-${name}`}
          disabled={disabled}
          error={!!error}
          minWidth={220}
          onChange={(f) => onChange({ ...(ref ? (value as object) : {}), fact: f })}
        />
      ) : (
        <LiteralInput
          kind={k.kind}
          schema={k.schema}
          value={value}
          onChange={onChange}
          testId={`${testPrefix}-${name}`}
          disabled={disabled}
          error={!!error}
          width={width}
          helperText={error ?? undefined}
        />
      )}
      {description && !error && (
        <Typography
          variant="caption"
          sx={{ color: "text.secondary", lineHeight: 1.3, overflow: "hidden", maxHeight: "2.6em" }}
          title={description}
        >
          {description}
        </Typography>
      )}
    </Box>
  );
};

/** A form for a params object drawn from its JSON Schema; keys the schema does not name stay as JSON. */
export const SchemaForm = ({
  schema,
  value,
  onChange,
  facts,
  disabled,
  testPrefix,
  errors = {},
}: {
  schema?: JsonSchema;
  value: Record<string, unknown> | undefined;
  onChange: (v: Record<string, unknown> | undefined) => void;
  facts: FactInfo[];
  disabled?: boolean;
  testPrefix: string;
  /** Messages by param name. */
  errors?: Record<string, string>;
}) => {
  const fields = formFields(schema, value);
  if (!fields.length) return null;
  const set = (name: string, v: unknown) => {
    const next = { ...(value ?? {}) };
    if (v === undefined) delete next[name];
    else next[name] = v;
    onChange(Object.keys(next).length || value ? next : undefined);
  };
  return (
    <Box sx={{ display: "flex", flexWrap: "wrap", gap: 2, alignItems: "flex-start" }}>
      {fields.map((f) => (
        <ParamField
          key={f.name}
          name={f.name}
          schema={f.schema}
          required={f.required}
          value={value?.[f.name]}
          onChange={(v) => set(f.name, v)}
          facts={facts}
          disabled={disabled}
          testPrefix={testPrefix}
          error={errors[f.name]}
        />
      ))}
    </Box>
  );
};
