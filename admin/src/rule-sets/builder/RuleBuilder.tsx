import AddIcon from "@mui/icons-material/Add";
import DeleteIcon from "@mui/icons-material/DeleteOutlined";
import {
  Alert,
  Badge,
  Box,
  Button,
  Chip,
  Divider,
  IconButton,
  List,
  ListItemButton,
  ListItemText,
  Paper,
  TextField,
  Tooltip,
  Typography,
} from "@mui/material";
import { useMemo, useState } from "react";
import { useTranslate } from "react-admin";
import type { EditorMarker } from "../../monaco/types";
import type { Catalogues } from "../catalogues";
import { orderDocument, pretty } from "../format";
import { factList, markersAt } from "./catalogue";
import { ConditionsEditor } from "./conditions";
import { type BuilderGroup, type BuilderRule, toQuery } from "./convert";
import { Choice, SchemaForm } from "./inputs";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

export interface RuleBuilderProps {
  docText: string;
  onChange: (text: string) => void;
  catalogues: Catalogues;
  markers: EditorMarker[];
  readOnly: boolean;
  selected: number;
  onSelect: (index: number) => void;
  /** Narrow (beside the JSON editor): the list of rules goes above the rule. */
  narrow?: boolean;
}

function parse(text: string): { doc: Obj | null; error?: string } {
  try {
    const doc = JSON.parse(text);
    return isObj(doc) ? { doc } : { doc: null, error: "not an object" };
  } catch (e) {
    return { doc: null, error: (e as Error).message };
  }
}

/** The next unused "rule-N" name. */
const freshName = (rules: unknown[]) => {
  const names = new Set(rules.map((r) => (isObj(r) ? r.name : undefined)));
  let n = rules.length + 1;
  while (names.has(`rule-${n}`)) n++;
  return `rule-${n}`;
};

const leafIds = (g: BuilderGroup): string[] =>
  g.rules.flatMap((n) => ("combinator" in n ? leafIds(n as BuilderGroup) : [(n as BuilderRule).id ?? ""]));

const messageOf = (list: EditorMarker[]) => list.map((m) => m.message).join("; ") || undefined;

/**
 * The visual rule builder: the rule set's rules one at a time (name, priority, conditions, event), read
 * from and written to the same JSON text as the Monaco editor, so both stay in sync.
 */
export default function RuleBuilder({
  docText,
  onChange,
  catalogues,
  markers,
  readOnly,
  selected,
  onSelect,
  narrow,
}: RuleBuilderProps) {
  const translate = useTranslate();
  const t = (k: string, o?: Obj) => translate(`ordo.builder.${k}`, o);
  const { doc, error } = useMemo(() => parse(docText), [docText]);
  const declared = isObj(doc?.facts) ? (doc.facts as Obj) : {};
  const declaredKey = JSON.stringify(declared);
  const facts = useMemo(() => factList(catalogues.facts, declared as never), [catalogues.facts, declaredKey]);
  const [newParam, setNewParam] = useState("");

  if (!doc)
    return (
      <Alert severity="warning" data-testid="builder-json-error">
        {t("json_invalid", { error: error ?? "" })}
      </Alert>
    );
  const rules = Array.isArray(doc.rules) ? doc.rules : [];
  const shared = isObj(doc.sharedConditions) ? Object.keys(doc.sharedConditions) : [];
  const index = Math.min(Math.max(selected, 0), rules.length - 1);
  const rule = isObj(rules[index]) ? (rules[index] as Obj) : null;
  const base = `/rules/${index}`;

  const write = (nextRules: unknown[]) => onChange(pretty(orderDocument({ ...doc, rules: nextRules })));
  const setRule = (patch: Obj) => {
    const next = { ...(rule ?? {}), ...patch };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete next[k];
    write(rules.map((r, i) => (i === index ? next : r)));
  };
  const addRule = () => {
    write([...rules, { name: freshName(rules), conditions: { all: [] }, event: { type: "" } }]);
    onSelect(rules.length);
  };
  const removeRule = () => {
    write(rules.filter((_, i) => i !== index));
    onSelect(Math.max(0, index - 1));
  };

  const event = isObj(rule?.event) ? (rule.event as Obj) : {};
  const action = catalogues.actions.find((a) => a.type === event.type);
  const setEvent = (patch: Obj) => {
    const next: Obj = { ...event, ...patch };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete next[k];
    setRule({ event: next });
  };
  const changeType = (type: string) => {
    const schema = catalogues.actions.find((a) => a.type === type)?.params;
    const props = isObj(schema?.properties) ? schema.properties : null;
    const params = isObj(event.params) ? event.params : undefined;
    // Params the new action does not know are dropped; an action without a schema keeps them all.
    const kept = params && props ? Object.fromEntries(Object.entries(params).filter(([k]) => k in props)) : params;
    setEvent({ type, params: kept && Object.keys(kept).length ? kept : undefined });
  };
  const ruleMarkers = markersAt(markers, base);
  const at = (p: string) => markersAt(markers, `${base}/${p}`);
  const eventParamErrors: Record<string, string> = {};
  for (const m of at("event/params")) {
    const name = m.pointer.slice(`${base}/event/params/`.length).split("/")[0];
    if (name) eventParamErrors[decodeURIComponent(name)] = m.message;
  }
  // Conditions drawn as a row show their own errors; those naming a group or the rule are listed here.
  const rows = leafIds(toQuery(rule?.conditions, `${base}/conditions`));
  const shownElsewhere = (m: EditorMarker) =>
    [`${base}/name`, `${base}/priority`, `${base}/description`].includes(m.pointer) ||
    m.pointer.startsWith(`${base}/event`) ||
    rows.some((id) => m.pointer === id || m.pointer.startsWith(`${id}/`));
  const other = ruleMarkers.filter((m) => !shownElsewhere(m));
  const eventProblems = at("event").filter((m) => !m.pointer.startsWith(`${base}/event/params/`));

  return (
    <Box
      sx={{
        display: "flex",
        flexDirection: narrow ? "column" : "row",
        gap: 2,
        alignItems: narrow ? "stretch" : "flex-start",
      }}
      data-testid="rule-builder"
    >
      <Paper variant="outlined" sx={{ width: narrow ? "auto" : 230, flexShrink: 0 }}>
        <Typography variant="subtitle2" sx={{ px: 2, pt: 1.5 }}>
          {t("rules", { smart_count: rules.length })}
        </Typography>
        <List
          dense
          data-testid="builder-rules"
          sx={
            narrow
              ? { display: "flex", flexWrap: "wrap", "& > .MuiListItemButton-root": { flex: "0 0 auto" } }
              : undefined
          }
        >
          {rules.map((r, i) => {
            const errors = markersAt(markers, `/rules/${i}`).filter((m) => m.severity === "error").length;
            const o = isObj(r) ? r : {};
            return (
              <ListItemButton
                key={i}
                selected={i === index}
                onClick={() => onSelect(i)}
                data-testid={`builder-rule-${i}`}
              >
                <ListItemText
                  primary={
                    <Badge color="error" variant="dot" invisible={!errors}>
                      <span>{typeof o.name === "string" && o.name ? o.name : `#${i + 1}`}</span>
                    </Badge>
                  }
                  secondary={
                    [
                      o.priority !== undefined ? t("priority_short", { priority: String(o.priority) }) : null,
                      isObj(o.event) && o.event.type ? String(o.event.type) : null,
                    ]
                      .filter(Boolean)
                      .join(" · ") || undefined
                  }
                  slotProps={{ primary: { sx: { wordBreak: "break-all" } } }}
                />
              </ListItemButton>
            );
          })}
        </List>
        {!readOnly && (
          <Box sx={{ px: 1, pb: 1 }}>
            <Button size="small" startIcon={<AddIcon />} onClick={addRule} data-testid="builder-add-rule" fullWidth>
              {t("add_rule")}
            </Button>
          </Box>
        )}
      </Paper>

      <Box sx={{ flex: 1, minWidth: 0 }}>
        {!rule ? (
          <Alert severity="info" data-testid="builder-empty">
            {t(rules.length ? "rule_not_object" : "no_rules")}
          </Alert>
        ) : (
          <Paper variant="outlined" sx={{ p: 2, display: "flex", flexDirection: "column", gap: 2 }}>
            <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "flex-start" }}>
              <TextField
                size="small"
                label={t("rule_name")}
                value={typeof rule.name === "string" ? rule.name : ""}
                disabled={readOnly}
                error={!!at("name").length}
                helperText={messageOf(at("name"))}
                onChange={(e) => setRule({ name: e.target.value === "" ? undefined : e.target.value })}
                sx={{ flex: 1, minWidth: 240 }}
                slotProps={{ htmlInput: { "data-testid": "builder-rule-name" } }}
              />
              <TextField
                size="small"
                label={t("priority")}
                value={rule.priority === undefined ? "" : String(rule.priority)}
                disabled={readOnly}
                error={!!at("priority").length}
                helperText={messageOf(at("priority")) ?? t("priority_help")}
                onChange={(e) => {
                  const v = e.target.value.trim();
                  setRule({ priority: v === "" ? undefined : Number.isInteger(Number(v)) ? Number(v) : v });
                }}
                sx={{ width: 160 }}
                slotProps={{ htmlInput: { inputMode: "numeric", "data-testid": "builder-rule-priority" } }}
              />
              {!readOnly && (
                <Tooltip title={t("remove_rule")}>
                  <IconButton onClick={removeRule} data-testid="builder-remove-rule" aria-label={t("remove_rule")}>
                    <DeleteIcon />
                  </IconButton>
                </Tooltip>
              )}
            </Box>
            <TextField
              size="small"
              label={t("rule_description")}
              value={typeof rule.description === "string" ? rule.description : ""}
              disabled={readOnly}
              multiline
              maxRows={4}
              onChange={(e) => setRule({ description: e.target.value === "" ? undefined : e.target.value })}
              slotProps={{ htmlInput: { "data-testid": "builder-rule-description" } }}
            />

            <Box>
              <Typography variant="subtitle2" sx={{ mb: 1 }}>
                {t("when_label")}
              </Typography>
              <ConditionsEditor
                conditions={rule.conditions}
                base={`${base}/conditions`}
                onChange={(conditions) => setRule({ conditions })}
                facts={facts}
                operators={catalogues.operators}
                shared={shared}
                markers={markers}
                readOnly={readOnly}
              />
            </Box>

            {other.length > 0 && (
              <Alert severity="error" data-testid="builder-rule-problems">
                {other.map((m, i) => (
                  <div key={i}>
                    {m.message} <code style={{ opacity: 0.6 }}>{m.pointer.slice(base.length)}</code>
                  </div>
                ))}
              </Alert>
            )}

            <Divider />
            <Box>
              <Typography variant="subtitle2" sx={{ mb: 1 }}>
                {t("then_label")}
              </Typography>
              <Box sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap", mb: 2 }}>
                <Choice
                  label={t("event_type")}
                  value={typeof event.type === "string" ? event.type : ""}
                  options={catalogues.actions.map((a) => ({
                    value: a.type,
                    label: a.type,
                    secondary: a.description,
                    hint: a.description,
                  }))}
                  placeholder={t("pick_action")}
                  onChange={changeType}
                  disabled={readOnly}
                  testId="builder-event-type"
                  minWidth={260}
                  error={!!at("event/type").length}
                />
                {action?.description && (
                  <Typography variant="body2" sx={{ color: "text.secondary", flex: 1, minWidth: 240 }}>
                    {action.description}
                  </Typography>
                )}
                {!!event.type && !action && <Chip size="small" color="warning" label={t("no_action")} />}
              </Box>
              {eventProblems.length > 0 && (
                <Alert
                  severity={eventProblems.some((m) => m.severity === "error") ? "error" : "warning"}
                  sx={{ mb: 1 }}
                  data-testid="builder-event-problems"
                >
                  {messageOf(eventProblems)}
                </Alert>
              )}
              <SchemaForm
                schema={action?.params}
                value={isObj(event.params) ? event.params : undefined}
                onChange={(params) => setEvent({ params })}
                facts={facts.filter((f) => f.declared)}
                disabled={readOnly}
                testPrefix="event-param"
                errors={eventParamErrors}
              />
              {!readOnly && !action?.params && (
                <Box sx={{ display: "flex", gap: 1, mt: 2, alignItems: "center" }}>
                  <TextField
                    size="small"
                    fullWidth={false}
                    margin="none"
                    sx={{ width: 220 }}
                    label={t("param_name")}
                    value={newParam}
                    onChange={(e) => setNewParam(e.target.value.trim())}
                    slotProps={{ htmlInput: { "data-testid": "event-new-param" } }}
                  />
                  <Button
                    size="small"
                    disabled={!newParam}
                    onClick={() => {
                      setEvent({ params: { ...(isObj(event.params) ? event.params : {}), [newParam]: "" } });
                      setNewParam("");
                    }}
                  >
                    {t("add_param")}
                  </Button>
                </Box>
              )}
            </Box>
          </Paper>
        )}
      </Box>
    </Box>
  );
}
