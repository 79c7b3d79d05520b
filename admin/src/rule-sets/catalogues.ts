import { useEffect, useState } from "react";
import { api } from "../api/http";
import type { ActionInfo, FactInfo, OperatorInfo } from "./builder/catalogue";

/** What the server offers the editors: the rules schema and the plugins' facts, operators and actions. */
export interface Catalogues {
  schema: unknown;
  facts: Omit<FactInfo, "declared">[];
  operators: OperatorInfo[];
  actions: ActionInfo[];
}

// Plugins are loaded once per server start: one fetch serves the Monaco schema and the visual builder.
let cached: Promise<Catalogues> | null = null;

export function loadCatalogues(): Promise<Catalogues> {
  if (cached) return cached;
  let failed = false;
  const get = <T>(path: string, fallback: T) =>
    api<T>(path).catch(() => {
      failed = true;
      return fallback;
    });
  const p = Promise.all([
    get<unknown>("/rule-sets/schema", {}),
    get<Catalogues["facts"]>("/facts", []),
    get<OperatorInfo[]>("/operators", []),
    get<ActionInfo[]>("/actions", []),
  ]).then(([schema, facts, operators, actions]) => {
    if (failed) cached = null; // try again next time rather than keep a half catalogue
    return { schema, facts, operators, actions };
  });
  cached = p;
  return p;
}

export function useCatalogues(): Catalogues | null {
  const [cat, setCat] = useState<Catalogues | null>(null);
  useEffect(() => {
    let live = true;
    loadCatalogues().then((c) => live && setCat(c));
    return () => {
      live = false;
    };
  }, []);
  return cat;
}
