/**
 * The default reminder templates (pack/*.json): the seed's messages with real figures from the lifecycle.
 * Installed and published into the demo tenant and new tenants beside the rule packs; publishing runs each
 * template's test cases, so a pack that does not pass them cannot be installed.
 */
import type { Knex } from "knex";
import type { AuthUser } from "../auth/service";
import type { Content } from "../documents/store";
import { ReminderTemplateService } from "./templates";
import gapOptions from "./pack/si-gap-options.json";
import backPaymentWindow from "./pack/si-back-payment-window.json";
import leaveUpcoming from "./pack/hr-leave-upcoming.json";
import paymentDeadline from "./pack/hr-payment-deadline.json";
import youngHousing from "./pack/si-gap-young-housing.json";
import middleAgedMedical from "./pack/si-gap-middle-aged-medical.json";
import otherCityRates from "./pack/si-other-city-rates.json";
import regionPaymentDeadline from "./pack/hr-region-payment-deadline.json";

export interface TemplatePackEntry extends Content {
  key: string;
  name: string;
  description?: string;
}

export const templatePack: readonly TemplatePackEntry[] = [
  gapOptions,
  backPaymentWindow,
  leaveUpcoming,
  paymentDeadline,
  youngHousing,
  middleAgedMedical,
  otherCityRates,
  regionPaymentDeadline,
] as TemplatePackEntry[];

/** Effective from far back, like the rule packs, so reminders dated in the past find a version. */
const EFFECTIVE_FROM = "2000-01-01";

/** Creates and publishes the pack's templates the tenant does not have yet; answers the keys installed. */
export async function installReminderTemplates(
  trx: Knex.Transaction,
  tenantId: string,
  user: AuthUser | null = null,
  service = new ReminderTemplateService(),
): Promise<string[]> {
  const have = new Set(
    (await trx("documents").where({ tenant_id: tenantId, kind: "reminder-template" }).pluck("key")) as string[],
  );
  const installed: string[] = [];
  for (const entry of templatePack) {
    if (have.has(entry.key)) continue;
    const { key, name, description, ...content } = entry;
    await service.create(trx, tenantId, { key, name, description, ...content }, user);
    await service.publishIn(trx, tenantId, key, { effectiveFrom: EFFECTIVE_FROM, note: "Ordo default pack" }, user);
    installed.push(key);
  }
  return installed;
}
