// The catalogues the visual rule builder draws from, as the API serves them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("catalogues for the rule builder", () => {
  it("lists each action's params schema, and the operators' fact and value types", async () => {
    for (const h of [await t.admin("demo"), await t.hr()]) {
      const actions = await t.request().get("/api/actions").set(h);
      expect(actions.status).toBe(200);
      const alert = actions.body.find((a: { type: string }) => a.type === "raise-alert");
      expect(alert.params).toMatchObject({
        type: "object",
        properties: { severity: { enum: ["info", "warning", "critical"] }, dueInDays: expect.any(Object) },
      });
      const ops = await t.request().get("/api/operators").set(h);
      expect(ops.body.find((o: { name: string }) => o.name === "greaterThan")).toMatchObject({ factType: "number" });
      expect(ops.body.find((o: { name: string }) => o.name === "notIn")).toMatchObject({ valueType: "array" });
    }
  });

  it("keeps the catalogues from employees", async () => {
    const res = await t
      .request()
      .get("/api/actions")
      .set(await t.employee());
    expect(res.status).toBe(403);
  });
});
