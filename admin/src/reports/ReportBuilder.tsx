/**
 * The report builder: pick a dataset, dimensions (with time buckets) and measures, filters with the same
 * condition editor as rules, parameters and a chart; the preview runs the unsaved spec on every change.
 * Consultants save and publish; HR admins open reports read-only, run and export them.
 */
import AddIcon from "@mui/icons-material/Add";
import CloseIcon from "@mui/icons-material/Close";
import DownloadIcon from "@mui/icons-material/Download";
import SaveIcon from "@mui/icons-material/Save";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  FormControlLabel,
  IconButton,
  LinearProgress,
  MenuItem,
  TextField,
  Typography,
} from "@mui/material";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { Loading, Title, useLocaleState, useNotify, useRedirect, useTranslate } from "react-admin";
import { flushSync } from "react-dom";
import { useParams } from "react-router-dom";
import { API, api, authHeaders, errorBody, errorMessage } from "../api/http";
import { useCanAuthor } from "../api/useCanAuthor";
import { useUnsavedChanges } from "../api/useUnsavedChanges";
import type { EditorMarker } from "../monaco/types";
import type { FactInfo, OperatorInfo } from "../rule-sets/builder/catalogue";
import { ReportChart, ReportTable } from "./ReportView";
import {
  type Catalogue,
  type Chart,
  type DatasetInfo,
  type Dimension,
  type Measure,
  NUMERIC,
  type ReportSpec,
  type RunResult,
  TEMPORAL,
} from "./types";

const ConditionsEditor = lazy(() =>
  import("../rule-sets/builder/conditions").then((m) => ({ default: m.ConditionsEditor })),
);

const FNS: Measure["fn"][] = ["count", "countDistinct", "sum", "avg", "min", "max"];
const BUCKETS = ["", "month", "quarter", "year", "baseYear"] as const;
const CHARTS: Chart["type"][] = ["table", "bar", "stackedBar", "line", "pie"];
const PARAM_TYPES = ["month", "date", "text", "city", "number", "money", "integer", "boolean"];

/** The key a dimension or measure answers under (as the server derives it). */
export const dimensionKey = (d: Dimension) =>
  d.key ?? (d.bucket ? `${d.field.replace(/\./g, "_")}_${d.bucket}` : d.field.replace(/\./g, "_"));
export const measureKey = (m: Measure) => m.key ?? `${m.fn}_${m.field ? m.field.replace(/\./g, "_") : "rows"}`;

/** Dataset fields as the condition editor's facts (enums with their labels). */
function factsOf(ds: DatasetInfo | undefined): FactInfo[] {
  return (ds?.fields ?? []).map((f) => {
    const values = (f as { values?: { code: string; label: string }[] }).values;
    const type = NUMERIC.has(f.type) ? "number" : f.type === "boolean" ? "boolean" : "string";
    const schema = values
      ? {
          type: "string",
          enum: values.map((v) => v.code),
          "x-labels": Object.fromEntries(values.map((v) => [v.code, v.label])),
        }
      : { type, ...(f.type === "date" ? { format: "date" } : {}) };
    return { name: f.key, label: f.label, type, description: f.label, schema, declared: true };
  });
}
const OPERATORS: OperatorInfo[] = [
  { name: "equal" },
  { name: "notEqual" },
  { name: "lessThan" },
  { name: "lessThanInclusive" },
  { name: "greaterThan" },
  { name: "greaterThanInclusive" },
  { name: "in", valueType: "array" },
  { name: "notIn", valueType: "array" },
  { name: "contains", factType: "string" },
  { name: "doesNotContain", factType: "string" },
];

async function download(key: string, format: "csv" | "xlsx", params: Record<string, unknown>) {
  const q = `format=${format}&params=${encodeURIComponent(JSON.stringify(params))}`;
  const res = await fetch(`${API}/reports/${key}/export?${q}`, { headers: authHeaders(new Headers()) });
  if (!res.ok) throw new Error((await res.json().catch(() => ({})))?.message ?? res.statusText);
  const blob = await res.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${key}.${format}`;
  a.click();
  URL.revokeObjectURL(a.href);
}

const Select = ({
  label,
  value,
  options,
  onChange,
  disabled,
  testId,
  width = 180,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
  disabled?: boolean;
  testId?: string;
  width?: number;
}) => (
  <TextField
    select
    size="small"
    label={label}
    value={value}
    disabled={disabled}
    onChange={(e) => onChange(e.target.value)}
    sx={{ width }}
    slotProps={{ htmlInput: { "data-testid": testId } }}
  >
    {options.map((o) => (
      <MenuItem key={o.value} value={o.value}>
        {o.label}
      </MenuItem>
    ))}
  </TextField>
);

export const ReportBuilder = () => {
  const { id } = useParams();
  const creating = !id;
  const translate = useTranslate();
  const t = (k: string, o?: object) => translate(`ordo.reports.${k}`, o);
  const [locale = "zh-CN"] = useLocaleState();
  const notify = useNotify();
  const redirect = useRedirect();
  const canAuthor = useCanAuthor();
  const readOnly = !canAuthor;
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [spec, setSpec] = useState<ReportSpec>({ dataset: "contributions", measures: [{ fn: "count" }] });
  const [meta, setMeta] = useState({ key: "", name: "" });
  const [revision, setRevision] = useState<number | null>(null);
  const [loaded, setLoaded] = useState(creating);
  const [dirty, setDirty] = useState(false);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [result, setResult] = useState<RunResult | null>(null);
  const [problems, setProblems] = useState<EditorMarker[]>([]);
  const [running, setRunning] = useState(false);
  useUnsavedChanges(dirty && canAuthor);

  useEffect(() => {
    api<Catalogue>("/reports/datasets").then(setCatalogue, (e) => notify(errorMessage(e), { type: "error" }));
  }, [locale]);
  useEffect(() => {
    if (creating) return;
    api<Record<string, unknown>>(`/reports/${id}`).then(
      (rec) => {
        const { key, name, revision: rev, ...rest } = rec as Record<string, never>;
        setMeta({ key, name });
        setRevision(rev);
        setSpec(pickSpec(rest));
        setLoaded(true);
      },
      (e) => notify(errorMessage(e), { type: "error" }),
    );
  }, [id]);

  const update = (patch: Partial<ReportSpec>) => {
    setSpec((s) => ({ ...s, ...patch }));
    setDirty(true);
  };
  const dataset = catalogue?.datasets.find((d) => d.key === spec.dataset);
  const fields = dataset?.fields ?? [];
  const fieldOptions = (pred: (type: string) => boolean = () => true) =>
    fields.filter((f) => pred(f.type)).map((f) => ({ value: f.key, label: f.label }));
  const facts = useMemo(() => factsOf(dataset), [dataset]);
  const dims = spec.dimensions ?? [];
  const measures = spec.measures ?? [];

  // The preview: the unsaved spec, run a moment after the last change.
  const seq = useRef(0);
  const specText = JSON.stringify(spec);
  const valuesText = JSON.stringify(values);
  useEffect(() => {
    if (!loaded) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      setRunning(true);
      api<RunResult>("/reports/run", { body: { spec, params: withDefaults(spec, values) } })
        .then(
          (r) => {
            if (mine !== seq.current) return;
            setResult(r);
            setProblems([]);
          },
          (e) => {
            if (mine !== seq.current) return;
            setProblems(problemsOf(errorBody(e), locale, errorMessage(e)));
          },
        )
        .finally(() => mine === seq.current && setRunning(false));
    }, 350);
    return () => clearTimeout(timer);
  }, [specText, valuesText, loaded, locale]);

  const save = async () => {
    try {
      if (creating) {
        const rec = await api<{ key: string; revision: number }>("/reports", {
          body: { key: meta.key, name: meta.name || meta.key, ...spec },
        });
        // Not dirty before the navigation, or the unsaved-changes guard would stop it.
        flushSync(() => setDirty(false));
        notify(t("saved"), { type: "success" });
        redirect("edit", "reports", rec.key);
      } else {
        const body = { revision, name: meta.name, ...nullsFor(spec) };
        const rec = await api<{ revision: number }>(`/reports/${id}`, { method: "PUT", body });
        setRevision(rec.revision);
        setDirty(false);
        notify(t("saved"), { type: "success" });
      }
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
  };
  const exportAs = (format: "csv" | "xlsx") =>
    download(id!, format, withDefaults(spec, values)).catch((e) => notify(errorMessage(e), { type: "error" }));

  if (!loaded || !catalogue) return <Loading />;
  const at = (pointer: string) => problems.filter((p) => p.pointer === pointer).map((p) => p.message)[0];
  const chart = spec.chart ?? { type: "table" };
  const setChart = (patch: Partial<Chart>) => update({ chart: { ...chart, ...patch } });

  return (
    <Box sx={{ p: 2, display: "grid", gap: 2 }}>
      <Title title={meta.name || t("new_report")} />
      <Card>
        <CardContent sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "center" }}>
          {creating && (
            <TextField
              size="small"
              label={t("key")}
              value={meta.key}
              onChange={(e) => setMeta({ ...meta, key: e.target.value })}
              helperText={t("key_help")}
              slotProps={{ htmlInput: { "data-testid": "report-key" } }}
            />
          )}
          <TextField
            size="small"
            label={t("name")}
            value={meta.name}
            disabled={readOnly}
            onChange={(e) => {
              setMeta({ ...meta, name: e.target.value });
              setDirty(true);
            }}
            sx={{ minWidth: 280 }}
            slotProps={{ htmlInput: { "data-testid": "report-name" } }}
          />
          <Select
            label={t("dataset")}
            value={spec.dataset}
            disabled={readOnly}
            testId="report-dataset"
            width={240}
            options={catalogue.datasets.map((d) => ({ value: d.key, label: d.label }))}
            onChange={(dataset) =>
              update({ dataset, dimensions: [], measures: [{ fn: "count" }], filters: undefined, sort: undefined })
            }
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={!!spec.pinned}
                disabled={readOnly}
                onChange={(e) => update({ pinned: e.target.checked })}
              />
            }
            label={t("pinned")}
          />
          <Box sx={{ flex: 1 }} />
          {canAuthor && (
            <Button variant="contained" startIcon={<SaveIcon />} onClick={save} data-testid="report-save">
              {translate("ra.action.save")}
            </Button>
          )}
          {!creating && (
            <>
              <Button startIcon={<DownloadIcon />} onClick={() => exportAs("csv")} data-testid="report-export-csv">
                CSV
              </Button>
              <Button startIcon={<DownloadIcon />} onClick={() => exportAs("xlsx")} data-testid="report-export-xlsx">
                Excel
              </Button>
            </>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardContent sx={{ display: "grid", gap: 1.5 }}>
          <Typography variant="subtitle1">{t("dimensions")}</Typography>
          {dims.map((d, i) => {
            const type = fields.find((f) => f.key === d.field)?.type ?? "";
            const setDim = (patch: Partial<Dimension>) =>
              update({ dimensions: dims.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <Box key={i} sx={{ display: "flex", gap: 1, alignItems: "center" }} data-testid="report-dimension">
                <Select
                  label={t("field")}
                  value={d.field}
                  disabled={readOnly}
                  testId={`report-dimension-field-${i}`}
                  width={240}
                  options={fieldOptions()}
                  onChange={(field) => setDim({ field, bucket: undefined })}
                />
                {TEMPORAL.has(type) && (
                  <Select
                    label={t("bucket")}
                    value={d.bucket ?? ""}
                    disabled={readOnly}
                    testId={`report-dimension-bucket-${i}`}
                    options={BUCKETS.map((b) => ({ value: b, label: t(`buckets.${b || "none"}`) }))}
                    onChange={(b) => setDim({ bucket: (b || undefined) as Dimension["bucket"] })}
                  />
                )}
                {!readOnly && (
                  <IconButton
                    aria-label={translate("ra.action.remove")}
                    onClick={() => update({ dimensions: dims.filter((_, j) => j !== i) })}
                  >
                    <CloseIcon fontSize="small" />
                  </IconButton>
                )}
                {at(`/dimensions/${i}/field`) || at(`/dimensions/${i}/bucket`) ? (
                  <Typography color="error" variant="caption">
                    {at(`/dimensions/${i}/field`) ?? at(`/dimensions/${i}/bucket`)}
                  </Typography>
                ) : null}
              </Box>
            );
          })}
          {!readOnly && (
            <Box>
              <Button
                size="small"
                startIcon={<AddIcon />}
                data-testid="report-add-dimension"
                onClick={() => update({ dimensions: [...dims, { field: fields[0]?.key ?? "" }] })}
              >
                {t("add_dimension")}
              </Button>
            </Box>
          )}

          <Typography variant="subtitle1">{t("measures")}</Typography>
          {measures.map((m, i) => {
            const setMeasure = (patch: Partial<Measure>) =>
              update({ measures: measures.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            const pred =
              m.fn === "sum" || m.fn === "avg"
                ? (type: string) => NUMERIC.has(type)
                : m.fn === "min" || m.fn === "max"
                  ? (type: string) => NUMERIC.has(type) || TEMPORAL.has(type)
                  : () => true;
            return (
              <Box key={i} sx={{ display: "flex", gap: 1, alignItems: "center" }} data-testid="report-measure">
                <Select
                  label={t("function")}
                  value={m.fn}
                  disabled={readOnly}
                  testId={`report-measure-fn-${i}`}
                  options={FNS.map((f) => ({ value: f, label: t(`fns.${f}`) }))}
                  onChange={(fn) => {
                    const next = fn as Measure["fn"];
                    const ok = fields.find((f) => f.key === m.field);
                    const keep = ok && (next === "count" || next === "countDistinct" || NUMERIC.has(ok.type));
                    setMeasure({
                      fn: next,
                      field: next === "count" ? undefined : keep ? m.field : undefined,
                      key: undefined,
                    });
                  }}
                />
                {m.fn !== "count" && (
                  <Select
                    label={t("field")}
                    value={m.field ?? ""}
                    disabled={readOnly}
                    testId={`report-measure-field-${i}`}
                    width={240}
                    options={fieldOptions(pred)}
                    onChange={(field) => setMeasure({ field, key: undefined })}
                  />
                )}
                {!readOnly && (
                  <IconButton
                    aria-label={translate("ra.action.remove")}
                    onClick={() => update({ measures: measures.filter((_, j) => j !== i) })}
                  >
                    <CloseIcon fontSize="small" />
                  </IconButton>
                )}
                {at(`/measures/${i}/field`) && (
                  <Typography color="error" variant="caption">
                    {at(`/measures/${i}/field`)}
                  </Typography>
                )}
              </Box>
            );
          })}
          {!readOnly && (
            <Box>
              <Button
                size="small"
                startIcon={<AddIcon />}
                data-testid="report-add-measure"
                onClick={() => update({ measures: [...measures, { fn: "count" }] })}
              >
                {t("add_measure")}
              </Button>
            </Box>
          )}

          <Typography variant="subtitle1">{t("filters")}</Typography>
          <Suspense fallback={<LinearProgress />}>
            <ConditionsEditor
              conditions={spec.filters ?? { all: [] }}
              base="/filters"
              onChange={(filters) => update({ filters })}
              facts={facts}
              operators={OPERATORS}
              shared={[]}
              markers={problems}
              readOnly={readOnly}
            />
          </Suspense>

          <ParamsEditor spec={spec} update={update} values={values} setValues={setValues} readOnly={readOnly} at={at} />

          <Typography variant="subtitle1">{t("chart")}</Typography>
          <Box sx={{ display: "flex", gap: 1, flexWrap: "wrap" }}>
            <Select
              label={t("chart_type")}
              value={chart.type}
              disabled={readOnly}
              testId="report-chart-type"
              options={CHARTS.map((c) => ({ value: c, label: t(`charts.${c}`) }))}
              onChange={(type) => setChart({ type: type as Chart["type"] })}
            />
            {chart.type !== "table" && (
              <>
                <Select
                  label={t("chart_x")}
                  value={chart.x ?? ""}
                  disabled={readOnly}
                  testId="report-chart-x"
                  options={dims.map((d) => ({ value: dimensionKey(d), label: labelOf(fields, d.field) }))}
                  onChange={(x) => setChart({ x })}
                />
                <Select
                  label={t("chart_series")}
                  value={chart.series ?? ""}
                  disabled={readOnly}
                  testId="report-chart-series"
                  options={[
                    { value: "", label: t("none") },
                    ...dims.map((d) => ({ value: dimensionKey(d), label: labelOf(fields, d.field) })),
                  ]}
                  onChange={(series) => setChart({ series: series || undefined })}
                />
              </>
            )}
          </Box>
        </CardContent>
      </Card>

      <Card>
        <CardContent>
          <Typography variant="subtitle1">{t("preview")}</Typography>
          {running && <LinearProgress />}
          {problems.length > 0 && (
            <Alert severity="error" data-testid="report-problems">
              {problems.map((p, i) => (
                <div key={i}>
                  {p.pointer && <code>{p.pointer} </code>}
                  {p.message}
                </div>
              ))}
            </Alert>
          )}
          {result && !problems.length && (
            <>
              <ReportChart result={result} chart={chart} />
              <ReportTable result={result} />
            </>
          )}
        </CardContent>
      </Card>
    </Box>
  );
};

/**
 * The server's problems as markers: a report's own check answers `{pointer, en, zh}` items; the schema
 * check answers `{pointer: message}`; anything else is one message.
 */
function problemsOf(body: { details?: unknown }, locale: string, fallback: string): EditorMarker[] {
  const errors = (body.details as { errors?: unknown } | undefined)?.errors;
  const strip = (p: string) => p.replace(/^\/spec/, "");
  if (Array.isArray(errors))
    return errors.map((p: { pointer: string; en: string; zh: string }) => ({
      pointer: strip(p.pointer),
      message: locale.startsWith("zh") ? p.zh : p.en,
      severity: "error" as const,
    }));
  if (errors && typeof errors === "object")
    return Object.entries(errors as Record<string, string>).map(([pointer, message]) => ({
      pointer: strip(pointer.startsWith("/") ? pointer : `/${pointer}`),
      message: String(message),
      severity: "error" as const,
    }));
  return [{ pointer: "", message: fallback, severity: "error" }];
}

const labelOf = (fields: { key: string; label: string }[], key: string) =>
  fields.find((f) => f.key === key)?.label ?? key;

const SPEC_KEYS = [
  "dataset",
  "filters",
  "dimensions",
  "measures",
  "sort",
  "limit",
  "params",
  "chart",
  "totals",
  "pinned",
];
function pickSpec(rec: Record<string, unknown>): ReportSpec {
  return Object.fromEntries(
    SPEC_KEYS.filter((k) => rec[k] !== undefined && rec[k] !== null).map((k) => [k, rec[k]]),
  ) as never;
}
/** A save sends every spec field; one the user removed goes as null so the draft drops it. */
function nullsFor(spec: ReportSpec) {
  return Object.fromEntries(SPEC_KEYS.map((k) => [k, (spec as unknown as Record<string, unknown>)[k] ?? null]));
}
function withDefaults(spec: ReportSpec, values: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(spec.params ?? {})) {
    const v = values[name] ?? p.default;
    if (v !== undefined && v !== null && v !== "") out[name] = v;
  }
  return out;
}

const ParamsEditor = ({
  spec,
  update,
  values,
  setValues,
  readOnly,
  at,
}: {
  spec: ReportSpec;
  update: (p: Partial<ReportSpec>) => void;
  values: Record<string, unknown>;
  setValues: (v: Record<string, unknown>) => void;
  readOnly: boolean;
  at: (pointer: string) => string | undefined;
}) => {
  const translate = useTranslate();
  const [locale = "zh-CN"] = useLocaleState();
  const t = (k: string) => translate(`ordo.reports.${k}`);
  const params = spec.params ?? {};
  const [name, setName] = useState("");
  return (
    <Box sx={{ display: "grid", gap: 1 }}>
      <Typography variant="subtitle1">{t("params")}</Typography>
      {Object.entries(params).map(([key, p]) => (
        <Box key={key} sx={{ display: "flex", gap: 1, alignItems: "center" }} data-testid="report-param">
          <Typography sx={{ minWidth: 120 }}>{(locale.startsWith("zh") ? p.label?.zh : p.label?.en) ?? key}</Typography>
          <Select
            label={t("param_type")}
            value={p.type}
            disabled={readOnly}
            width={140}
            options={PARAM_TYPES.map((x) => ({ value: x, label: t(`param_types.${x}`) }))}
            onChange={(type) => update({ params: { ...params, [key]: { ...p, type } } })}
          />
          <TextField
            size="small"
            label={t("param_value")}
            value={String(values[key] ?? p.default ?? "")}
            onChange={(e) => setValues({ ...values, [key]: e.target.value })}
            error={!!at(`/params/${key}`)}
            helperText={at(`/params/${key}`)}
            slotProps={{ htmlInput: { "data-testid": `report-param-${key}` } }}
          />
          {!readOnly && (
            <IconButton
              aria-label={translate("ra.action.remove")}
              onClick={() => {
                const { [key]: _, ...rest } = params;
                update({ params: Object.keys(rest).length ? rest : undefined });
              }}
            >
              <CloseIcon fontSize="small" />
            </IconButton>
          )}
        </Box>
      ))}
      {!readOnly && (
        <Box sx={{ display: "flex", gap: 1 }}>
          <TextField
            size="small"
            label={t("param_name")}
            value={name}
            onChange={(e) => setName(e.target.value)}
            slotProps={{ htmlInput: { "data-testid": "report-param-name" } }}
          />
          <Button
            size="small"
            startIcon={<AddIcon />}
            disabled={!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || !!params[name]}
            onClick={() => {
              update({ params: { ...params, [name]: { type: "month" } } });
              setName("");
            }}
          >
            {t("add_param")}
          </Button>
        </Box>
      )}
    </Box>
  );
};
