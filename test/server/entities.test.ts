import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { newEmployee } from "../support/factories";
import { enc } from "../support/http";

let t: TestApp;
let h: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
});
afterAll(() => t.close());

describe("GET /api/entities", () => {
  it("declares org-units and employees as JSON Schema plus UI hints", async () => {
    const res = await t.request().get("/api/entities").set(h);
    expect(res.status).toBe(200);
    const employees = res.body.find((e: { name: string }) => e.name === "employees");
    expect(employees.label).toEqual({ en: "Employees", zh: "员工" });
    expect(employees.schema.properties.employmentType.enum).toEqual(["full_time", "seasonal", "temporary", "remote"]);
    expect(employees.schema.properties.hireDate.format).toBe("date");
    expect(employees.ui.references).toEqual({ orgUnitId: "org-units" });
    expect(employees.ui.searchFields).toContain("name");
    const units = res.body.find((e: { name: string }) => e.name === "org-units");
    expect(units.schema.properties.type.enum).toEqual(["company", "branch", "store"]);
  });
});

describe("custom fields", () => {
  it("are added without a restart, validated, filtered and sorted like built-in fields", async () => {
    const add = (body: object) => t.request().post("/api/entities/employees/fields").set(h).send(body);
    expect(
      (
        await add({
          name: "shoeSize",
          label: { en: "Shoe size", zh: "鞋码" },
          schema: { type: "integer", minimum: 30, maximum: 50 },
        })
      ).status,
    ).toBe(201);
    expect(
      (await add({ name: "shift", label: "Shift", schema: { type: "string", enum: ["day", "night"] } })).status,
    ).toBe(201);
    expect((await add({ name: "shift", schema: { type: "string" } })).status).toBe(409);
    const builtIn = await add({ name: "name", schema: { type: "string" } });
    expect(builtIn.status).toBe(400);
    expect(builtIn.body.code).toBe("FIELD_EXISTS");
    const badType = await add({ name: "blob", schema: { type: "object" } });
    expect(badType.status).toBe(400);
    expect(badType.body.errors).toHaveProperty("/schema/type");

    const entities = await t.request().get("/api/entities").set(h);
    const emp = entities.body.find((e: { name: string }) => e.name === "employees");
    expect(emp.schema.properties.shoeSize).toMatchObject({ type: "integer", minimum: 30 });
    expect(emp.ui.filterable).toContain("shoeSize");
    // After the manufacturing pack's field (seeded with the pack), in the order they were added.
    expect(emp.customFields.map((c: { name: string }) => c.name)).toEqual(["contractEndDate", "shoeSize", "shift"]);

    const list = await t
      .request()
      .get(`/api/employees?range=[0,5]&sort=${enc(["employeeNo", "ASC"])}`)
      .set(h);
    const ids = list.body.map((e: { id: string }) => e.id);
    const sizes = [42, 38, 45, 38, 40, 36];
    for (let i = 0; i < ids.length; i++) {
      const r = await t
        .request()
        .put(`/api/employees/${ids[i]}`)
        .set(h)
        .send({ shoeSize: sizes[i], shift: i % 2 ? "night" : "day" });
      expect(r.status).toBe(200);
      expect(r.body.shoeSize).toBe(sizes[i]);
    }
    const eq = await t
      .request()
      .get(`/api/employees?filter=${enc({ shoeSize: 38 })}`)
      .set(h);
    expect(eq.body.map((e: { id: string }) => e.id).sort()).toEqual([ids[1], ids[3]].sort());
    const gte = await t
      .request()
      .get(`/api/employees?filter=${enc({ shoeSize_gte: 40 })}`)
      .set(h);
    expect(gte.headers["content-range"]).toMatch(/\/3$/);
    const inList = await t
      .request()
      .get(`/api/employees?filter=${enc({ shift: ["night"] })}`)
      .set(h);
    expect(inList.body).toHaveLength(3);
    const sorted = await t
      .request()
      .get(`/api/employees?sort=${enc(["shoeSize", "DESC"])}&range=[0,5]`)
      .set(h);
    expect(sorted.body.map((e: { shoeSize: number }) => e.shoeSize)).toEqual([45, 42, 40, 38, 38, 36]);

    const invalid = await t.request().put(`/api/employees/${ids[0]}`).set(h).send({ shoeSize: 99, shift: "evening" });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toMatchObject({ shoeSize: expect.any(String), shift: expect.any(String) });
    expect((await t.request().get(`/api/employees/${ids[0]}`).set(h)).body.shoeSize).toBe(42);

    expect((await t.request().delete("/api/entities/employees/fields/shift").set(h)).status).toBe(200);
    expect(
      (
        await t
          .request()
          .get(`/api/employees?filter=${enc({ shift: "day" })}`)
          .set(h)
      ).status,
    ).toBe(400);
  });
});

describe("queries and validation", () => {
  it("refuses undeclared sort and filter fields and malformed query JSON with 400", async () => {
    const cases: [string, string][] = [
      [`sort=${enc(["password_hash", "ASC"])}`, "INVALID_SORT"],
      [`sort=${enc(["name; drop table employees", "ASC"])}`, "INVALID_SORT"],
      [`filter=${enc({ tenant_id: "x" })}`, "INVALID_FILTER"],
      [`filter=${enc({ hireDate_gte: "yesterday" })}`, "INVALID_FILTER"],
      [`filter=${enc({ orgUnitId: "not-a-uuid" })}`, "INVALID_FILTER"],
      [`filter={oops`, "INVALID_QUERY"],
      [`range=${enc([10, 2])}`, "INVALID_QUERY"],
      [`range=${enc([0, 5000])}`, "INVALID_QUERY"],
    ];
    for (const [qs, code] of cases) {
      const res = await t.request().get(`/api/employees?${qs}`).set(h);
      expect(res.status, qs).toBe(400);
      expect(res.body.code, qs).toBe(code);
      expect(res.body.message).toEqual(expect.any(String));
    }
  });

  it("a failed validation writes nothing and names every field at fault", async () => {
    const before = await t.db("employees").count({ n: "*" });
    const res = await t
      .request()
      .post("/api/employees")
      .set(h)
      .send(
        newEmployee("X1", { name: "", insuredCity: "Beijing", hireDate: "2024-13-45", monthlyWage: "-1", nope: 1 }),
      );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(res.body.errors).sort()).toEqual(["hireDate", "insuredCity", "monthlyWage", "name", "nope"]);
    expect(await t.db("employees").count({ n: "*" })).toEqual(before);
  });

  it("a leave date before the hire date is a 400 on create and on update, writing nothing", async () => {
    const before = await t.db("employees").count({ n: "*" });
    const early = await t
      .request()
      .post("/api/employees")
      .set(h)
      .send(newEmployee("LV1", { hireDate: "2024-05-01", leaveDate: "2024-04-30" }));
    expect(early.status).toBe(400);
    expect(early.body.errors).toEqual({ leaveDate: "must not be before the hire date" });
    expect(await t.db("employees").count({ n: "*" })).toEqual(before);
    const ok = await t
      .request()
      .post("/api/employees")
      .set(h)
      .send(newEmployee("LV2", { hireDate: "2024-05-01", leaveDate: "2024-05-01" }));
    expect(ok.status).toBe(201);
    const moved = await t.request().put(`/api/employees/${ok.body.id}`).set(h).send({ hireDate: "2024-06-01" });
    expect(moved.status).toBe(400);
    expect(moved.body.errors).toHaveProperty("leaveDate");
    expect((await t.request().get(`/api/employees/${ok.body.id}`).set(h)).body.hireDate).toBe("2024-05-01");
  });

  it("a duplicate employee number is a 409 naming the field", async () => {
    const existing = await t.db("employees").first();
    const tenant = await t.db("tenants").where({ id: existing.tenant_id }).first();
    const res = await t
      .request()
      .post("/api/employees")
      .set(await t.admin(tenant.slug))
      .send(newEmployee(existing.employee_no, { name: "Dup", monthlyWage: 9000 }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "DUPLICATE", errors: { employeeNo: "already exists" } });
  });

  it("an unknown id is a 404 in JSON", async () => {
    for (const id of ["00000000-0000-0000-0000-000000000000", "nope"]) {
      const res = await t.request().get(`/api/employees/${id}`).set(h);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("NOT_FOUND");
    }
  });
});
