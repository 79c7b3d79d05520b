import ErrorIcon from "@mui/icons-material/ErrorOutlined";
import WarningIcon from "@mui/icons-material/WarningAmberOutlined";
import CloseIcon from "@mui/icons-material/Close";
import { Box, Button, IconButton, TextField, Tooltip, Typography } from "@mui/material";
import { useMemo } from "react";
import { useTranslate } from "react-admin";
import {
  type ActionProps,
  type FieldSelectorProps,
  type Field,
  QueryBuilder,
  Rule,
  type RuleProps,
  type ValueEditorProps,
} from "react-querybuilder";
import { QueryBuilderMaterial } from "@react-querybuilder/material";
import type { EditorMarker } from "../../monaco/types";
import { type FactInfo, markersAt, type OperatorInfo, operatorsFor, paramsSchema, valueKind } from "./catalogue";
import {
  type BuilderGroup,
  type BuilderRule,
  fromQuery,
  RAW,
  RAW_OPERATOR,
  SHARED,
  SHARED_OPERATOR,
  toQuery,
} from "./convert";
import { Choice, factOptions, LiteralInput, SchemaForm } from "./inputs";

interface Ctx {
  facts: FactInfo[];
  factMap: Map<string, FactInfo>;
  operators: OperatorInfo[];
  shared: string[];
  markers: EditorMarker[];
  readOnly: boolean;
  translate: ReturnType<typeof useTranslate>;
}

const opLabel = (t: Ctx["translate"], name: string) => t(`ordo.builder.op.${name}`, { _: name });

const FactSelector = (props: FieldSelectorProps) => {
  const c = props.context as Ctx;
  const options = factOptions(c.facts, c.translate);
  if (c.shared.length || props.value === SHARED)
    options.push({
      value: SHARED,
      label: <em>{c.translate("ordo.builder.shared_condition")}</em>,
      secondary: c.translate("ordo.builder.shared_condition_help"),
    });
  if (props.value === RAW) options.push({ value: RAW, label: <em>JSON</em> });
  return (
    <Choice
      value={props.value === "~" ? "" : (props.value ?? "")}
      options={options}
      placeholder={c.translate("ordo.builder.pick_fact")}
      onChange={props.handleOnChange}
      disabled={props.disabled}
      testId="condition-fact"
      minWidth={200}
      variant="standard"
    />
  );
};

const ValueEditor = (props: ValueEditorProps) => {
  const c = props.context as Ctx;
  const rule = props.rule as BuilderRule;
  const common = { disabled: props.disabled, testId: "condition-value", variant: "standard" as const };
  if (props.field === SHARED)
    return (
      <Choice
        {...common}
        value={String(props.value ?? "")}
        options={c.shared.map((s) => ({ value: s, label: s }))}
        placeholder={c.translate("ordo.builder.pick_shared")}
        onChange={props.handleOnChange}
        minWidth={200}
      />
    );
  if (props.field === RAW)
    return <LiteralInput {...common} kind="json" value={props.value} onChange={props.handleOnChange} width={420} />;
  if (rule.valueSource === "field")
    return (
      <Choice
        {...common}
        value={String(props.value ?? "")}
        options={factOptions(c.facts, c.translate)}
        placeholder={c.translate("ordo.builder.pick_fact")}
        onChange={props.handleOnChange}
        minWidth={200}
      />
    );
  const fact = c.factMap.get(props.field);
  const op = c.operators.find((o) => o.name === props.operator);
  const kind = valueKind(fact, op);
  const numbers = fact?.type === "number" || fact?.type === "integer";
  return (
    <LiteralInput
      {...common}
      kind={kind}
      schema={fact?.schema}
      numbers={numbers}
      value={props.value}
      onChange={props.handleOnChange}
      width={kind === "list" || kind === "json" ? 260 : 180}
    />
  );
};

/** Add buttons: outlined and small, so the conditions stay the eye-catcher. */
const AddAction = ({ className, handleOnClick, label, title, disabled }: ActionProps) => (
  <Button
    size="small"
    variant="outlined"
    className={className}
    title={title}
    disabled={disabled}
    onClick={handleOnClick}
  >
    {label}
  </Button>
);
const RemoveAction = ({ className, handleOnClick, title, disabled }: ActionProps) => (
  <Tooltip title={title ?? ""}>
    <span className={className}>
      <IconButton size="small" disabled={disabled} onClick={handleOnClick} aria-label={title}>
        <CloseIcon fontSize="small" />
      </IconButton>
    </span>
  </Tooltip>
);

const Problems = ({ list }: { list: EditorMarker[] }) =>
  list.length ? (
    <Box sx={{ pl: 1, pb: 0.5 }} data-testid="condition-problems">
      {list.map((m, i) => (
        <Typography
          key={i}
          variant="caption"
          component="div"
          sx={{ color: m.severity === "error" ? "error.main" : "warning.dark", display: "flex", gap: 0.5 }}
        >
          {m.severity === "error" ? <ErrorIcon sx={{ fontSize: 16 }} /> : <WarningIcon sx={{ fontSize: 16 }} />}
          {m.message}
        </Typography>
      ))}
    </Box>
  ) : null;

/** react-querybuilder's rule row, with the fact's params (and path) under it and the errors it is named in. */
const RuleRow = (props: RuleProps) => {
  const c = props.context as Ctx;
  const rule = props.rule as BuilderRule;
  const meta = rule.meta ?? {};
  const fact = c.factMap.get(rule.field);
  const op = c.operators.find((o) => o.name === rule.operator);
  const schema = paramsSchema(fact?.params, op?.params);
  const id = rule.id ?? "";
  const mine = markersAt(c.markers, id);
  const paramErrors: Record<string, string> = {};
  for (const m of mine) {
    const hit = m.pointer.match(/\/params\/([^/]+)/);
    if (hit && m.pointer.startsWith(`${id}/params/`)) paramErrors[decodeURIComponent(hit[1])] = m.message;
  }
  const setMeta = (patch: Partial<typeof meta>) => {
    const next = { ...meta, ...patch };
    for (const k of Object.keys(next) as (keyof typeof next)[]) if (next[k] === undefined) delete next[k];
    props.actions.onPropChange("meta", Object.keys(next).length ? next : undefined, props.path);
  };
  const showParams = rule.field !== SHARED && rule.field !== RAW && (schema || meta.params !== undefined);
  const showPath = meta.path !== undefined || fact?.type === "object";
  const disabled = props.disabled || c.readOnly;
  return (
    <Box
      data-testid="condition"
      data-pointer={id}
      sx={{
        borderLeft: 3,
        borderColor: mine.some((m) => m.severity === "error") ? "error.main" : "transparent",
        borderRadius: 1,
      }}
    >
      <Rule {...props} />
      {(showParams || showPath) && (
        <Box sx={{ display: "flex", gap: 2, pl: 1, pb: 1, flexWrap: "wrap", alignItems: "flex-start" }}>
          {showPath && (
            <TextField
              size="small"
              label={c.translate("ordo.builder.path")}
              value={String(meta.path ?? "")}
              disabled={disabled}
              onChange={(e) => setMeta({ path: e.target.value || undefined })}
              sx={{ width: 200 }}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { "data-testid": "condition-path" } }}
            />
          )}
          {showParams && (
            <Box sx={{ flex: 1 }}>
              <Typography variant="caption" sx={{ color: "text.secondary" }}>
                {c.translate("ordo.builder.fact_params")}
              </Typography>
              <SchemaForm
                schema={schema}
                value={meta.params as Record<string, unknown> | undefined}
                onChange={(params) => setMeta({ params })}
                facts={c.facts}
                disabled={disabled}
                testPrefix="condition-param"
                errors={paramErrors}
              />
            </Box>
          )}
        </Box>
      )}
      <Problems list={mine.filter((m) => !m.pointer.startsWith(`${id}/params/`))} />
    </Box>
  );
};

export interface ConditionsEditorProps {
  conditions: unknown;
  base: string;
  onChange: (conditions: unknown) => void;
  facts: FactInfo[];
  operators: OperatorInfo[];
  shared: string[];
  markers: EditorMarker[];
  readOnly: boolean;
}

/** The condition tree of one rule: react-querybuilder with Material UI controls. */
export const ConditionsEditor = ({
  conditions,
  base,
  onChange,
  facts,
  operators,
  shared,
  markers,
  readOnly,
}: ConditionsEditorProps) => {
  const translate = useTranslate();
  const key = JSON.stringify(conditions ?? null);
  const query = useMemo(() => toQuery(conditions, base), [key, base]);
  const factMap = useMemo(() => new Map(facts.map((f) => [f.name, f])), [facts]);
  const fields = useMemo<Field[]>(
    () => [
      ...facts.map((f) => ({ name: f.name, label: f.name })),
      { name: SHARED, label: translate("ordo.builder.shared_condition") },
      { name: RAW, label: "JSON" },
    ],
    [facts, translate],
  );
  const context: Ctx = { facts, factMap, operators, shared, markers, readOnly, translate };
  const t = (k: string) => translate(`ordo.builder.${k}`);
  const translations = useMemo(
    () => ({
      addRule: { label: t("add_condition"), title: t("add_condition") },
      addGroup: { label: t("add_group"), title: t("add_group") },
      removeRule: { title: t("remove_condition") },
      removeGroup: { title: t("remove_group") },
      notToggle: { label: t("not"), title: t("not_help") },
      combinators: { title: t("combinator") },
      operators: { title: t("operator"), placeholderLabel: t("pick_operator") },
      fields: { title: t("fact"), placeholderLabel: t("pick_fact") },
      value: { title: t("value") },
      valueSourceSelector: { title: t("value_source") },
    }),
    [translate],
  );
  return (
    <Box
      data-testid="conditions-builder"
      sx={{
        "& .ruleGroup": {
          border: 1,
          borderColor: "divider",
          borderRadius: 1,
          p: 1,
          display: "flex",
          flexDirection: "column",
          gap: 1,
          bgcolor: "action.hover",
        },
        "& .ruleGroup .ruleGroup": { bgcolor: "background.paper" },
        "& .ruleGroup-header, & .rule": { display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" },
        // react-admin's theme makes every FormControl full width with a margin: not inside a condition row.
        "& .rule > .MuiFormControl-root, & .ruleGroup-header > .MuiFormControl-root": {
          width: "auto",
          minWidth: 130,
          m: 0,
        },
        "& .ruleGroup-header .ruleGroup-remove": { ml: "auto" },
        "& .ruleGroup-body": { display: "flex", flexDirection: "column", gap: 1, pl: 2 },
        "& .rule": { py: 0.5 },
      }}
    >
      <QueryBuilderMaterial>
        <QueryBuilder
          query={query}
          onQueryChange={(q) => {
            const next = fromQuery(q as BuilderGroup);
            if (JSON.stringify(next) !== key) onChange(next);
          }}
          enableMountQueryChange={false}
          fields={fields}
          combinators={[
            { name: "all", label: t("all") },
            { name: "any", label: t("any") },
          ]}
          getOperators={(field) => {
            if (field === SHARED) return [{ name: SHARED_OPERATOR, label: t("shared_is") }];
            if (field === RAW) return [{ name: RAW_OPERATOR, label: "JSON" }];
            return operatorsFor(factMap.get(field), operators).map((o) => ({
              name: o.name,
              label: opLabel(translate, o.name),
            }));
          }}
          getValueSources={(field) =>
            field === SHARED || field === RAW
              ? ["value"]
              : [
                  { name: "value", value: "value", label: t("source_value") },
                  { name: "field", value: "field", label: t("source_fact") },
                ]
          }
          getDefaultValue={(r) => {
            const f = factMap.get(r.field);
            return f?.type === "boolean" ? true : "";
          }}
          autoSelectField={false}
          showNotToggle
          resetOnFieldChange
          controlElements={{
            fieldSelector: FactSelector,
            valueEditor: ValueEditor,
            rule: RuleRow,
            addRuleAction: AddAction,
            addGroupAction: AddAction,
            removeRuleAction: RemoveAction,
            removeGroupAction: RemoveAction,
          }}
          translations={translations}
          disabled={readOnly}
          context={context}
        />
      </QueryBuilderMaterial>
    </Box>
  );
};
