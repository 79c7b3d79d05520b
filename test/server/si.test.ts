/** Social-insurance calculations over the tenant's published policy tables. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const contributions = async (body: Record<string, unknown>, tenant = "demo") =>
  t
    .request()
    .post("/api/si/contributions")
    .set(await t.admin(tenant))
    .send(body);
const pensionItem = (res: { body: { items: { insurance: string }[] } }) =>
  res.body.items.find((i) => i.insurance === "pension");

describe("contributions", () => {
  it("Beijing 2024-09 at 40000 clamps the pension base to 35283.00 (acceptance)", async () => {
    const res = await t
      .request()
      .post("/api/si/contributions")
      .set(await t.hr())
      .send({ city: "110000", month: "2024-09", wage: "40000" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ city: "110000", month: "2024-09" });
    expect(pensionItem(res)).toMatchObject({
      insurance: "pension",
      base: "35283.00",
      employer: "5645.28",
      employee: "2822.64",
    });
    expect(res.body.items.map((i: { insurance: string }) => i.insurance)).toEqual([
      "pension",
      "medical",
      "unemployment",
      "work_injury",
      "maternity",
      "housing_fund",
    ]);
    for (const v of [
      ...res.body.items.flatMap((i: { employer: string; employee: string }) => [i.employer, i.employee]),
      res.body.totals.employer,
      res.body.totals.employee,
    ]) {
      expect(v).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it("after the last published period the latest values stay in force until a new notice", async () => {
    const res = await contributions({ city: "110000", month: "2027-03", wage: "40000" });
    expect(res.status).toBe(200);
    // Beijing 2025 upper limit 35811: 16% employer, 8% employee.
    expect(pensionItem(res)).toMatchObject({ base: "35811.00", employer: "5729.76", employee: "2864.88" });
  });

  it("answers 400 naming the city and the month when there is no policy", async () => {
    const res = await contributions({ city: "110000", month: "1999-01", wage: "10000" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("NO_POLICY");
    expect(res.body.message).toContain("110000");
    expect(res.body.message).toContain("1999-01");
    expect(res.body.details).toMatchObject({ city: "110000", month: "1999-01" });
    // 999999 is no GB/T 2260 code: refused at the boundary, naming the field (si-cities.test.ts).
    const unknownCity = await contributions({ city: "999999", month: "2024-09", wage: "10000" });
    expect(unknownCity.status).toBe(400);
    expect(unknownCity.body.details.errors).toHaveProperty("/city");
  });

  it("refuses a negative wage and invalid bodies", async () => {
    const negative = await contributions({ city: "110000", month: "2024-09", wage: "-1.00" });
    expect(negative.status).toBe(400);
    expect(negative.body.code).toBe("INVALID_WAGE");
    expect(negative.body.message).toContain("2024-09");
    const missing = await contributions({ city: "110000", wage: "1000" });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe("INVALID_BODY");
    expect(missing.body.details.errors).toHaveProperty("/month");
    expect((await contributions({ city: "110000", month: "2024-13", wage: "1000" })).status).toBe(400);
    // A JSON number is an amount like its decimal string; one with more than two decimals is not.
    expect((await contributions({ city: "110000", month: "2024-09", wage: 1000.5 })).status).toBe(200);
    expect((await contributions({ city: "110000", month: "2024-09", wage: 1000.555 })).status).toBe(400);
    expect((await contributions({ city: "110000", month: "2024-09", wage: "1000", workInjuryClass: 9 })).status).toBe(
      400,
    );
    const rate = await contributions({ city: "110000", month: "2024-09", wage: "10000", housingFundRate: "20" });
    expect(rate.status).toBe(400);
    expect(rate.body.code).toBe("INVALID_RATE");
    expect(
      (
        await t
          .request()
          .post("/api/si/contributions")
          .set(await t.employee())
          .send({ city: "110000", month: "2024-09", wage: "1" })
      ).status,
    ).toBe(403);
  });

  it("states the assumption it makes for a woman without a post, as self-service does", async () => {
    const res = await t
      .request()
      .post("/api/si/pension")
      .set(await t.hr())
      .send({ city: "310000", birthDate: "1980-05-01", gender: "female", wage: "9000", contributionYears: 20 });
    expect(res.status).toBe(200);
    expect(res.body.retirement.category).toBe("female_worker");
    expect(res.body.retirementAssumption).toBe("post:worker");
    const stated = await t
      .request()
      .post("/api/si/pension")
      .set(await t.hr())
      .send({ city: "310000", birthDate: "1980-05-01", gender: "female", post: "cadre", wage: "9000" });
    expect(stated.body.retirement.category).toBe("female_cadre");
    expect(stated.body.retirementAssumption).toBeNull();
  });

  it("takes money as a JSON number or a decimal string, with the same exact result", async () => {
    const hr = await t.hr();
    const send = (wage: unknown) =>
      t.request().post("/api/si/contributions").set(hr).send({ city: "110000", month: "2024-09", wage });
    const [asString, asNumber, withCents] = await Promise.all([send("40000"), send(40000), send(12345.67)]);
    expect(asNumber.status).toBe(200);
    expect(asNumber.body.items).toEqual(asString.body.items);
    expect(withCents.status).toBe(200);
    const centsAsString = await send("12345.67");
    expect(withCents.body.items).toEqual(centsAsString.body.items);
    // A float that is not a 2-decimal amount, or an exponent, is refused like a bad string.
    for (const bad of [0.1 + 0.2, 1e21, "12.345"]) {
      const res = await send(bad);
      expect(res.status, String(bad)).toBe(400);
      expect(JSON.stringify(res.body.errors), String(bad)).toMatch(/decimal/);
    }
  });

  it("uses a rate a consultant publishes on the next calculation, while earlier months keep the old rate", async () => {
    const admin = await t.admin();
    const before = await contributions({ city: "110000", month: "2026-01", wage: "40000", insurances: ["pension"] });
    expect(pensionItem(before)).toMatchObject({ base: "35811.00", employer: "5729.76", employeeRate: "8" });

    const table = (await t.request().get("/api/policy-tables/si-rates").set(admin)).body;
    const isBeijingPension = (r: { key: { city: string; insurance: string } }) =>
      r.key.city === "110000" && r.key.insurance === "pension";
    const open = table.rows.findIndex(
      (r: { key: { city: string; insurance: string }; effectiveTo: string | null }) =>
        isBeijingPension(r) && r.effectiveTo === null,
    );
    const rows = table.rows.map((r: object, i: number) => (i === open ? { ...r, effectiveTo: "2025-12-31" } : r));
    rows.push({
      key: { city: "110000", insurance: "pension" },
      values: { employerRate: "15", employeeRate: "8" },
      effectiveFrom: "2026-01-01",
      effectiveTo: null,
      source: "test notice",
      confidence: "H",
    });
    const saved = await t
      .request()
      .put("/api/policy-tables/si-rates")
      .set(admin)
      .send({ revision: table.revision, rows });
    expect(saved.status).toBe(200);
    // The draft alone changes nothing: calculations read published versions.
    expect(
      pensionItem(await contributions({ city: "110000", month: "2026-01", wage: "40000", insurances: ["pension"] })),
    ).toMatchObject({ employer: "5729.76" });
    expect(
      (
        await t
          .request()
          .post("/api/policy-tables/si-rates/publish")
          .set(admin)
          .send({ note: "Beijing pension employer rate 15% from 2026" })
      ).status,
    ).toBe(201);

    const after = await contributions({ city: "110000", month: "2026-01", wage: "40000", insurances: ["pension"] });
    expect(pensionItem(after)).toMatchObject({
      base: "35811.00",
      employer: "5371.65",
      employee: "2864.88",
      employerRate: "15",
    });
    const earlier = await contributions({ city: "110000", month: "2025-12", wage: "40000", insurances: ["pension"] });
    expect(pensionItem(earlier)).toMatchObject({ employer: "5729.76", employerRate: "16" });
    expect(pensionItem(await contributions({ city: "110000", month: "2024-09", wage: "40000" }))).toMatchObject({
      employer: "5645.28",
    });
    // Another tenant's tables are untouched.
    expect(
      pensionItem(
        await contributions({ city: "110000", month: "2026-01", wage: "40000", insurances: ["pension"] }, "retail"),
      ),
    ).toMatchObject({ employer: "5729.76" });

    // Rolling back to the reference version restores the old rate, again with no restart.
    expect(
      (await t.request().post("/api/policy-tables/si-rates/rollback").set(admin).send({ version: 1 })).status,
    ).toBe(201);
    expect(
      pensionItem(await contributions({ city: "110000", month: "2026-01", wage: "40000", insurances: ["pension"] })),
    ).toMatchObject({ employer: "5729.76" });
  });
});

describe("audited limits, housing-fund sides and rounding through the tenant's tables", () => {
  it("Guangzhou 2024 work injury has no upper limit; housing-fund rates per side", async () => {
    const wi = await contributions({ city: "440100", month: "2024-09", wage: "100000", insurances: ["work_injury"] });
    expect(wi.status).toBe(200);
    expect(wi.body.items[0]).toMatchObject({ base: "100000.00", employer: "200.00" });
    const hf = await contributions({
      city: "310000",
      month: "2024-09",
      wage: "20000",
      insurances: ["housing_fund"],
      housingFundEmployerRate: "7",
      supplementaryHousingFundEmployeeRate: "2",
    });
    expect(hf.status).toBe(200);
    expect(hf.body.items).toMatchObject([
      { insurance: "housing_fund", employerRate: "7", employeeRate: "5", employer: "1400.00", employee: "1000.00" },
      { insurance: "housing_fund_supplementary", employerRate: "1", employeeRate: "2", employee: "400.00" },
    ]);
  });

  it("a consultant's published si-rounding row rounds up to the jiao", async () => {
    const admin = await t.admin("retail");
    const body = { city: "440100", month: "2024-09", wage: "61705", insurances: ["work_injury"] };
    expect((await contributions(body, "retail")).body.items[0].employer).toBe("123.41");
    const table = (await t.request().get("/api/policy-tables/si-rounding").set(admin)).body;
    const rows = table.rows.map((r: { key: { city: string; insurance: string } }) =>
      r.key.city === "440100" && r.key.insurance === "work_injury"
        ? { ...r, values: { mode: "UP", precision: 1 }, source: "test notice", confidence: "H" }
        : r,
    );
    const saved = await t
      .request()
      .put("/api/policy-tables/si-rounding")
      .set(admin)
      .send({ revision: table.revision, rows });
    expect(saved.status).toBe(200);
    expect((await t.request().post("/api/policy-tables/si-rounding/publish").set(admin).send({})).status).toBe(201);
    expect((await contributions(body, "retail")).body.items[0].employer).toBe("123.50");
  });
});

describe("back-payment, pension and cities", () => {
  it("computes a back-payment with late fees as decimal strings", async () => {
    const res = await t
      .request()
      .post("/api/si/back-payment")
      .set(await t.hr())
      .send({ city: "110000", months: ["2024-09", "2024-10"], wage: "10000", paymentDate: "2024-12-31" });
    expect(res.status).toBe(200);
    expect(res.body.months).toHaveLength(2);
    const [sep] = res.body.months;
    expect(sep).toMatchObject({ month: "2024-09", deadline: "2024-09-25", lateFeeDays: 97 });
    expect(sep.total).toBe((Number(sep.owed) + Number(sep.lateFee)).toFixed(2));
    expect(res.body.totals).toMatchObject({
      owed: expect.stringMatching(/^\d+\.\d{2}$/),
      lateFee: expect.stringMatching(/^\d+\.\d{2}$/),
    });
    const range = await t
      .request()
      .post("/api/si/back-payment")
      .set(await t.hr())
      .send({
        city: "110000",
        months: { from: "2024-09", to: "2024-11" },
        wage: { "2024-09": "9000", "2024-10": "9000", "2024-11": "9500" },
        paymentDate: "2024-12-31",
      });
    expect(range.status).toBe(200);
    expect(range.body.months.map((m: { month: string }) => m.month)).toEqual(["2024-09", "2024-10", "2024-11"]);
    const old = await t
      .request()
      .post("/api/si/back-payment")
      .set(await t.hr())
      .send({ city: "110000", months: ["1999-01"], wage: "10000", paymentDate: "2024-12-31" });
    expect(old.status).toBe(400);
    expect(old.body.message).toContain("1999-01");
  });

  it("simulates a pension from the library input or the form shorthand", async () => {
    const hr = await t.hr();
    const full = await t
      .request()
      .post("/api/si/pension")
      .set(hr)
      .send({
        city: "310000",
        birthDate: "1975-06-15",
        category: "male",
        assumptions: { startMonth: "2010-01", currentBase: "12000" },
      });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      retirement: { category: "male" },
      eligible: true,
      monthlyPension: expect.stringMatching(/^\d+\.\d{2}$/),
    });
    expect(full.body.total).toBe(full.body.monthlyPension);
    const short = await t.request().post("/api/si/pension").set(hr).send({
      city: "310000",
      birthDate: "1975-06-15",
      gender: "female",
      post: "worker",
      wage: "12000",
      contributionYears: 20,
      averageIndex: 1,
    });
    expect(short.status).toBe(200);
    expect(short.body).toMatchObject({
      retirement: { category: "female_worker" },
      contributionMonths: 240,
      averageContributionIndex: "1.0000",
    });
    const bad = await t
      .request()
      .post("/api/si/pension")
      .set(hr)
      .send({ city: "310000", birthDate: "1975-06-15", category: "male" });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("INVALID_INPUT");
  });

  it(
    "answers the seed's gap example: 3 months at 10000, retiring " + "at 60, cost 17.27 a month of account pension",
    async () => {
      const res = await t
        .request()
        .post("/api/si/pension")
        .set(await t.hr())
        .send({
          city: "110000",
          birthDate: "1964-06-15",
          gender: "male",
          assumptions: { startMonth: "2009-06", currentBase: "10000", gaps: [{ from: "2010-01", to: "2010-03" }] },
        });
      expect(res.status).toBe(200);
      expect(res.body.divisor).toBe("139");
      expect(res.body.gapImpact).toMatchObject({
        months: 3,
        accountShortfall: "2400.00",
        accountPensionShortfall: "17.27",
      });
      // The monthly pension is rounded once from its exact parts.
      const exact = Number(res.body.basicPension) + Number(res.body.personalAccountPension);
      expect(Math.abs(Number(res.body.monthlyPension) - exact)).toBeLessThanOrEqual(0.01);
    },
  );

  it("lists cities with the months that have policy", async () => {
    const res = await t
      .request()
      .get("/api/si/cities")
      .set(await t.hr());
    expect(res.status).toBe(200);
    const beijing = res.body.find((c: { code: string }) => c.code === "110000");
    expect(beijing).toMatchObject({ zh: "北京", en: "Beijing" });
    expect(beijing.months.length).toBeGreaterThan(0);
    const covers = (m: string) =>
      beijing.months.some((r: { from: string; to: string | null }) => r.from <= m && (r.to === null || m <= r.to));
    expect(covers("2024-09")).toBe(true);
    expect(covers("1999-01")).toBe(false);
    expect(res.body.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining(["110000", "310000", "440100", "440300", "330100", "510100"]),
    );
  });
});
