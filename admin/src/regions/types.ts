/** The answers of /api/org-tree and /api/regions/:id/policy (server/regions). */
export interface OrgNode {
  id: string;
  name: string;
  type: string;
  city: string;
  cityZh: string;
  cityEn: string;
  children: OrgNode[];
}

export interface PolicyCell {
  table: string;
  values: Record<string, string | number | null | undefined>;
  source: string;
  confidence: "H" | "M" | "L" | string;
  note: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  carried: boolean;
}

export interface CityPolicy {
  city: string;
  cityZh: string;
  cityEn: string;
  stores: { id: string; name: string; type: string }[];
  insurances: { insurance: string; zh: string; en: string; limits: PolicyCell | null; rates: PolicyCell | null }[];
  workInjuryClasses: PolicyCell[];
  paymentDeadline: (PolicyCell & { day: number; date: string }) | null;
  backPaymentWindow: (PolicyCell & { months: number | null }) | null;
  minimumWage: (PolicyCell & { monthly: string }) | null;
  missing: string[];
}

export interface RegionReminders {
  orgUnitId: string;
  reminderDaysBefore: number;
  remindersEnabled: boolean;
  cities: { city: string; month: string; paymentDeadline: string; remindOn: string }[];
}

export interface RegionPolicy {
  region: { id: string; name: string; type: string; city: string };
  at: string;
  versions: Record<string, number>;
  cities: CityPolicy[];
  reminders: RegionReminders | null;
}
