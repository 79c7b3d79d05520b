import { pathToFileURL } from "node:url";
import { REFERENCE_CITY_CODES as CITIES } from "../domain/index";
import { calculateContributions, PolicySet, referenceTables } from "../policies";

export interface PoliciesBenchResult {
  employees: number;
  loadMs: number;
  runMs: number;
  perSecond: number;
}

/** One monthly run: 100,000 employees across the six cities, the policy set loaded once. */
export function benchPolicies(employees = 100_000, month = "2025-09"): PoliciesBenchResult {
  const t0 = performance.now();
  const policy = new PolicySet(referenceTables);
  const t1 = performance.now();
  let check = 0;
  for (let i = 0; i < employees; i++) {
    const r = calculateContributions(policy, {
      city: CITIES[i % CITIES.length],
      month,
      wage: String(3000 + ((i * 7919) % 50000)),
      hukouLocal: i % 3 !== 0,
      workInjuryClass: (i % 8) + 1,
    });
    check += r.items.length;
  }
  const t2 = performance.now();
  if (check !== employees * 6) throw new Error(`unexpected item count ${check}`);
  const runMs = t2 - t1;
  const result = { employees, loadMs: t1 - t0, runMs, perSecond: Math.round((employees / runMs) * 1000) };
  console.log(
    `calculateContributions: ${employees} employees in ${runMs.toFixed(0)} ms = ${result.perSecond}/s ` +
      `(policy load ${result.loadMs.toFixed(1)} ms)`,
  );
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) benchPolicies();
