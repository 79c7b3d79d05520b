import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { newEmployee } from "../support/factories";

// The demo tenant (manufacturing) runs manufacturing-seasonal on every hire; the pack's custom field
// 合同到期日 (contractEndDate) is the contract end its de-enrollment reminder reads.
let t: TestApp;
let h: Record<string, string>;
type Row = Record<string, any>;

async function hireSeasonal(no: string, extra: Record<string, unknown>) {
  const created = await t
    .request()
    .post("/api/employees")
    .set(h)
    .send(newEmployee(no, { employmentType: "seasonal", insuredCity: "110000", hireDate: "2025-09-01", ...extra }));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const res = await t.request().post(`/api/employees/${created.body.id}/hire`).set(h).send({ at: "2025-09-03" });
  expect(res.status).toBe(200);
  return res.body.alerts as Row[];
}

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
});
afterAll(() => t.close());

describe("seasonal workers (manufacturing-seasonal)", () => {
  it("a contract end in the coming month (合同到期日) raises the batch de-enrollment reminder", async () => {
    const alerts = await hireSeasonal("SZ0001", { contractEndDate: "2025-09-20" });
    const deenroll = alerts.find((a) => a.type === "seasonal_batch_deenroll");
    expect(deenroll).toMatchObject({ dueDate: "2025-09-20" });
    expect(alerts.map((a) => a.type)).toContain("seasonal_batch_enroll");
  });

  it("without the field, the planned leave date stands for the contract end", async () => {
    const alerts = await hireSeasonal("SZ0002", { leaveDate: "2025-09-25" });
    expect(alerts.find((a) => a.type === "seasonal_batch_deenroll")).toMatchObject({ dueDate: "2025-09-25" });
    const none = await hireSeasonal("SZ0003", {});
    expect(none.some((a) => a.type === "seasonal_batch_deenroll")).toBe(false);
  });
});
