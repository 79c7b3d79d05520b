import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc } from "../support/http";
import { newEmployee } from "../support/factories";
import { createUser } from "../../server/auth/service";
import { isCountedMonth, ledgerContinuity } from "../../policies/index";

// Issue 9 point 4: gaps that are real in self-service, and what a leaver can do.
let t: TestApp;
let hr: Record<string, string>;
let admin: Record<string, string>;
let tenantId: string;
type Row = Record<string, any>;

async function run(month: string, at: string) {
  const res = await t.request().post("/api/monthly-runs?wait=true").set(admin).send({ month, at });
  expect(res.status).toBe(200);
  expect(res.body.status).toBe("done");
}
async function ledger(employeeId: string): Promise<Row[]> {
  const res = await t
    .request()
    .get(`/api/contributions?filter=${enc({ employeeId })}&range=[0,99]&sort=["month","ASC"]`)
    .set(hr);
  expect(res.status).toBe(200);
  return res.body;
}
const pay = async (employeeId: string, month: string) => {
  const row = (await ledger(employeeId)).find((c) => c.month === month)!;
  expect((await t.request().put(`/api/contributions/${row.id}`).set(hr).send({ status: "paid" })).status).toBe(200);
};

/** An employee hired in `city` on 2024-12-02 with a self-service login; answers its id and headers. */
async function employeeIn(no: string, city: string) {
  const created = await t
    .request()
    .post("/api/employees")
    .set(admin)
    .send(
      newEmployee(no, {
        insuredCity: city,
        hireDate: "2024-12-02",
        birthDate: "1988-04-01",
        gender: "male",
        monthlyWage: "12000.00",
        hukouLocal: true,
      }),
    );
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const email = `${no.toLowerCase()}@demo.local`;
  await createUser(t.db, {
    email,
    name: no,
    password: "self-service-pw",
    role: "employee",
    tenantIds: [tenantId],
    employeeId: id,
  });
  const hire = await t.request().post(`/api/employees/${id}/hire`).set(hr).send({ at: "2024-12-02" });
  expect(hire.status).toBe(200);
  return { id, h: t.as(await t.login(email, "self-service-pw")) };
}

let beijing: { id: string; h: Record<string, string> };
let guangzhou: { id: string; h: Record<string, string> };

beforeAll(async () => {
  t = await startTestApp();
  hr = await t.hr();
  admin = await t.admin("demo");
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
  beijing = await employeeIn("SSG-BJ", "110000");
  guangzhou = await employeeIn("SSG-GZ", "440100");
  for (const [month, at] of [
    ["2025-01", "2025-01-05"],
    ["2025-02", "2025-02-05"],
    ["2025-03", "2025-03-05"],
  ])
    await run(month!, at!);
  for (const e of [beijing, guangzhou]) await pay(e.id, "2025-01");
});
afterAll(() => t.close());

const summary = async (h: Record<string, string>, query: string) => {
  const res = await t.request().get(`/api/me/summary?${query}`).set(h);
  expect(res.status).toBe(200);
  return res.body;
};

describe("an enrolled month still unpaid after its deadline is a gap", () => {
  it("the continuity library counts paid months, and due months only until their deadline", () => {
    const m = (month: string, status: string) => ({ month, status, deadline: `${month}-25` });
    expect(isCountedMonth(m("2025-03", "due"), "2025-03-20")).toBe(true);
    expect(isCountedMonth(m("2025-03", "due"), "2025-03-26")).toBe(false);
    expect(isCountedMonth(m("2025-03", "not_received"), "2025-03-01")).toBe(false);
    const r = ledgerContinuity([m("2025-01", "due"), m("2025-02", "paid"), m("2025-03", "due")], {
      at: "2025-04-10",
      asOf: "2025-03",
    });
    // Unpaid before the first paid month is a gap too.
    expect(r.gaps).toEqual([
      { from: "2025-01", to: "2025-01", months: 1 },
      { from: "2025-03", to: "2025-03", months: 1 },
    ]);
    expect(r.unpaidMonths).toEqual(["2025-01", "2025-03"]);
    expect(r).toMatchObject({ cumulativeMonths: 1, continuousMonths: 0 });
  });

  it("self-service shows unpaid months as gaps, not 'No gaps' beside them", async () => {
    const s = await summary(beijing.h, "at=2025-03-28&asOf=2025-03");
    expect(s.contributions.map((c: Row) => [c.month, c.status])).toEqual([
      ["2025-01", "paid"],
      ["2025-02", "not_received"],
      ["2025-03", "due"],
    ]);
    expect(s.continuity.unpaidMonths).toEqual(["2025-02", "2025-03"]);
    expect(s.continuity.gaps).toEqual([{ from: "2025-02", to: "2025-03", months: 2 }]);
    expect(s.continuity).toMatchObject({ cumulativeMonths: 1, continuousMonths: 0 });
    expect(s.status).toMatchObject({ employment: "active", enrolled: true, gapMonths: 2 });
    expect(s.status.actions.map((a: Row) => a.code)).toEqual(["unpaid_ask_hr"]);
    // Before its deadline (the 25th in Beijing) a due month is not a gap yet.
    const early = await summary(beijing.h, "at=2025-03-20&asOf=2025-03");
    expect(early.continuity.unpaidMonths).toEqual(["2025-02"]);
    expect(early.status.actions).toContainEqual({
      code: "due_soon",
      params: { month: "2025-03", deadline: "2025-03-25" },
    });
    expect(early.continuity.cumulativeMonths).toBe(2);
  });

  it("a fully paid history says there is nothing to do", async () => {
    for (const m of ["2025-02", "2025-03"]) await pay(guangzhou.id, m);
    const s = await summary(guangzhou.h, "at=2025-04-02&asOf=2025-03");
    expect(s.continuity).toMatchObject({ gaps: [], unpaidMonths: [], continuousMonths: 3 });
    expect(s.status.actions).toEqual([{ code: "all_paid", params: {} }]);
  });
});

describe("after leaving", () => {
  beforeAll(async () => {
    for (const e of [beijing, guangzhou]) {
      const res = await t.request().post(`/api/employees/${e.id}/leave`).set(hr).send({ leaveDate: "2025-03-31" });
      expect(res.status).toBe(200);
    }
  });

  it("Beijing (window 0): flexible employment and the gap, never a back-payment figure or a late fee", async () => {
    const s = await summary(beijing.h, "at=2025-06-10&asOf=2025-05");
    expect(s.status.employment).toBe("left");
    expect(s.backPayment).toBeNull();
    expect(s.afterLeaving).toMatchObject({
      leaveDate: "2025-03-31",
      left: true,
      gapStartsMonth: "2025-04",
      backPayment: { allowed: false, windowMonths: 0 },
    });
    expect(Number(s.afterLeaving.flexibleEmployment.minMonthly)).toBeGreaterThan(0);
    const codes = s.status.actions.map((a: Row) => a.code);
    expect(codes).toEqual(["unpaid_ask_hr", "gap_started", "flexible_employment", "no_back_payment"]);
    const text = JSON.stringify(s);
    expect(text).not.toMatch(/lateFee/i);
    expect(text).not.toMatch(/"owed"/);
    // The months after leaving are gaps too.
    expect(s.continuity.gaps.at(-1)).toEqual({ from: "2025-02", to: "2025-05", months: 4 });
  });

  it("no contributions are projected after the leave date unless the employee picks an assumption", async () => {
    const s = await summary(beijing.h, "at=2025-06-10&asOf=2025-05");
    expect(s.pension.projection).toEqual({ kind: "none" });
    expect(s.pension.contributionMonths).toBe(1); // only the paid January
    const flexible = await summary(beijing.h, "at=2025-06-10&asOf=2025-05&flexibleBase=8000");
    expect(flexible.pension.projection).toEqual({ kind: "flexible_employment", base: "8000", fromMonth: "2025-04" });
    expect(flexible.pension.contributionMonths).toBeGreaterThan(200);
    expect(Number(flexible.pension.monthlyPension)).toBeGreaterThan(Number(s.pension.monthlyPension));
    const bad = await t.request().get("/api/me/summary?flexibleBase=lots").set(beijing.h);
    expect(bad.status).toBe(400);
  });

  it("Guangzhou (window 6): the back-payment the employee can make, its deadline, without late fees", async () => {
    const s = await summary(guangzhou.h, "at=2025-06-10&asOf=2025-05");
    expect(s.afterLeaving.backPayment).toEqual({
      allowed: true,
      windowMonths: 6,
      lastMonth: "2025-09",
      deadline: "2025-09-30",
    });
    expect(s.backPayment).toMatchObject({ months: ["2025-04", "2025-05"], windowMonths: 6, deadline: "2025-09-30" });
    expect(s.backPayment.estimate.totals.owed).toMatch(/^\d+\.\d{2}$/);
    expect(s.backPayment.estimate.totals.total).toBe(s.backPayment.estimate.totals.owed);
    expect(JSON.stringify(s)).not.toMatch(/lateFee/i);
    expect(s.status.actions.map((a: Row) => a.code)).toEqual([
      "gap_started",
      "flexible_employment",
      "back_payment_window",
    ]);
    // HR still sees the late fee the employer owes, through the calculator.
    const hrView = await t
      .request()
      .post("/api/si/back-payment")
      .set(hr)
      .send({ city: "440100", months: ["2025-04"], wage: "12000", paymentDate: "2025-06-10" });
    expect(hrView.status).toBe(200);
    expect(Number(hrView.body.totals.lateFee)).toBeGreaterThan(0);
  });
});
