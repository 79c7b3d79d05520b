import { addMonthsToDate, assertDate, monthIndex, monthOf, parseMonth } from "./dates";
import { PolicyError } from "./errors";

import type { RetirementCategory } from "../domain/index";

export type { RetirementCategory };

/**
 * 2024 NPCSC decision on the gradual retirement-age increase, in force from 2025-01-01: the delay
 * starts with births in `fromYear` January; every `perMonths` months of birth add one month, up to the target.
 */
export const RETIREMENT_RULES: Record<
  RetirementCategory,
  { baseYears: number; targetYears: number; fromYear: number; perMonths: number }
> = {
  male: { baseYears: 60, targetYears: 63, fromYear: 1965, perMonths: 4 },
  female_cadre: { baseYears: 55, targetYears: 58, fromYear: 1970, perMonths: 4 },
  female_worker: { baseYears: 50, targetYears: 55, fromYear: 1975, perMonths: 2 },
};

export interface RetirementAge {
  category: RetirementCategory;
  birthDate: string;
  originalAgeMonths: number;
  delayMonths: number;
  ageMonths: number;
  age: { years: number; months: number };
  /** Birth date + age (day clamped to the month's end). */
  retirementDate: string;
  retirementMonth: string;
}

export function retirementAge(birthDate: string, category: RetirementCategory): RetirementAge {
  assertDate(birthDate, "birthDate");
  const rule = RETIREMENT_RULES[category];
  if (!rule) throw new PolicyError("INVALID_INPUT", `unknown retirement category ${String(category)}`, { category });
  const originalAgeMonths = rule.baseYears * 12;
  const k = monthIndex(monthOf(birthDate)) - rule.fromYear * 12;
  const cap = (rule.targetYears - rule.baseYears) * 12;
  const delayMonths = k < 0 ? 0 : Math.min(Math.floor(k / rule.perMonths) + 1, cap);
  const ageMonths = originalAgeMonths + delayMonths;
  const retirementDate = addMonthsToDate(birthDate, ageMonths);
  return {
    category,
    birthDate,
    originalAgeMonths,
    delayMonths,
    ageMonths,
    age: { years: Math.floor(ageMonths / 12), months: ageMonths % 12 },
    retirementDate,
    retirementMonth: monthOf(retirementDate),
  };
}

/** From 2030 the minimum rises from 15 years by 6 months a year, reaching 20 years in 2039. */
export function minimumContributionMonths(retirementMonthOrYear: string | number): number {
  const year =
    typeof retirementMonthOrYear === "number"
      ? retirementMonthOrYear
      : parseMonth(retirementMonthOrYear.slice(0, 7)).year;
  if (year < 2030) return 180;
  return Math.min(240, 180 + 6 * (year - 2029));
}

export function minimumContributionYears(retirementMonthOrYear: string | number): string {
  const months = minimumContributionMonths(retirementMonthOrYear);
  return (months / 12).toFixed(1);
}
