import { useEffect, useMemo, useState } from "react";
import { useCatalogues } from "./catalogues";
import { documentSchema, factNames, injectEnums } from "./schema";

/** The Monaco schema: the server's rules schema with fact and operator names as enums. */
export function useEditorSchema(docText: string) {
  const cat = useCatalogues();

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
