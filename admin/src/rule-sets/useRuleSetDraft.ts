import { useCallback, useEffect, useState } from "react";
import { useNotify, useTranslate } from "react-admin";
import { api, errorBody, errorMessage } from "../api/http";
import type { EditorMarker } from "../monaco/JsonEditor";
import type { Diagnostic, RuleSetRecord } from "../types";
import { orderDocument, orderTestCases, pretty } from "./format";
import { DOC_KEYS } from "./schema";

/** The edited document: labels and content. Absent optional labels stay absent (saving keeps them). */
function docOf(r: RuleSetRecord) {
  const doc: Record<string, unknown> = {};
  for (const k of DOC_KEYS) {
    const v = (r as unknown as Record<string, unknown>)[k];
    if (v == null && k !== "facts" && k !== "rules" && k !== "name") continue;
    doc[k] = v ?? (k === "facts" ? {} : k === "rules" ? [] : "");
  }
  return orderDocument(doc);
}
const formatDoc = (r: RuleSetRecord) => pretty(docOf(r));
const formatTests = (r: RuleSetRecord) => pretty(orderTestCases(r.testCases ?? []));

const toMarkers = (list: Diagnostic[] | undefined, severity: EditorMarker["severity"]): EditorMarker[] =>
  (list ?? []).map((d) => ({ pointer: d.pointer, message: d.message, code: d.code, severity }));

/**
 * Draft state of the rule-set editor: the rules document and the test cases as JSON text,
 * the loaded revision (sent back on save), and the server's diagnostics as editor markers.
 */
export function useRuleSetDraft(key: string) {
  const notify = useNotify();
  const translate = useTranslate();
  const [record, setRecord] = useState<RuleSetRecord | null>(null);
  const [docText, setDocText] = useState("");
  const [testsText, setTestsText] = useState("");
  const [dirty, setDirty] = useState(false);
  const [markers, setMarkers] = useState<EditorMarker[]>([]);
  const [stale, setStale] = useState(false);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(
    async (keepText = false) => {
      try {
        const r = await api<RuleSetRecord>(`/rule-sets/${encodeURIComponent(key)}`);
        setRecord(r);
        if (!keepText) {
          setDocText(formatDoc(r));
          setTestsText(formatTests(r));
          setDirty(false);
          setMarkers([]);
        }
        setStale(false);
        return r;
      } catch (e) {
        setLoadError(errorMessage(e));
        return null;
      }
    },
    [key],
  );
  useEffect(() => {
    load();
  }, [load]);

  // Server markers point into the text as it was saved; once edited they would drift.
  const editDoc = (v: string) => {
    setDocText(v);
    setDirty(true);
    setMarkers((m) => (m.length ? [] : m));
  };
  const editTests = (v: string) => {
    setTestsText(v);
    setDirty(true);
    setMarkers((m) => (m.length ? [] : m));
  };

  /** Saves the draft; resolves true when the server accepted it. */
  const save = async (): Promise<boolean> => {
    if (!record) return false;
    let doc: unknown, testCases: unknown;
    try {
      doc = JSON.parse(docText);
      testCases = JSON.parse(testsText);
    } catch (e) {
      notify(translate("ordo.rule_sets.json_error", { error: (e as Error).message }), { type: "error" });
      return false;
    }
    setSaving(true);
    try {
      const saved = await api<RuleSetRecord>(`/rule-sets/${encodeURIComponent(key)}`, {
        method: "PUT",
        body: { ...(doc as object), testCases, id: record.id, key: record.key, revision: record.revision },
      });
      const warnings = saved.warnings ?? [];
      setRecord({ ...record, ...saved });
      // Show what was stored, formatted (a pasted one-line document comes back readable).
      setDocText(formatDoc(saved as RuleSetRecord));
      setTestsText(formatTests(saved as RuleSetRecord));
      setMarkers(toMarkers(warnings, "warning"));
      setDirty(false);
      notify(
        warnings.length
          ? translate("ordo.rule_sets.saved_with_warnings", { smart_count: warnings.length })
          : translate("ordo.rule_sets.saved", { revision: saved.revision }),
        { type: warnings.length ? "warning" : "success" },
      );
      return true;
    } catch (e) {
      const body = errorBody(e);
      if (body.code === "STALE_REVISION" || (e as { status?: number }).status === 409) {
        setStale(true);
      } else if (body.code === "INVALID_RULE_SET") {
        const d = body.details as { errors?: Diagnostic[]; warnings?: Diagnostic[] } | undefined;
        const m = [...toMarkers(d?.errors, "error"), ...toMarkers(d?.warnings, "warning")];
        setMarkers(m);
        notify(translate("ordo.rule_sets.invalid", { smart_count: d?.errors?.length ?? 0 }), { type: "error" });
      } else {
        notify(errorMessage(e), { type: "error" });
      }
      return false;
    } finally {
      setSaving(false);
    }
  };

  // Test-case diagnostics (/testCases/…) go to the test editor, the rest to the rules editor.
  const docMarkers = markers.filter((m) => !m.pointer.startsWith("/testCases"));
  const testMarkers = markers
    .filter((m) => m.pointer.startsWith("/testCases"))
    .map((m) => ({ ...m, pointer: m.pointer.slice("/testCases".length) || "/" }));

  return {
    record,
    docText,
    testsText,
    dirty,
    markers,
    docMarkers,
    testMarkers,
    stale,
    saving,
    loadError,
    editDoc,
    editTests,
    save,
    load,
    setMarkers,
  };
}

export type RuleSetDraft = ReturnType<typeof useRuleSetDraft>;
