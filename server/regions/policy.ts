/**
 * The region view: each city of a region's stores side by side, with what the tenant's published policy
 * tables say on a date (base limits and rates per insurance, payment deadline, back-payment window,
 * minimum wage), every value with its table, source, confidence and effective range. Nothing here holds
 * a figure of its own: a city without a row shows null, and the tables it lacks are listed.
 */
import type { Knex } from "knex";
import { cityName, INSURANCES } from "../../domain/index";
import { dayOfMonth, monthOf, type PolicyRow, type PolicySet } from "../../policies/index";
import { loadPolicies } from "../policy-tables/policy-set";
import { loadOrgTree, unitOf, type OrgUnitRow } from "./tree";

export interface PolicyCell {
  table: string;
  values: Record<string, unknown>;
  source: string;
  confidence: string;
  note: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  publishedOn: string | null;
  /** In force only by carry-forward: the date is past the row's last day and no newer row is published. */
  carried: boolean;
}

export interface CityPolicy {
  city: string;
  cityZh: string;
  cityEn: string;
  stores: { id: string; name: string; type: string }[];
  insurances: {
    insurance: string;
    zh: string;
    en: string;
    limits: PolicyCell | null;
    /** si-rates for the social insurances, si-housing-fund (the rate range) for the housing fund. */
    rates: PolicyCell | null;
  }[];
  /** Work-injury rates are per industry risk class (si-work-injury-classes). */
  workInjuryClasses: PolicyCell[];
  /** paymentDeadlineDay of si-city-settings and the deadline it gives in the month of `at`. */
  paymentDeadline: (PolicyCell & { day: number; date: string }) | null;
  /** backPaymentWindowMonths of si-city-settings; months null when the city sets none. */
  backPaymentWindow: (PolicyCell & { months: number | null }) | null;
  minimumWage: (PolicyCell & { monthly: string }) | null;
  /** Tables with no row in force for the city on the date. */
  missing: string[];
}

export interface RegionPolicy {
  region: { id: string; name: string; type: string; city: string };
  at: string;
  /** The published version of each table the figures come from. */
  versions: Record<string, number>;
  cities: CityPolicy[];
}

const cell = (table: string, row: PolicyRow, at: string): PolicyCell => ({
  table,
  values: { ...row.values },
  source: row.source,
  confidence: row.confidence,
  note: row.note ?? null,
  effectiveFrom: row.effectiveFrom,
  effectiveTo: row.effectiveTo,
  publishedOn: row.publishedOn ?? null,
  carried: row.effectiveTo !== null && row.effectiveTo < at,
});

function lookup(set: PolicySet, table: string, key: Record<string, string | number>, at: string) {
  if (!set.has(table)) return undefined;
  const row = set.lookup(table, key, at);
  return row ? cell(table, row, at) : undefined;
}

/** What the tables say for one city on `at`. */
export function cityPolicy(set: PolicySet, city: string, at: string, stores: OrgUnitRow[] = []): CityPolicy {
  const missing = new Set<string>();
  const need = (table: string, found: PolicyCell | undefined) => {
    if (!found) missing.add(table);
    return found ?? null;
  };
  const insurances = INSURANCES.map((i) => ({
    insurance: i.code,
    zh: i.zh,
    en: i.en,
    limits: need("si-base-limits", lookup(set, "si-base-limits", { city, insurance: i.code }, at)),
    rates:
      i.code === "work_injury"
        ? null
        : i.code === "housing_fund"
          ? need("si-housing-fund", lookup(set, "si-housing-fund", { city }, at))
          : need("si-rates", lookup(set, "si-rates", { city, insurance: i.code }, at)),
  }));
  const workInjuryClasses: PolicyCell[] = [];
  for (let riskClass = 1; riskClass <= 8; riskClass++) {
    const found = lookup(set, "si-work-injury-classes", { city, riskClass }, at);
    if (found) workInjuryClasses.push(found);
  }
  if (!workInjuryClasses.length) missing.add("si-work-injury-classes");
  const settings = need("si-city-settings", lookup(set, "si-city-settings", { city }, at));
  const day = settings?.values.paymentDeadlineDay;
  const windowMonths = settings?.values.backPaymentWindowMonths;
  const wage = need("min-wage", lookup(set, "min-wage", { city }, at));
  return {
    city,
    cityZh: cityName(city, "zh-CN"),
    cityEn: cityName(city, "en"),
    stores: stores.map((s) => ({ id: s.id, name: s.name, type: s.type })),
    insurances,
    workInjuryClasses,
    paymentDeadline:
      settings && typeof day === "number" ? { ...settings, day, date: dayOfMonth(monthOf(at), day) } : null,
    backPaymentWindow: settings
      ? { ...settings, months: typeof windowMonths === "number" ? windowMonths : null }
      : null,
    minimumWage: wage ? { ...wage, monthly: String(wage.values.monthly) } : null,
    missing: [...missing].sort(),
  };
}

/** The cities of a unit's stores, each with its stores, in the order of the cities' codes. */
export function storesByCity(stores: OrgUnitRow[]): Map<string, OrgUnitRow[]> {
  const byCity = new Map<string, OrgUnitRow[]>();
  for (const s of [...stores].sort((a, b) => (a.city < b.city ? -1 : a.city > b.city ? 1 : 0)))
    (byCity.get(s.city) ?? byCity.set(s.city, []).get(s.city)!).push(s);
  return byCity;
}

export async function regionPolicy(db: Knex, tenantId: string, orgUnitId: string, at: string): Promise<RegionPolicy> {
  const tree = await loadOrgTree(db, tenantId);
  const region = unitOf(tree, orgUnitId);
  const { set, versions } = await loadPolicies(db, tenantId);
  const cities = [...storesByCity(tree.stores(region.id))].map(([city, stores]) => cityPolicy(set, city, at, stores));
  return {
    region: { id: region.id, name: region.name, type: region.type, city: region.city },
    at,
    versions,
    cities,
  };
}
