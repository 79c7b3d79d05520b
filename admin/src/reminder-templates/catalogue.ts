import { useEffect, useState } from "react";
import { useLocale } from "react-admin";
import { api } from "../api/http";
import type { LiquidCatalogue } from "../monaco/LiquidEditor";
import type { FactInfo } from "../rule-sets/builder/catalogue";
import { loadCatalogues } from "../rule-sets/catalogues";
import type { OperatorInfo } from "../rule-sets/builder/catalogue";

interface Entry {
  type: string;
  zh: string;
  en: string;
  members?: Record<string, { type: string; zh: string; en: string }> | null;
}
interface ServerCatalogue {
  facts: Record<string, Entry>;
  filters: string[];
}

export interface ReminderCatalogue {
  liquid: LiquidCatalogue;
  /** The same facts for the segment builder. */
  facts: FactInfo[];
  operators: OperatorInfo[];
}

let cached: Promise<[ServerCatalogue, OperatorInfo[]]> | null = null;

/** GET /api/reminder-catalogue (placeholders, filters) and the rule operators, worded in the admin's language. */
export function useReminderCatalogue(): ReminderCatalogue | null {
  const locale = useLocale();
  const [cat, setCat] = useState<ReminderCatalogue | null>(null);
  useEffect(() => {
    let live = true;
    cached ??= Promise.all([
      api<ServerCatalogue>("/reminder-catalogue"),
      loadCatalogues().then((c) => c.operators),
    ]).catch((e) => {
      cached = null;
      throw e;
    });
    cached.then(([server, operators]) => {
      if (!live) return;
      const doc = (e: { zh: string; en: string }) => (locale.startsWith("zh") ? e.zh : e.en);
      setCat({
        liquid: {
          filters: server.filters,
          facts: Object.fromEntries(
            Object.entries(server.facts).map(([name, e]) => [
              name,
              {
                type: e.type,
                doc: doc(e),
                members: e.members
                  ? Object.fromEntries(Object.entries(e.members).map(([m, x]) => [m, { type: x.type, doc: doc(x) }]))
                  : undefined,
              },
            ]),
          ),
        },
        facts: Object.entries(server.facts).map(([name, e]) => ({
          name,
          type: e.type,
          description: doc(e),
          schema: { type: e.type },
          declared: true,
        })),
        operators,
      });
    });
    return () => {
      live = false;
    };
  }, [locale]);
  return cat;
}
