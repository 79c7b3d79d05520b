/**
 * Installs the shipped rule packs into a tenant as published rule sets, and the default reminder templates
 * (seed and new tenants).
 */
import type { Knex } from "knex";
import { industryPacks, packParts, socialInsurancePack, type RulePack } from "../../rules/packs/index";
import { ruleSetStore } from "../rule-sets/service";
import type { AuthUser } from "../auth/service";
import { installReminderTemplates } from "../reminders/pack";
import { packForIndustry } from "../../rules/packs/index";
import { recordInstalledPack } from "../packs/record";

/** Effective from far back, so operations dated in the past find a version in force. */
export const PACK_EFFECTIVE_FROM = "2000-01-01";

export async function installRulePacks(
  trx: Knex.Transaction,
  tenantId: string,
  industry: string | null,
  user: AuthUser | null = null,
): Promise<string[]> {
  const packs: RulePack[] = [...socialInsurancePack, ...(industry ? (industryPacks[industry] ?? []) : [])];
  for (const p of packs) {
    const { meta, content } = packParts(p);
    await ruleSetStore.create(trx, tenantId, meta, content as unknown as Record<string, unknown>, user);
    await ruleSetStore.publish(
      trx,
      tenantId,
      meta.key,
      { effectiveFrom: PACK_EFFECTIVE_FROM, note: "Ordo default pack" },
      user,
    );
  }
  await installReminderTemplates(trx, tenantId, user);
  // The tenant runs these packs at their shipped version: recorded so drift and upgrades start from it.
  for (const m of ["social-insurance", packForIndustry(industry)?.key])
    if (m) await recordInstalledPack(trx, tenantId, m, user);
  return packs.map((p) => p.key);
}
