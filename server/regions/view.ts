/** The region view as the API answers it: the cities' policy values and, for a region, its reminder days. */
import type { Knex } from "knex";
import { loadPolicySet } from "../policy-tables/policy-set";
import { loadOrgTree } from "./tree";
import { regionPolicy, type RegionPolicy } from "./policy";
import { regionDeadlines, regionSettings, type RegionSettings } from "./reminders";

export interface RegionView extends RegionPolicy {
  /** null for a unit that is not a region (a company's view has no reminders of its own). */
  reminders:
    | (RegionSettings & { cities: { city: string; month: string; paymentDeadline: string; remindOn: string }[] })
    | null;
}

export async function regionView(db: Knex, tenantId: string, orgUnitId: string, at: string): Promise<RegionView> {
  const view = await regionPolicy(db, tenantId, orgUnitId, at);
  if (view.region.type !== "region") return { ...view, reminders: null };
  const settings = await regionSettings(db, tenantId, orgUnitId);
  const [tree, policy] = await Promise.all([loadOrgTree(db, tenantId), loadPolicySet(db, tenantId)]);
  const deadlines = regionDeadlines(tree, orgUnitId, policy, at, settings.reminderDaysBefore);
  return {
    ...view,
    reminders: {
      ...settings,
      cities: deadlines.map(({ city, month, paymentDeadline, remindOn }) => ({
        city,
        month,
        paymentDeadline,
        remindOn,
      })),
    },
  };
}
