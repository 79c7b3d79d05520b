/** Another tenant's record is a 404 for read, update and delete, and absent from lists. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("tenant isolation", () => {
  it("never leaks a record of another tenant", async () => {
    const demo = await t.admin("demo");
    const retail = await t.admin("retail");
    const retailList = await t.request().get("/api/employees").set(retail);
    expect(retailList.status).toBe(200);
    const foreignId = retailList.body[0].id as string;
    const before = await t.db("employees").where({ id: foreignId }).first();

    expect((await t.request().get(`/api/employees/${foreignId}`).set(demo)).status).toBe(404);
    const upd = await t.request().put(`/api/employees/${foreignId}`).set(demo).send({ monthlyWage: "1.00" });
    expect(upd.status).toBe(404);
    expect(upd.body.code).toBe("NOT_FOUND");
    expect((await t.request().delete(`/api/employees/${foreignId}`).set(demo)).status).toBe(404);
    const list = await t.request().get(`/api/employees?range=[0,999]`).set(demo);
    expect(list.body.map((e: { id: string }) => e.id)).not.toContain(foreignId);
    const many = await t
      .request()
      .get(`/api/employees?filter=${encodeURIComponent(JSON.stringify({ id: [foreignId] }))}`)
      .set(demo);
    expect(many.body).toEqual([]);
    expect(await t.db("employees").where({ id: foreignId }).first()).toEqual(before);
  });

  it("references and custom fields stay per tenant", async () => {
    const demo = await t.admin("demo");
    const retail = await t.admin("retail");
    expect(
      (
        await t
          .request()
          .post("/api/entities/employees/fields")
          .set(demo)
          .send({ name: "badge", schema: { type: "string" } })
      ).status,
    ).toBe(201);
    const demoEntities = await t.request().get("/api/entities").set(demo);
    const retailEntities = await t.request().get("/api/entities").set(retail);
    const props = (b: { name: string; schema: { properties: object } }[]) =>
      Object.keys(b.find((e) => e.name === "employees")!.schema.properties);
    expect(props(demoEntities.body)).toContain("badge");
    expect(props(retailEntities.body)).not.toContain("badge");
    const r = await t
      .request()
      .get(`/api/employees?filter=${encodeURIComponent('{"badge":"x"}')}`)
      .set(retail);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe("INVALID_FILTER");
  });
});
