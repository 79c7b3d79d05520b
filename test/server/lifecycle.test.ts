import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

// One employee's life through the API, on Beijing figures: 2024-07..2025-06 base limits 6821–35283,
// 2025-07.. 7162–35811; rates employer 16 + 9.8 + 0.5 + 0.2 (work injury class 1) = 26.5%, employee
// 8 + 2 + 0.5 = 10.5% plus CNY 3 a month (large-medical fixed).
let t: TestApp;
let h: Record<string, string>;
let me: string; // E00001, linked to the demo employee user
let other: string;
const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));
type Row = Record<string, any>;

async function list(resource: string, filter: object, headers = h): Promise<Row[]> {
  const res = await t
    .request()
    .get(`/api/${resource}?filter=${enc(filter)}&range=[0,999]`)
    .set(headers);
  expect(res.status).toBe(200);
  return res.body;
}
async function run(month: string, at: string) {
  const res = await t.request().post("/api/monthly-runs?wait=true").set(h).send({ month, at });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: "done" });
  expect(res.body.progress).toBe(res.body.total);
  return res.body;
}

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  const emps = await list("employees", { employeeNo: ["E00001", "E00002"] });
  me = emps.find((e) => e.employeeNo === "E00001")!.id;
  other = emps.find((e) => e.employeeNo === "E00002")!.id;
  const profile = {
    insuredCity: "110000",
    hireDate: "2025-03-10",
    leaveDate: null,
    monthlyWage: "12000.00",
    employmentType: "full_time",
    birthDate: "1990-05-15",
    gender: "male",
    hukouLocal: true,
    status: "active",
  };
  expect((await t.request().put(`/api/employees/${me}`).set(h).send(profile)).status).toBe(200);
  expect(
    (
      await t
        .request()
        .put(`/api/employees/${other}`)
        .set(h)
        .send({ ...profile, monthlyWage: "20000.00", hireDate: "2025-01-06" })
    ).status,
  ).toBe(200);
});
afterAll(() => t.close());

describe("employee lifecycle", () => {
  it("hire enrolls from the hire month, raises the Art. 58 alert and stores the decision", async () => {
    const res = await t.request().post(`/api/employees/${me}/hire`).set(h).send({ at: "2025-03-12" });
    expect(res.status).toBe(200);
    expect(res.body.enrollments).toHaveLength(1);
    expect(res.body.enrollments[0]).toMatchObject({
      insuredCity: "110000",
      fromDate: "2025-03-01",
      toDate: null,
      status: "pending",
      base: "12000.00",
      reason: "hire",
    });
    const due = res.body.alerts.find((a: Row) => a.type === "enrollment_due");
    expect(due).toMatchObject({ severity: "warning", dueDate: "2025-04-09" });
    expect(due.message).toContain("2025-04-09");
    expect(res.body.alerts.some((a: Row) => a.type === "enrollment_overdue")).toBe(false);
    const d = res.body.decision;
    expect(d).toMatchObject({ ruleSet: "enrollment", version: 1, operation: "hire", employeeId: me });
    expect(d.trace.length).toBe(3);
    expect(d.actions.map((a: Row) => a.type)).toEqual(["create-enrollment", "raise-alert"]);
    expect(res.body.enrollments[0].decisionId).toBe(d.id);
    // Visible as simple-rest resources, and a second hire does not enroll twice.
    const alerts = await list("alerts", { type: "enrollment_due", employeeId: me });
    expect(alerts).toHaveLength(1);
    const again = await t.request().post(`/api/employees/${me}/hire`).set(h).send({ at: "2025-03-12" });
    expect(again.body.enrollments).toHaveLength(1);
    expect((await t.request().get(`/api/decisions/${d.id}`).set(h)).body.facts).toMatchObject({
      hireDate: "2025-03-10",
      alreadyEnrolled: false,
    });
    // The other employee is hired in January.
    expect((await t.request().post(`/api/employees/${other}/hire`).set(h).send({ at: "2025-01-06" })).status).toBe(200);
  });

  it("a monthly run writes ledger rows with the right amounts and alerts; a re-run does not duplicate", async () => {
    const job = await run("2025-03", "2025-03-20");
    expect(job.result).toMatchObject({ month: "2025-03", ledger: 2, ruleSet: "monthly-check", version: 1 });
    const [march] = await list("contributions", { employeeId: me });
    // 12000 × 26.5% = 3180.00; 12000 × 10.5% + 3 = 1263.00
    expect(march).toMatchObject({
      month: "2025-03",
      city: "110000",
      base: "12000.00",
      employer: "3180.00",
      employee: "1263.00",
      status: "due",
      backPaid: false,
    });
    expect(march.items.find((i: Row) => i.insurance === "medical")).toMatchObject({
      employer: "1176.00",
      employee: "243.00",
    });
    const deadline = await list("alerts", { type: "payment_deadline" });
    expect(deadline).toHaveLength(1);
    expect(deadline[0]).toMatchObject({ dueDate: "2025-03-25", employeeId: null });
    expect(deadline[0].message).toContain("2 employees");
    // E00002 was hired in January but nothing was paid for January and February: no ledger history, so no gap yet.
    await run("2025-03", "2025-03-20");
    expect(await list("contributions", { month: "2025-03" })).toHaveLength(2);
    expect(await list("alerts", { type: "payment_deadline" })).toHaveLength(1);
    const job2 = await t.request().get(`/api/monthly-runs/${job.id}`).set(h);
    expect(job2.body).toMatchObject({ id: job.id, status: "done", progress: 30, total: 30 });
  });

  it("an asynchronous run answers the job at once and is polled", async () => {
    const res = await t.request().post("/api/monthly-runs").set(h).send({ month: "2025-03", at: "2025-03-20" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", progress: 0, total: 30 });
    let job = res.body;
    for (let i = 0; i < 100 && job.status !== "done"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await t.request().get(`/api/monthly-runs/${res.body.id}`).set(h)).body;
    }
    expect(job.status).toBe("done");
    expect(await list("contributions", { month: "2025-03" })).toHaveLength(2);
  });

  it("a wage change adjusts the base from the next month", async () => {
    const [march] = await list("contributions", { employeeId: me });
    expect(
      (
        await t
          .request()
          .put(`/api/contributions/${march.id}`)
          .set(h)
          .send({ status: "paid", paidAt: "2025-03-24T10:00:00Z" })
      ).status,
    ).toBe(200);
    const res = await t
      .request()
      .post(`/api/employees/${me}/wage-change`)
      .set(h)
      .send({ wage: 15000, effectiveMonth: "2025-04", at: "2025-04-02" });
    expect(res.status).toBe(200);
    expect(res.body.decision).toMatchObject({ ruleSet: "wage-change", version: 1 });
    const periods = res.body.enrollments.map((e: Row) => [e.fromDate, e.toDate, e.base, e.status]);
    expect(periods).toEqual([
      ["2025-03-01", "2025-04-30", "12000.00", "ended"],
      ["2025-05-01", null, "15000.00", "pending"],
    ]);
  });

  it("a skipped month is a gap; the next month has the new base", async () => {
    await run("2025-05", "2025-05-20"); // April was never run: a gap
    const may = (await list("contributions", { employeeId: me, month: "2025-05" }))[0];
    // 15000 × 26.5% = 3975.00; 15000 × 10.5% + 3 = 1578.00
    expect(may).toMatchObject({ base: "15000.00", employer: "3975.00", employee: "1578.00" });
    const gap = await list("alerts", { type: "gap", employeeId: me });
    expect(gap).toHaveLength(1);
    expect(gap[0].message).toContain("1 month(s) before 2025-05");
  });

  it(
    "leave ends the enrollment with the leave month, alerts HR 30 days " +
      "ahead and tells the employee the cost of the gap",
    async () => {
      const res = await t
        .request()
        .post(`/api/employees/${me}/leave`)
        .set(h)
        .send({ leaveDate: "2025-06-30", at: "2025-05-25" });
      expect(res.status).toBe(200);
      expect(res.body.decision).toMatchObject({ ruleSet: "offboarding", version: 1, operation: "leave" });
      const last = res.body.enrollments.at(-1);
      expect(last).toMatchObject({ fromDate: "2025-05-01", toDate: "2025-06-30", status: "ended", reason: "leave" });
      expect(res.body.alerts.find((a: Row) => a.type === "leave_upcoming")).toMatchObject({ dueDate: "2025-05-31" });
      const reminder = res.body.reminders.find((r: Row) => r.template === "si-gap-options");
      expect(reminder).toMatchObject({ recipient: "employee", status: "queued", dueDate: "2025-05-31" });
      // Beijing 2025-07 limits 7162–35811: flexible employment at 20% of 15000 = 3000.00 (1432.40..7162.20).
      // Rendered when queued: the row keeps the facts, the event's payload under `event`.
      expect(reminder.subject).toContain("2025年7月");
      expect(reminder.facts.event).toMatchObject({
        gapStartsMonth: "2025-07",
        backPayment: { allowed: false, windowMonths: 0 },
        flexibleEmployment: {
          pensionRate: "20",
          minBase: "7162.00",
          maxBase: "35811.00",
          chosenBase: "15000.00",
          monthly: "3000.00",
          minMonthly: "1432.40",
          maxMonthly: "7162.20",
        },
      });
      // Back-paying a month at 15000: (3975.00 + 1578.00) − 24.00 work injury… all five social insurances:
      // 3975 + 1578 = 5553.00
      expect(reminder.facts.event.backPayment.perMonth).toBe("5553.00");
      // Beijing has no back-payment window: the policy fact keeps the window reminder out.
      expect(res.body.reminders.some((r: Row) => r.template === "si-back-payment-window")).toBe(false);
      expect(res.body.decision.trace.find((r: Row) => r.rule === "city-allows-back-payment").result).toBe(false);
      // One outbox row per channel of the template (in-app and email).
      const reminders = await list("notifications", { employeeId: me, audience: "employee" });
      expect(reminders.map((r) => r.channel).sort()).toEqual(["email", "in-app"]);
    },
  );

  it("an unpaid month past the deadline is not received; after leaving there is no ledger", async () => {
    await run("2025-06", "2025-06-28");
    const notReceived = await list("alerts", { type: "not_received", employeeId: me });
    expect(notReceived).toHaveLength(1);
    expect(notReceived[0].message).toContain("2025-05");
    expect((await list("contributions", { employeeId: me, month: "2025-05" }))[0].status).toBe("not_received");
    const [june] = await list("contributions", { employeeId: me, month: "2025-06" });
    expect((await t.request().put(`/api/contributions/${june.id}`).set(h).send({ status: "paid" })).status).toBe(200);
    await run("2025-07", "2025-07-20");
    expect(await list("contributions", { employeeId: me, month: "2025-07" })).toHaveLength(0);
    expect(await list("alerts", { type: "deenrollment_overdue", employeeId: me })).toHaveLength(0);
  });

  it("flags 离职未减员 and 错缴 for an employee whose leave was not processed and whose base is too low", async () => {
    const [en] = await list("enrollments", { employeeId: other });
    expect((await t.request().put(`/api/enrollments/${en.id}`).set(h).send({ base: "8000.00" })).status).toBe(200);
    // 错缴 is measured against the base year's declaration: hired in January 2025 at 20000, the first full month.
    const hired = { employeeId: other, effectiveMonth: "2025-01", wage: "20000.00" };
    expect((await t.request().post("/api/wage-changes").set(h).send(hired)).status).toBe(201);
    expect(
      (await t.request().put(`/api/employees/${other}`).set(h).send({ leaveDate: "2025-06-15", status: "left" }))
        .status,
    ).toBe(200);
    await run("2025-08", "2025-08-20");
    const types = (await list("alerts", { employeeId: other })).map((a) => a.type).sort();
    expect(types).toEqual(expect.arrayContaining(["base_below_wage", "deenrollment_overdue", "gap"]));
    // Base 8000 in Beijing 2025-08: 8000 × 26.5% = 2120.00; 8000 × 10.5% + 3 = 843.00
    expect((await list("contributions", { employeeId: other, month: "2025-08" }))[0]).toMatchObject({
      base: "8000.00",
      employer: "2120.00",
      employee: "843.00",
    });
    expect(await list("alerts", { type: "payment_deadline", dueDate: "2025-08-25" })).toHaveLength(1);
  });

  it(
    "a consultant changes the monthly-check rule set and the next " + "run behaves differently, without a restart",
    async () => {
      const doc = (await t.request().get("/api/rule-sets/monthly-check").set(h)).body;
      const rules = structuredClone(doc.rules);
      const testCases = structuredClone(doc.testCases);
      const rule = rules.find((r: Row) => r.name === "payment-deadline");
      rule.conditions.all[2].value = 3; // only in the last 3 days before the deadline
      testCases.find((c: Row) => c.name === "a city's deadline is coming").facts.daysToDeadline = 2;
      const saved = await t
        .request()
        .put("/api/rule-sets/monthly-check")
        .set(h)
        .send({ revision: doc.revision, rules, testCases });
      expect(saved.status).toBe(200);
      const published = await t
        .request()
        .post("/api/rule-sets/monthly-check/publish")
        .set(h)
        .send({ effectiveFrom: "2025-09-01", note: "deadline alert 3 days ahead" });
      expect(published.status).toBe(201);
      const job = await run("2025-09", "2025-09-20"); // 5 days before the 25th
      expect(job.result.version).toBe(2);
      expect(await list("alerts", { type: "payment_deadline", dueDate: "2025-09-25" })).toHaveLength(0);
      await run("2025-09", "2025-09-23"); // 2 days before
      expect(await list("alerts", { type: "payment_deadline", dueDate: "2025-09-25" })).toHaveLength(1);
    },
  );

  it("the dashboard sums open alerts and contributions in SQL", async () => {
    const res = await t.request().get("/api/reports/dashboard").set(h);
    expect(res.status).toBe(200);
    const byMonth = Object.fromEntries(res.body.contributionsByMonth.map((m: Row) => [m.month, m]));
    // March: 3180.00 + 20000 × 26.5% = 8480.00; 1263.00 + 20000 × 10.5% + 3 = 3366.00
    expect(byMonth["2025-03"]).toEqual({ month: "2025-03", employer: "8480.00", employee: "3366.00" });
    expect(res.body.contributionsByCity).toEqual([expect.objectContaining({ city: "110000" })]);
    const types = Object.fromEntries(res.body.alertsByType.map((a: Row) => [a.type, a.count]));
    expect(types).toMatchObject({
      enrollment_due: 2,
      not_received: expect.any(Number),
      gap: expect.any(Number),
      payment_deadline: 5,
    }); // 03, 05, 07, 08, 09 (the June run was after the 25th)
    const forbidden = await t
      .request()
      .get("/api/reports/dashboard")
      .set(await t.employee());
    expect(forbidden.status).toBe(403);
  });
});

describe("self-service", () => {
  it("an employee sees their own records, gaps (unpaid months included) and a pension simulation", async () => {
    const eh = await t.employee();
    // March and June paid; May not received. A month still due after its deadline is no contribution.
    for (const c of await list("contributions", { employeeId: me, month: ["2025-03", "2025-06"] }))
      expect((await t.request().put(`/api/contributions/${c.id}`).set(h).send({ status: "paid" })).status).toBe(200);
    const res = await t.request().get("/api/me/summary?at=2025-06-28&asOf=2025-06").set(eh);
    expect(res.status).toBe(200);
    expect(res.body.employee).toMatchObject({ id: me, employeeNo: "E00001" });
    expect(res.body.contributions.map((c: Row) => c.month)).toEqual(["2025-03", "2025-05", "2025-06"]);
    // May was not received: April and May are gaps; March and June count.
    expect(res.body.continuity).toMatchObject({
      cumulativeMonths: 2,
      continuousMonths: 1,
      gaps: [{ from: "2025-04", to: "2025-05", months: 2 }],
      unpaidMonths: ["2025-05"],
    });
    // Still employed: the unpaid months are the employer's to pay, so no back-payment figure for the employee.
    expect(res.body.backPayment).toBeNull();
    expect(res.body.status.actions).toContainEqual({ code: "unpaid_ask_hr", params: { months: ["2025-05"] } });
    expect(res.body.pension.retirement.category).toBe("male");
    expect(Number(res.body.pension.monthlyPension)).toBeGreaterThan(0);

    const mine = await list("alerts", {}, eh);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.employeeId === me)).toBe(true);
    expect((await list("contributions", {}, eh)).every((c) => c.employeeId === me)).toBe(true);
    const others = await list("contributions", { employeeId: other }, eh);
    expect(others).toHaveLength(0);
    const [theirs] = await list("contributions", { employeeId: other });
    expect((await t.request().get(`/api/contributions/${theirs.id}`).set(eh)).status).toBe(404);
    expect((await t.request().put(`/api/contributions/${theirs.id}`).set(eh).send({ status: "paid" })).status).toBe(
      403,
    );
    expect((await t.request().post(`/api/employees/${me}/hire`).set(eh).send({})).status).toBe(403);
  });
});
