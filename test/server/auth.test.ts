import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { DEMO_USERS, TEST_ADMIN } from "../support/constants";
import { signToken } from "../../server/auth/tokens";
import { throttleKeys } from "../../server/auth/throttle";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("login", () => {
  it("answers {token, user} for valid credentials", async () => {
    const res = await t
      .request()
      .post("/api/auth/login")
      .send({ email: TEST_ADMIN.email.toUpperCase(), password: TEST_ADMIN.password });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.body.user).toMatchObject({
      email: TEST_ADMIN.email,
      role: "consultant",
      tenants: [{ slug: "demo" }, { slug: "retail" }],
    });
    expect(res.body.user.passwordHash).toBeUndefined();
  });

  it("refuses a wrong password with 401 and a code", async () => {
    const res = await t.request().post("/api/auth/login").send({ email: TEST_ADMIN.email, password: "wrong-password" });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: "INVALID_CREDENTIALS", message: expect.any(String) });
  });

  it("validates the body and names the field", async () => {
    const res = await t.request().post("/api/auth/login").send({ email: "x@y.z" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_BODY");
    expect(res.body.errors).toHaveProperty("/password");
  });

  it(
    "locks an account for its client address after five failures: " +
      "429 and Retry-After, even for the right password",
    async () => {
      const email = DEMO_USERS.hr.email;
      for (let i = 0; i < 5; i++) {
        const r = await t
          .request()
          .post("/api/auth/login")
          .send({ email, password: `bad-${i}` });
        expect(r.status).toBe(401);
      }
      const locked = await t.request().post("/api/auth/login").send({ email, password: DEMO_USERS.hr.password });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe("TOO_MANY_ATTEMPTS");
      expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
      // The lock lives in the database, so every server behind a load balancer sees it.
      const key = throttleKeys(email, "127.0.0.1").pair;
      const row = await t.db("login_throttle").where({ key }).first();
      expect(row.failures).toBe(5);
      await t
        .db("login_throttle")
        .where({ key })
        .update({ locked_until: new Date(Date.now() - 1000) });
      const ok = await t.request().post("/api/auth/login").send({ email, password: DEMO_USERS.hr.password });
      expect(ok.status).toBe(200);
      expect(await t.db("login_throttle").where({ key }).first()).toBeUndefined();
      // The shared counters got this attempt back: only the five failures remain.
      const shared = await t
        .db("login_throttle")
        .where({ key: throttleKeys(email, "127.0.0.1").account })
        .first();
      expect(shared.failures).toBe(5);
    },
  );

  it("stores passwords with scrypt, never in clear", async () => {
    const rows = await t.db("users").select("password_hash");
    for (const r of rows) expect(r.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(rows.some((r) => r.password_hash.includes(TEST_ADMIN.password))).toBe(false);
  });
});

describe("bearer tokens", () => {
  it("every /api route but health and login needs a token", async () => {
    expect((await t.request().get("/api/health")).status).toBe(200);
    for (const path of ["/api/employees", "/api/entities", "/api/auth/me", "/api/openapi.json", "/api/no-such-route"]) {
      const res = await t.request().get(path);
      expect(res.status, path).toBe(401);
      expect(res.body.code).toBe("UNAUTHORIZED");
    }
  });

  it("refuses a forged, malformed or expired token", async () => {
    const secret = await t.ctx.tokenSecret();
    const admin = await t.db("users").where({ email: TEST_ADMIN.email }).first();
    const expired = signToken(secret, { sub: admin.id, ver: 0 }, 60, Date.now() - 3600_000);
    const forged = signToken("x".repeat(40), { sub: admin.id, ver: 0 }, 3600);
    const cases: [string, string][] = [
      [expired, "TOKEN_EXPIRED"],
      [forged, "INVALID_TOKEN"],
      ["abc", "INVALID_TOKEN"],
    ];
    for (const [token, code] of cases) {
      const res = await t.request().get("/api/auth/me").set("authorization", `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe(code);
    }
    const valid = signToken(secret, { sub: admin.id, ver: 0 }, 3600);
    expect(
      (
        await t
          .request()
          .get("/api/auth/me")
          .set({ authorization: `Bearer ${valid}`, "x-tenant": "demo" })
      ).status,
    ).toBe(200);
  });

  it("a consultant picks a tenant with X-Tenant; another tenant is 403", async () => {
    const h = await t.admin("demo");
    expect((await t.request().get("/api/auth/me").set(h)).body.tenant.slug).toBe("demo");
    const none = await t.request().get("/api/employees").set({ authorization: h.authorization });
    expect(none.status).toBe(403);
    expect(none.body.code).toBe("TENANT_REQUIRED");
    const hr = await t.hr();
    const foreign = await t
      .request()
      .get("/api/employees")
      .set({ ...hr, "x-tenant": "retail" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe("TENANT_FORBIDDEN");
    expect((await t.request().get("/api/employees").set(hr)).status).toBe(200);
  });
});

describe("roles", () => {
  it("an employee sees only their own employee record and cannot write", async () => {
    const h = await t.employee();
    const list = await t.request().get("/api/employees").set(h);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0].email).toBe(DEMO_USERS.employee.email);
    expect(list.headers["content-range"]).toMatch(/\/1$/);
    const other = await t.db("employees").whereNot({ id: list.body[0].id }).first();
    expect((await t.request().get(`/api/employees/${other.id}`).set(h)).status).toBe(404);
    expect(
      (await t.request().put(`/api/employees/${list.body[0].id}`).set(h).send({ monthlyWage: "99999" })).status,
    ).toBe(403);
    expect((await t.request().get("/api/org-units").set(h)).status).toBe(403);
  });

  it("only consultants add custom fields", async () => {
    const res = await t
      .request()
      .post("/api/entities/employees/fields")
      .set(await t.hr())
      .send({ name: "shoeSize", schema: { type: "integer" } });
    expect(res.status).toBe(403);
  });
});
