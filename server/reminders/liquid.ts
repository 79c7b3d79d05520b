/**
 * The Liquid engines of reminder templates (liquidjs: no code execution, unknown placeholders and filters are
 * errors). Email bodies render with HTML escaping; other channels and every subject render as text.
 */
import { Liquid, type Template } from "liquidjs";
import { LruCache } from "../util/lru";
import { REMINDER_FILTERS } from "./filters";

// Limits keep a template (a loop over a huge range, say) from holding the event loop or the memory.
const OPTIONS = {
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: 1_000_000,
  renderLimit: 1000,
  memoryLimit: 10_000_000,
} as const;

function engine(html: boolean): Liquid {
  const l = new Liquid(html ? { ...OPTIONS, outputEscape: "escape" } : OPTIONS);
  for (const [name, fn] of Object.entries(REMINDER_FILTERS)) l.registerFilter(name, fn);
  return l;
}

export const textLiquid = engine(false);
export const htmlLiquid = engine(true);

// Parsed templates by source text (immutable, so a cache and never state another server needs).
const parsed = new LruCache<string, Template[]>(2000);

/** Parses a template's text once; throws liquidjs's error (with its line and column) when it cannot. */
export function parseTemplate(source: string, html = false): Template[] {
  // liquidjs applies outputEscape when parsing, so each engine has its own parsed copy.
  const key = `${html ? "h" : "t"}:${source}`;
  let t = parsed.get(key);
  if (!t) {
    t = (html ? htmlLiquid : textLiquid).parse(source);
    parsed.set(key, t);
  }
  return t;
}

/** The variables a template reads from its facts, each as its path (`["backPayment", "total"]`). */
export function placeholders(source: string): (string | number)[][] {
  return textLiquid.globalVariableSegmentsSync(parseTemplate(source)) as (string | number)[][];
}

export async function renderText(source: string, facts: Record<string, unknown>, html: boolean): Promise<string> {
  return (html ? htmlLiquid : textLiquid).render(parseTemplate(source, html), facts);
}
