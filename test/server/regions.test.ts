import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { runDemoActivity } from "../../server/demo-activity";
import { queueRegionReminders, REGION_REMINDER_TEMPLATE } from "../../server/regions/reminders";
import { INSURANCE_CODES } from "../../domain/index";

// The retail demo tenant: 零售总部 (company) → 华东区 (上海 ×2, 杭州), 华南区 (广州, 深圳), 华北及西南区 (北京, 成都),
// two employees a store, hired and run through 2025-03..2025-06 by the demo activity (June left unpaid).
let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
const region: Record<string, string> = {};
type Row = Record<string, any>;

const lookup = async (table: string, key: object, date: string) => {
  const res = await t
    .request()
    .get(`/api/policy-lookup?table=${table}&key=${encodeURIComponent(JSON.stringify(key))}&date=${date}`)
    .set(h);
  return res.status === 200 ? res.body.row : null;
};
const policy = async (id: string, at: string) => {
  const res = await t.request().get(`/api/regions/${id}/policy?at=${at}`).set(h);
  expect(res.status).toBe(200);
  return res.body;
};
const regionNotifications = () =>
  t.db("notifications").where({ tenant_id: tenantId, template: REGION_REMINDER_TEMPLATE }).orderBy("period");
/** A minute-tick at 10:00 China time on the day. */
const tickOn = (day: string) => t.ctx.jobs.tick(new Date(`${day}T02:00:00Z`));

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("retail");
  tenantId = (await t.db("tenants").where({ slug: "retail" }).first("id")).id;
  for (const r of await t.db("org_units").where({ tenant_id: tenantId, type: "region" })) region[r.name] = r.id;
  await runDemoActivity(t.ctx, "2025-07-10", "retail");
});
afterAll(() => t.close());

describe("org tree", () => {
  it("is company → regions → stores in several cities", async () => {
    const res = await t.request().get("/api/org-tree").set(h);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    const [company] = res.body;
    expect(company).toMatchObject({ type: "company", name: "零售总部" });
    expect(company.children.map((c: Row) => [c.name, c.type])).toEqual([
      ["华北及西南区", "region"],
      ["华东区", "region"],
      ["华南区", "region"],
    ]);
    const cities = new Set(company.children.flatMap((r: Row) => r.children.map((s: Row) => s.city)));
    expect(cities.size).toBeGreaterThanOrEqual(6);
    const sub = await t.request().get(`/api/org-units/${region["华东区"]}/tree`).set(h);
    expect(sub.body.children.map((s: Row) => `${s.type} ${s.cityEn}`).sort()).toEqual([
      "store Hangzhou",
      "store Shanghai",
      "store Shanghai",
    ]);
    const regions = await t.request().get("/api/regions").set(h);
    expect(regions.body.find((r: Row) => r.id === region["华东区"])).toMatchObject({
      stores: 3,
      cities: ["310000", "330100"],
    });
  });

  it("is HR's and consultants' only, and a unit of another tenant is a 404", async () => {
    expect(
      (
        await t
          .request()
          .get("/api/org-tree")
          .set(await t.employee())
      ).status,
    ).toBe(403);
    const demo = await t.admin("demo");
    expect((await t.request().get(`/api/regions/${region["华东区"]}/policy`).set(demo)).status).toBe(404);
    expect((await t.request().get("/api/regions/not-a-uuid/policy").set(h)).status).toBe(400);
    const bad = await t.request().get(`/api/regions/${region["华东区"]}/policy?at=2025-02-30`).set(h);
    expect(bad.status).toBe(400);
  });
});

describe("region policy view", () => {
  it("lists each city of the region's stores with exactly the values of the tenant's policy tables", async () => {
    for (const at of ["2024-06-30", "2025-06-15"]) {
      for (const id of Object.values(region)) {
        const view = await policy(id, at);
        expect(view.cities.length).toBeGreaterThanOrEqual(2);
        for (const c of view.cities) {
          const missing = new Set<string>();
          const seen = (table: string, row: Row | null) => {
            if (!row) missing.add(table);
            return row;
          };
          expect(c.insurances.map((i: Row) => i.insurance)).toEqual(INSURANCE_CODES);
          for (const i of c.insurances) {
            const limits = seen(
              "si-base-limits",
              await lookup("si-base-limits", { city: c.city, insurance: i.insurance }, at),
            );
            expect(i.limits?.values ?? null, `${c.city} ${i.insurance} ${at}`).toEqual(limits?.values ?? null);
            if (limits) {
              expect(i.limits).toMatchObject({
                table: "si-base-limits",
                source: limits.source,
                confidence: limits.confidence,
                effectiveFrom: limits.effectiveFrom,
                effectiveTo: limits.effectiveTo,
              });
            }
            const table = i.insurance === "housing_fund" ? "si-housing-fund" : "si-rates";
            const key = i.insurance === "housing_fund" ? { city: c.city } : { city: c.city, insurance: i.insurance };
            const rates = i.insurance === "work_injury" ? null : seen(table, await lookup(table, key, at));
            expect(i.rates?.values ?? null).toEqual(rates?.values ?? null);
            if (rates) expect(i.rates).toMatchObject({ source: rates.source, confidence: rates.confidence });
          }
          const classOne = seen(
            "si-work-injury-classes",
            await lookup("si-work-injury-classes", { city: c.city, riskClass: 1 }, at),
          );
          expect(c.workInjuryClasses[0]?.values ?? null).toEqual(classOne?.values ?? null);
          const settings = seen("si-city-settings", await lookup("si-city-settings", { city: c.city }, at));
          expect(c.paymentDeadline?.day ?? null).toBe(settings?.values.paymentDeadlineDay ?? null);
          if (settings) {
            expect(c.paymentDeadline.date).toBe(`${at.slice(0, 7)}-${String(settings.values.paymentDeadlineDay)}`);
            expect(c.paymentDeadline.source).toBe(settings.source);
            expect(c.backPaymentWindow.months).toBe(settings.values.backPaymentWindowMonths ?? null);
          }
          const wage = seen("min-wage", await lookup("min-wage", { city: c.city }, at));
          expect(c.minimumWage?.monthly ?? null).toBe(wage?.values.monthly ?? null);
          if (wage) expect(c.minimumWage).toMatchObject({ source: wage.source, confidence: wage.confidence });
          expect(c.missing).toEqual([...missing].sort());
        }
      }
    }
  });

  it("changes when the date crosses an effective date", async () => {
    const shanghai = async (at: string) =>
      (await policy(region["华东区"]!, at)).cities.find((c: Row) => c.city === "310000");
    const before = await shanghai("2025-06-30");
    const after = await shanghai("2025-07-01");
    expect(before.minimumWage).toMatchObject({ monthly: "2690", effectiveTo: "2025-06-30" });
    expect(after.minimumWage).toMatchObject({ monthly: "2740", effectiveFrom: "2025-07-01" });
    const pension = (c: Row) => c.insurances.find((i: Row) => i.insurance === "pension").limits;
    expect(pension(before).effectiveFrom < "2025-07-01").toBe(true);
    expect(pension(after).effectiveFrom).toBe("2025-07-01");
    expect(pension(after).values).not.toEqual(pension(before).values);
    const beijing = async (at: string) =>
      (await policy(region["华北及西南区"]!, at)).cities.find((c: Row) => c.city === "110000").minimumWage.monthly;
    expect([await beijing("2025-08-31"), await beijing("2025-09-01")]).toEqual(["2420", "2540"]);
  });

  it("reads the tenant's published version, not the shipped data", async () => {
    const table = (await t.request().get("/api/policy-tables/min-wage").set(h)).body;
    const rows = table.rows.map((r: Row) =>
      r.key.city === "330100" && r.effectiveFrom === "2024-01-01"
        ? { ...r, values: { monthly: "2600" }, source: "浙人社发〔2099〕1号 (test)", confidence: "H" }
        : r,
    );
    const put = await t.request().put("/api/policy-tables/min-wage").set(h).send({ revision: table.revision, rows });
    expect(put.status).toBe(200);
    const pub = await t.request().post("/api/policy-tables/min-wage/publish").set(h).send({});
    expect(pub.status).toBe(201);
    const view = await policy(region["华东区"]!, "2025-06-15");
    expect(view.versions["min-wage"]).toBe(pub.body.version);
    expect(view.cities.find((c: Row) => c.city === "330100").minimumWage).toMatchObject({
      monthly: "2600",
      source: "浙人社发〔2099〕1号 (test)",
      confidence: "H",
    });
  });
});

describe("region reminders", () => {
  it("queues each city's reminder once in the days before its deadline, never twice", async () => {
    // Every city's deadline is the 25th; the default is 5 days before: from the 20th.
    await tickOn("2025-06-19");
    expect(await regionNotifications()).toHaveLength(0);
    await tickOn("2025-06-20");
    const queued = await regionNotifications();
    // 6 cities of 3 regions (华东区 has Shanghai twice, one reminder), in-app and email each.
    expect(queued).toHaveLength(12);
    const east = queued.filter((n: Row) => n.period.endsWith(region["华东区"]!));
    expect(east.map((n: Row) => `${n.period.slice(0, 14)} ${n.channel}`).sort()).toEqual([
      "2025-06|310000 email",
      "2025-06|310000 in-app",
      "2025-06|330100 email",
      "2025-06|330100 in-app",
    ]);
    expect(new Set(queued.map((n: Row) => n.idempotency_key)).size).toBe(12);
    const hangzhou = east.find((n: Row) => n.channel === "in-app" && n.period.includes("330100"))!;
    expect(hangzhou).toMatchObject({ audience: "hr", status: "queued", due_date: expect.anything() });
    expect(hangzhou.subject).toBe("华东区：杭州社保缴费截止 2025年6月25日");
    const due = await t
      .db("contributions as c")
      .join("employees as e", (j) => j.on("e.tenant_id", "c.tenant_id").andOn("e.id", "c.employee_id"))
      .join("org_units as o", (j) => j.on("o.tenant_id", "e.tenant_id").andOn("o.id", "e.org_unit_id"))
      .where({ "c.tenant_id": tenantId, "c.month": "2025-06", "c.city": "330100", "c.status": "due" })
      .select("c.employer", "c.employee");
    const amount = due.reduce((s: Decimal, r: Row) => s.plus(r.employer).plus(r.employee), new Decimal(0));
    expect(hangzhou.facts.event).toMatchObject({ city: "330100", month: "2025-06", daysLeft: 5, stores: 1 });
    expect(hangzhou.facts.event.amountDue).toBe(amount.toFixed(2));
    // Sent from 09:00 China time on the day.
    expect(new Date(hangzhou.next_attempt_at).toISOString()).toBe("2025-06-20T01:00:00.000Z");

    // The same day again, later days of the window, and a direct scan: nothing new.
    await tickOn("2025-06-20");
    await t.ctx.jobs.tick(new Date("2025-06-20T09:30:00Z"));
    await tickOn("2025-06-22");
    await tickOn("2025-06-25");
    expect(await queueRegionReminders(t.db, t.ctx.rules.registry, tenantId, "2025-06-24")).toEqual([]);
    expect(await regionNotifications()).toHaveLength(12);
    // After the deadline: nothing for June, and July's window has not opened.
    await tickOn("2025-06-26");
    await tickOn("2025-07-19");
    expect(await regionNotifications()).toHaveLength(12);
  });

  it("follows each region's days-before setting, and a region turned off is not reminded", async () => {
    const east = region["华东区"]!;
    const south = region["华南区"]!;
    const res = await t.request().put(`/api/regions/${east}/settings`).set(h).send({ reminderDaysBefore: 10 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ orgUnitId: east, reminderDaysBefore: 10, remindersEnabled: true });
    const off = await t.request().put(`/api/regions/${south}/settings`).set(h).send({ remindersEnabled: false });
    expect(off.body).toMatchObject({ reminderDaysBefore: 5, remindersEnabled: false });
    const view = await policy(east, "2025-08-01");
    expect(view.reminders.cities).toContainEqual({
      city: "330100",
      month: "2025-08",
      paymentDeadline: "2025-08-25",
      remindOn: "2025-08-15",
    });
    await tickOn("2025-08-14");
    const before = (await regionNotifications()).length;
    await tickOn("2025-08-15");
    const august = (await regionNotifications()).filter((n: Row) => n.period.startsWith("2025-08"));
    expect(august).toHaveLength(4);
    expect(august.every((n: Row) => n.period.endsWith(east))).toBe(true);
    expect((await regionNotifications()).length).toBe(before + 4);
    await tickOn("2025-08-20");
    const later = (await regionNotifications()).filter((n: Row) => n.period.startsWith("2025-08"));
    expect(later.filter((n: Row) => n.period.endsWith(south))).toHaveLength(0);
    expect(later).toHaveLength(8); // 华北及西南区 joins at 5 days; 华东区 not again
  });

  it("validates the settings and refuses a unit that is not a region", async () => {
    const east = region["华东区"]!;
    const bad = await t.request().put(`/api/regions/${east}/settings`).set(h).send({ reminderDaysBefore: 40 });
    expect(bad.status).toBe(400);
    expect((await t.request().put(`/api/regions/${east}/settings`).set(h).send({})).status).toBe(400);
    const store = await t.db("org_units").where({ tenant_id: tenantId, type: "store" }).first("id");
    const notRegion = await t.request().get(`/api/regions/${store.id}/settings`).set(h);
    expect(notRegion.status).toBe(400);
    expect(notRegion.body.code).toBe("NOT_A_REGION");
    expect(await t.db("region_settings").where({ tenant_id: tenantId, org_unit_id: store.id })).toHaveLength(0);
  });
});

describe("cost per region and store (built-in report)", () => {
  it("answers each store's employer and employee cost and headcount, equal to the ledger", async () => {
    const month = "2025-05";
    const res = await t.request().post("/api/reports/cost-by-region-store/run").set(h).send({ params: { month } });
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: { key: string }) => c.key)).toEqual([
      "region",
      "orgUnit",
      "orgUnitCity",
      "headcount",
      "employer",
      "employee",
      "total",
    ]);
    const ledger: Row[] = await t
      .db("contributions as c")
      .join("employees as e", (j) => j.on("e.tenant_id", "c.tenant_id").andOn("e.id", "c.employee_id"))
      .join("org_units as o", (j) => j.on("o.tenant_id", "e.tenant_id").andOn("o.id", "e.org_unit_id"))
      .join("org_units as p", (j) => j.on("p.tenant_id", "o.tenant_id").andOn("p.id", "o.parent_id"))
      .where({ "c.tenant_id": tenantId, "c.month": month })
      .select("p.name as region", "o.name as store", "c.employee_id", "c.employer", "c.employee");
    expect(ledger.length).toBeGreaterThan(5);
    const stores = new Map<string, { region: string; ids: Set<string>; employer: Decimal; employee: Decimal }>();
    for (const r of ledger) {
      const s = stores.get(r.store) ?? {
        region: r.region,
        ids: new Set(),
        employer: new Decimal(0),
        employee: new Decimal(0),
      };
      s.ids.add(r.employee_id);
      s.employer = s.employer.plus(r.employer);
      s.employee = s.employee.plus(r.employee);
      stores.set(r.store, s);
    }
    expect(res.body.rows).toHaveLength(stores.size);
    for (const row of res.body.rows) {
      const s = stores.get(row.orgUnit)!;
      expect(row.region).toBe(s.region);
      expect(Number(row.headcount)).toBe(s.ids.size);
      expect(row.employer).toBe(s.employer.toFixed(2));
      expect(row.employee).toBe(s.employee.toFixed(2));
      expect(row.total).toBe(s.employer.plus(s.employee).toFixed(2));
    }
    const all = [...stores.values()];
    expect(res.body.totals.employer).toBe(all.reduce((a, s) => a.plus(s.employer), new Decimal(0)).toFixed(2));
    expect(res.body.totals.employee).toBe(all.reduce((a, s) => a.plus(s.employee), new Decimal(0)).toFixed(2));
    const listed = await t.request().get("/api/reports").set(h);
    expect(listed.body.map((r: Row) => r.key)).toContain("cost-by-region-store");
  });
});
