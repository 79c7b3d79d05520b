import { useEffect, useMemo, useState } from "react";
import { api } from "../api/http";
import { documentSchema, factNames, injectEnums } from "./schema";

interface Catalogues {
  schema: unknown;
  facts: { name: string }[];
  operators: { name: string }[];
}

/** The Monaco schema: the server's rules schema with fact and operator names as enums. */
export function useEditorSchema(docText: string) {
  const [cat, setCat] = useState<Catalogues | null>(null);
  useEffect(() => {
    Promise.all([
      api("/rule-sets/schema").catch(() => ({})),
      api<{ name: string }[]>("/facts").catch(() => []),
      api<{ name: string }[]>("/operators").catch(() => []),
    ]).then(([schema, facts, operators]) => setCat({ schema, facts, operators }));
  }, []);

  // Facts declared by the rule set itself count too; recompute only when their names change.
  const localFacts = useMemo(() => {
    try {
      return Object.keys(JSON.parse(docText)?.facts ?? {})
        .sort()
        .join("\n");
    } catch {
      return null;
    }
  }, [docText]);
  const [stableLocal, setStableLocal] = useState("");
  useEffect(() => {
    if (localFacts !== null) setStableLocal(localFacts);
  }, [localFacts]);

  return useMemo(() => {
    if (!cat) return undefined;
    const local = stableLocal ? Object.fromEntries(stableLocal.split("\n").map((k) => [k, {}])) : {};
    return injectEnums(
      documentSchema(cat.schema),
      factNames(cat.facts, { facts: local }),
      cat.operators.map((o) => o.name),
    );
  }, [cat, stableLocal]);
}
