import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("GET /api/openapi.json", () => {
  it("describes every route, with entity schemas including the tenant's custom fields", async () => {
    const h = await t.admin("demo");
    await t
      .request()
      .post("/api/entities/employees/fields")
      .set(h)
      .send({ name: "locker", schema: { type: "string", maxLength: 10 } });
    const res = await t.request().get("/api/openapi.json").set(h);
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe("3.1.0");
    for (const p of [
      "/api/health",
      "/api/auth/login",
      "/api/entities",
      "/api/entities/{entity}/fields",
      "/api/employees",
      "/api/employees/{id}",
      "/api/org-units",
    ]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
    expect(Object.keys(doc.paths["/api/employees/{id}"]).sort()).toEqual(["delete", "get", "put"]);
    expect(doc.paths["/api/auth/login"].post.requestBody.content["application/json"].schema.required).toEqual([
      "email",
      "password",
    ]);
    expect(doc.components.schemas.employees.properties.locker).toMatchObject({ type: "string", maxLength: 10 });
    expect(doc.components.schemas.employees.properties.monthlyWage).toMatchObject({
      type: "string",
      format: "decimal",
    });
    // Every route Express knows is documented.
    const routes: string[] = [];
    const walk = (stack: any[], prefix: string) => {
      for (const layer of stack) {
        if (layer.route)
          for (const m of Object.keys(layer.route.methods)) routes.push(`${m} ${prefix}${layer.route.path}`);
        else if (layer.handle?.stack) walk(layer.handle.stack, prefix);
      }
    };
    walk(
      (t.app as any).router.stack.filter((l: any) => l.handle?.stack),
      "/api",
    );
    for (const r of routes) {
      const [m, p] = r.split(" ");
      const oa = p!.replace(/:([A-Za-z]+)/g, "{$1}");
      expect(doc.paths[oa]?.[m!], r).toBeDefined();
    }
    expect(routes.length).toBeGreaterThan(10);
  });
});

describe("non-JSON bodies", () => {
  it("documents the CSV import with its media type", async () => {
    const doc = (
      await t
        .request()
        .get("/api/openapi.json")
        .set(await t.admin("demo"))
    ).body;
    const importOp = doc.paths["/api/policy-tables/{key}/import"].post;
    expect(Object.keys(importOp.requestBody.content)).toEqual(["text/csv"]);
  });
});

describe("parameters come from the schemas that validate them", () => {
  it("documents query and path parameters as JSON Schemas, and the validation follows them", async () => {
    const h = await t.admin("demo");
    const doc = (await t.request().get("/api/openapi.json").set(h)).body;
    const list = doc.paths["/api/employees"].get.parameters;
    const range = list.find((p: { name: string }) => p.name === "range");
    expect(range).toMatchObject({ in: "query", content: { "application/json": { schema: { type: "array" } } } });
    expect(range.content["application/json"].schema.items.maximum).toBe(2147483647);
    const version = doc.paths["/api/rule-sets/{key}/versions/{version}"].get.parameters.find(
      (p: { name: string }) => p.name === "version",
    );
    expect(version).toMatchObject({
      in: "path",
      required: true,
      schema: { type: "integer", minimum: 1, maximum: 2147483647 },
    });
    const sort = doc.paths["/api/rule-sets"].get.parameters.find((p: { name: string }) => p.name === "sort");
    expect(sort.content["application/json"].schema.items[0].enum).toContain("updatedAt");
    const run = doc.paths["/api/monthly-runs/{id}"].get.parameters[0];
    expect(run.schema).toMatchObject({ type: "string", format: "uuid" });
    const wait = doc.paths["/api/monthly-runs"].post.parameters.find((p: { name: string }) => p.name === "wait");
    expect(wait.schema).toEqual({ type: "boolean" });
    // The entity resources keep their parameters when the per-tenant schemas are merged in.
    expect(doc.paths["/api/employees/{id}"].put.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/employees",
    });

    const bad = await t.request().get("/api/rule-sets/enrollment/versions/0").set(h);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "INVALID_PATH", params: { parameter: "version" } });
    const badWait = await t.request().post("/api/monthly-runs?wait=maybe").set(h).send({ month: "2024-05" });
    expect(badWait.status).toBe(400);
    expect(badWait.body).toMatchObject({ code: "INVALID_QUERY", params: { parameter: "wait" } });
    const zh = await t
      .request()
      .get(`/api/employees?range=${encodeURIComponent("[0,2147483648]")}`)
      .set({ ...h, "accept-language": "zh-CN" });
    expect(zh.status).toBe(400);
    expect(zh.body.message).toContain("查询参数“range”有误");
  });
});
