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

describe("tenant-checked references", () => {
  const RANDOM = "7d1f6a52-3c1e-4b8e-9a0f-2b6c5d4e3f21";
  let demo: Record<string, string>;
  let retail: Record<string, string>;
  let demoTenant: string;
  let demoEmployee: Record<string, any>;
  let demoUnit: string;
  let foreignUnit: string;
  let foreignEmployee: string;
  beforeAll(async () => {
    demo = await t.admin("demo");
    retail = await t.admin("retail");
    demoTenant = (await t.db("tenants").where({ slug: "demo" }).first()).id;
    demoEmployee = (await t.request().get("/api/employees?range=[0,0]").set(demo)).body[0];
    demoUnit = (await t.request().get("/api/org-units?range=[0,0]").set(demo)).body[0].id;
    foreignUnit = (await t.request().get("/api/org-units?range=[0,0]").set(retail)).body[0].id;
    foreignEmployee = (await t.request().get("/api/employees?range=[0,0]").set(retail)).body[0].id;
  });

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of ["org_units", "employees", "enrollments", "contributions", "alerts", "decisions"])
      out[table] = Number((await t.db(table).count({ n: "*" }))[0]!.n);
    return out;
  };
  const refused = (res: { status: number; body: any }, field: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ code: "INVALID_REFERENCE", params: { field } });
    expect(res.body.errors).toEqual({ [field]: expect.any(String) });
  };

  it("an employee's orgUnitId must name an org unit of the same tenant (update and create)", async () => {
    const before = await t.db("employees").where({ id: demoEmployee.id }).first();
    for (const bad of [foreignUnit, RANDOM]) {
      refused(
        await t.request().put(`/api/employees/${demoEmployee.id}`).set(demo).send({ orgUnitId: bad }),
        "orgUnitId",
      );
    }
    expect(await t.db("employees").where({ id: demoEmployee.id }).first()).toEqual(before);
    const n = await counts();
    const { id: _, createdAt: _c, updatedAt: _u, ...fields } = demoEmployee;
    for (const bad of [foreignUnit, RANDOM]) {
      refused(
        await t
          .request()
          .post("/api/employees")
          .set(demo)
          .send({ ...fields, employeeNo: `X-${bad.slice(0, 6)}`, orgUnitId: bad }),
        "orgUnitId",
      );
    }
    expect(await counts()).toEqual(n);
    // Its own tenant's unit is accepted, and an unchanged stored reference is not checked again.
    const ok = await t.request().put(`/api/employees/${demoEmployee.id}`).set(demo).send({ orgUnitId: demoUnit });
    expect(ok.status).toBe(200);
    expect(ok.body.orgUnitId).toBe(demoUnit);
  });

  it("an org unit's parentId must name an org unit of the same tenant", async () => {
    const n = await counts();
    for (const bad of [foreignUnit, RANDOM]) {
      refused(
        await t
          .request()
          .post("/api/org-units")
          .set(demo)
          .send({ name: "Branch", type: "branch", city: "110000", parentId: bad }),
        "parentId",
      );
      refused(await t.request().put(`/api/org-units/${demoUnit}`).set(demo).send({ parentId: bad }), "parentId");
    }
    expect(await counts()).toEqual(n);
    const child = await t
      .request()
      .post("/api/org-units")
      .set(demo)
      .send({ name: "Branch", type: "branch", city: "110000", parentId: demoUnit });
    expect(child.status).toBe(201);
  });

  it("employeeId of enrollments, contributions and alerts must name an employee of the same tenant", async () => {
    const bodies: Record<string, Record<string, unknown>> = {
      enrollments: { insuredCity: "110000", fromDate: "2025-01-01", status: "pending" },
      contributions: {
        month: "2025-01",
        city: "110000",
        base: "5000.00",
        employer: "800.00",
        employee: "400.00",
        status: "due",
      },
      alerts: { type: "manual", severity: "info", message: "check" },
    };
    const n = await counts();
    for (const [resource, body] of Object.entries(bodies)) {
      for (const bad of [foreignEmployee, RANDOM])
        refused(
          await t
            .request()
            .post(`/api/${resource}`)
            .set(demo)
            .send({ ...body, employeeId: bad }),
          "employeeId",
        );
    }
    expect(await counts()).toEqual(n);
    for (const [resource, body] of Object.entries(bodies)) {
      const created = await t
        .request()
        .post(`/api/${resource}`)
        .set(demo)
        .send({ ...body, employeeId: demoEmployee.id });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const before = await t.db(resource).where({ id: created.body.id }).first();
      for (const bad of [foreignEmployee, RANDOM])
        refused(
          await t.request().put(`/api/${resource}/${created.body.id}`).set(demo).send({ employeeId: bad }),
          "employeeId",
        );
      expect(await t.db(resource).where({ id: created.body.id }).first()).toEqual(before);
    }
  });

  it("apply's employeeId must name an employee of the same tenant; lifecycle operations 404 on another's", async () => {
    const n = await counts();
    for (const bad of [foreignEmployee, RANDOM])
      refused(
        await t
          .request()
          .post("/api/rule-sets/enrollment/apply")
          .set(demo)
          .send({ employeeId: bad, at: "2025-01-06", facts: {} }),
        "employeeId",
      );
    for (const op of ["hire", "leave", "wage-change"]) {
      const body = {
        hire: {},
        leave: { leaveDate: "2025-06-30" },
        "wage-change": { wage: "1", effectiveMonth: "2025-06" },
      };
      const res = await t
        .request()
        .post(`/api/employees/${foreignEmployee}/${op}`)
        .set(demo)
        .send(body[op as keyof typeof body]);
      expect(res.status).toBe(404);
    }
    expect(await counts()).toEqual(n);
  });

  it("the database itself refuses a reference into another tenant (composite foreign keys)", async () => {
    const write = t.db("enrollments").insert({
      tenant_id: demoTenant,
      employee_id: foreignEmployee,
      insured_city: "110000",
      from_date: "2025-01-01",
    });
    await expect(write).rejects.toMatchObject({ code: "23503" });
    await expect(
      t.db("employees").where({ tenant_id: demoTenant, id: demoEmployee.id }).update({ org_unit_id: foreignUnit }),
    ).rejects.toMatchObject({ code: "23503" });
  });

  it("a record others still reference is not deleted: 409 STILL_REFERENCED; an unreferenced one is", async () => {
    const withHistory = await t
      .request()
      .post("/api/enrollments")
      .set(demo)
      .send({ employeeId: demoEmployee.id, insuredCity: "110000", fromDate: "2024-01-01", status: "active" });
    expect(withHistory.status).toBe(201);
    const del = await t.request().delete(`/api/employees/${demoEmployee.id}`).set(demo);
    expect(del.status).toBe(409);
    expect(del.body).toMatchObject({ code: "STILL_REFERENCED", details: { referencedBy: expect.any(String) } });
    expect(await t.db("employees").where({ id: demoEmployee.id }).first()).toBeDefined();
    const unit = await t.request().delete(`/api/org-units/${demoUnit}`).set(demo);
    expect(unit.status).toBe(409);
    expect(unit.body.code).toBe("STILL_REFERENCED");

    const { id: _, createdAt: _c, updatedAt: _u, ...fields } = demoEmployee;
    const fresh = await t
      .request()
      .post("/api/employees")
      .set(demo)
      .send({ ...fields, employeeNo: "X-FRESH", orgUnitId: demoUnit });
    expect(fresh.status).toBe(201);
    expect((await t.request().delete(`/api/employees/${fresh.body.id}`).set(demo)).status).toBe(200);
  });
});
