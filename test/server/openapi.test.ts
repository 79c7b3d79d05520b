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
