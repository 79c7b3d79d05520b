/**
 * Region reminders: the HR of a region is reminded N days (region_settings, default 5) before each of
 * its cities' payment deadline. A daily scan, run by the queue's minute tick: the first tick of a China
 * day to claim (tenant, day) in region_reminder_scans scans that tenant, in the same transaction, so
 * servers scan a tenant once a day and a failed scan is retried by the next tick. Each reminder is one
 * outbox notification per (region, city, month) and channel: its idempotency key holds the period
 * `month|city|region`, so a later scan in the window queues nothing again.
 */
import type { Knex } from "knex";
import type { Logger } from "pino";
import type { Registry } from "../../rules/index";
import { addDays, dayOfMonth, daysBetween, firstDay, monthOf } from "../../policies/index";
import { fail } from "../errors";
import { loadPolicySet } from "../policy-tables/policy-set";
import { reminderNotifications } from "../notifications/trigger";
import { insertNotifications } from "../notifications/outbox";
import { loadOrgTree, unitOf, type OrgTree } from "./tree";
import { storesByCity } from "./policy";

export const REGION_REMINDER_TEMPLATE = "hr-region-payment-deadline";
export const DEFAULT_DAYS_BEFORE = 5;

export interface RegionSettings {
  orgUnitId: string;
  reminderDaysBefore: number;
  remindersEnabled: boolean;
}

type Row = Record<string, any>;

const settingsView = (orgUnitId: string, r?: Row): RegionSettings => ({
  orgUnitId,
  reminderDaysBefore: r ? Number(r.reminder_days_before) : DEFAULT_DAYS_BEFORE,
  remindersEnabled: r ? r.reminders_enabled === true : true,
});

/** A region's reminder settings (the defaults when none were saved); 404 for a unit that is not a region. */
export async function regionSettings(db: Knex, tenantId: string, orgUnitId: string): Promise<RegionSettings> {
  regionOf(await loadOrgTree(db, tenantId), orgUnitId);
  const row = await db("region_settings").where({ tenant_id: tenantId, org_unit_id: orgUnitId }).first();
  return settingsView(orgUnitId, row);
}

export async function saveRegionSettings(
  db: Knex,
  tenantId: string,
  orgUnitId: string,
  body: Partial<Omit<RegionSettings, "orgUnitId">>,
): Promise<RegionSettings> {
  const current = await regionSettings(db, tenantId, orgUnitId);
  const next = { ...current, ...body };
  await db("region_settings")
    .insert({
      tenant_id: tenantId,
      org_unit_id: orgUnitId,
      reminder_days_before: next.reminderDaysBefore,
      reminders_enabled: next.remindersEnabled,
    })
    .onConflict(["tenant_id", "org_unit_id"])
    .merge({
      reminder_days_before: next.reminderDaysBefore,
      reminders_enabled: next.remindersEnabled,
      updated_at: db.fn.now(),
    });
  return next;
}

function regionOf(tree: OrgTree, orgUnitId: string) {
  const unit = unitOf(tree, orgUnitId);
  if (unit.type !== "region")
    throw fail(
      "NOT_A_REGION",
      { id: orgUnitId, type: unit.type },
      { details: { field: "orgUnitId" }, errors: { orgUnitId: "is not a region" } },
    );
  return unit;
}

/** A city's deadline in the month of `day` and the day its region's HR is reminded. */
export interface CityDeadline {
  city: string;
  month: string;
  paymentDeadline: string;
  remindOn: string;
  storeIds: string[];
}

/** The deadlines of a region's cities in the month of `day` (cities without a deadline day are left out). */
export function regionDeadlines(
  tree: OrgTree,
  regionId: string,
  policy: Awaited<ReturnType<typeof loadPolicySet>>,
  day: string,
  daysBefore: number,
): CityDeadline[] {
  const month = monthOf(day);
  const out: CityDeadline[] = [];
  for (const [city, stores] of storesByCity(tree.stores(regionId))) {
    const row = policy.has("si-city-settings") ? policy.lookup("si-city-settings", { city }, firstDay(month)) : null;
    const deadlineDay = row?.values.paymentDeadlineDay;
    if (typeof deadlineDay !== "number") continue;
    const paymentDeadline = dayOfMonth(month, deadlineDay);
    out.push({
      city,
      month,
      paymentDeadline,
      remindOn: addDays(paymentDeadline, -daysBefore),
      storeIds: stores.map((s) => s.id),
    });
  }
  return out;
}

/** What the reminder says about a city of a region: its stores' active headcount and the month's ledger due. */
async function cityFigures(db: Knex, tenantId: string, d: CityDeadline) {
  const [{ n }] = await db("employees")
    .where({ tenant_id: tenantId, status: "active" })
    .whereIn("org_unit_id", d.storeIds)
    .count({ n: "*" });
  const [{ amount }] = await db("contributions as c")
    .join("employees as e", (j) => j.on("e.tenant_id", "c.tenant_id").andOn("e.id", "c.employee_id"))
    .where({ "c.tenant_id": tenantId, "c.month": d.month, "c.city": d.city, "c.status": "due" })
    .whereIn("e.org_unit_id", d.storeIds)
    .select(db.raw("coalesce(sum(c.employer + c.employee), 0)::numeric(14,2)::text AS amount"));
  return { employees: Number(n), amountDue: String(amount) };
}

/**
 * Queues the reminders due on `day` for every region of the tenant: a city whose deadline is today or
 * within the region's days-before. Answers the notification ids written (none for one already queued).
 */
export async function queueRegionReminders(
  db: Knex,
  registry: Registry | undefined,
  tenantId: string,
  day: string,
): Promise<string[]> {
  const tree = await loadOrgTree(db, tenantId);
  const regions = tree.units().filter((u) => u.type === "region");
  if (!regions.length) return [];
  const saved = new Map<string, Row>(
    (await db("region_settings").where({ tenant_id: tenantId })).map((r: Row) => [r.org_unit_id, r]),
  );
  const policy = await loadPolicySet(db, tenantId);
  const ids: string[] = [];
  for (const region of regions) {
    const settings = settingsView(region.id, saved.get(region.id));
    if (!settings.remindersEnabled) continue;
    for (const d of regionDeadlines(tree, region.id, policy, day, settings.reminderDaysBefore)) {
      if (day < d.remindOn || day > d.paymentDeadline) continue;
      const { rows } = await reminderNotifications(
        db,
        registry,
        { tenantId, employeeId: null, at: day, decisionId: null },
        {
          recipient: "hr",
          template: REGION_REMINDER_TEMPLATE,
          period: `${d.month}|${d.city}|${region.id}`,
          dueDate: d.paymentDeadline,
          sendOn: day,
          payload: {
            regionId: region.id,
            region: region.name,
            city: d.city,
            month: d.month,
            paymentDeadline: d.paymentDeadline,
            daysLeft: daysBetween(day, d.paymentDeadline),
            stores: d.storeIds.length,
            ...(await cityFigures(db, tenantId, d)),
          },
        },
      );
      ids.push(...(await insertNotifications(db, rows)));
    }
  }
  return ids;
}

/** The China-local day (UTC+8, no DST) of an instant. */
export const chinaDay = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * The daily scan over every tenant with a region: each tenant once per China day across servers (the
 * claim of its scan row commits with the reminders it queued). Answers the notifications queued.
 */
export async function scanRegionReminders(
  db: Knex,
  registry: Registry | undefined,
  logger: Pick<Logger, "error" | "info">,
  now = new Date(),
) {
  const day = chinaDay(now);
  const tenants: string[] = await db("org_units")
    .where({ type: "region" })
    .whereNotExists(
      db("region_reminder_scans as s").whereRaw("s.tenant_id = org_units.tenant_id").andWhere("s.day", day),
    )
    .distinct("tenant_id")
    .then((rows: Row[]) => rows.map((r) => r.tenant_id as string));
  let queued = 0;
  for (const tenantId of tenants) {
    const scan = db.transaction(async (trx) => {
      const claimed = await trx("region_reminder_scans")
        .insert({ tenant_id: tenantId, day })
        .onConflict(["tenant_id", "day"])
        .ignore()
        .returning("tenant_id");
      if (!claimed.length) return 0; // another server's tick has it
      const ids = await queueRegionReminders(trx, registry, tenantId, day);
      await trx("region_reminder_scans").where({ tenant_id: tenantId, day }).update({ queued: ids.length });
      return ids.length;
    });
    // One tenant's failure (a template it broke) leaves the others' reminders alone; the next tick retries it.
    queued += await scan.catch((err) => {
      logger.error({ err, tenantId, day }, "region reminder scan failed");
      return 0;
    });
  }
  if (queued) logger.info({ day, queued }, "region reminders queued");
  return queued;
}
