/**
 * Hardening: login throttling under parallel guessing and spraying (per client address, through a
 * real socket bound to 127.0.0.x), session revocation, strict tokens, security headers, CORS, and
 * the production start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHmac } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app";
import { DEMO_USERS, TEST_ADMIN } from "../support/constants";
import { LIMITS, clientAddress, throttleKeys } from "../../server/auth/throttle";
import { signToken } from "../../server/auth/tokens";
import { openDatabase } from "../../server/db/index";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { seedOnStart, DEMO_USERS as SEED_USERS } from "../../server/seed";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

let t: TestApp;
let base: URL;
const adminDist = mkdtempSync(join(tmpdir(), "ordo-dist-"));
writeFileSync(join(adminDist, "index.html"), "<!doctype html><title>Ordo</title>");

beforeAll(async () => {
  t = await startTestApp({ ORDO_ADMIN_DIST: adminDist });
  base = new URL(await t.listen());
});
afterAll(async () => {
  await t.close();
  rmSync(adminDist, { recursive: true, force: true });
});

/** An HTTP call from a chosen local address: the server sees it as that client. */
function call(
  from: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        localAddress: from,
        agent: false,
        headers: { ...(data ? { "content-type": "application/json" } : {}), ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const login = (from: string, email: string, password: string, headers?: Record<string, string>) =>
  call(from, "POST", "/api/auth/login", { email, password }, headers);
const me = (token: string) =>
  call("127.0.0.1", "GET", "/api/auth/me", undefined, { authorization: `Bearer ${token}`, "x-tenant": "demo" });
const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;
/** n calls, in parallel waves of 10 (under MAX_LOGINS_IN_FLIGHT, so none is shed as LOGIN_BUSY). */
async function waves(n: number, fn: (i: number) => Promise<Answer>): Promise<Answer[]> {
  const out: Answer[] = [];
  for (let i = 0; i < n; i += 10) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => fn(i + j)))));
  }
  return out;
}

describe("login throttling", () => {
  it("200 parallel wrong passwords check five, then lock that account for that address only", async () => {
    const email = DEMO_USERS.hr.email;
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => login("127.0.0.10", email, `wrong-${i}`)));
    const checked = count(answers, 401);
    expect(checked).toBe(LIMITS.pair.maxFree);
    expect(count(answers, 429)).toBe(200 - checked);
    const row = await t
      .db("login_throttle")
      .where({ key: throttleKeys(email, "127.0.0.10").pair })
      .first();
    expect(row.failures).toBe(checked);

    const locked = await login("127.0.0.10", email, DEMO_USERS.hr.password);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("TOO_MANY_ATTEMPTS");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);

    // Somebody else's guesses do not lock the owner out elsewhere.
    const elsewhere = await login("127.0.0.11", email, "one-typo");
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.code).toBe("INVALID_CREDENTIALS");
    const owner = await login("127.0.0.11", email, DEMO_USERS.hr.password);
    expect(owner.status).toBe(200);
    expect(owner.body.token).toEqual(expect.any(String));
  });

  it("password spraying across accounts from one address is throttled", async () => {
    // Waves of parallel attempts, each within what one server checks at once.
    const answers = await waves(40, (i) => login("127.0.0.20", `sprayed-${i}@demo.local`, "Summer2024!"));
    expect(count(answers, 401)).toBe(LIMITS.address.maxFree);
    expect(count(answers, 429)).toBe(40 - LIMITS.address.maxFree);
    const row = await t
      .db("login_throttle")
      .where({ key: throttleKeys("x", "127.0.0.20").address })
      .first();
    expect(row.failures).toBe(LIMITS.address.maxFree);
    const next = await login("127.0.0.20", DEMO_USERS.employee.email, "Summer2024!");
    expect(next.status).toBe(429);
    expect(next.body.code).toBe("TOO_MANY_ATTEMPTS");
    expect(Number(next.headers["retry-after"])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await login("127.0.0.21", DEMO_USERS.employee.email, "Summer2024!")).status).toBe(401);
  });

  it("a flood of logins beyond what a server checks at once is shed with 429 LOGIN_BUSY, uncounted", async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(`127.0.1.${i + 1}`, `flood-${i}@demo.local`, "guess")),
    );
    const busy = answers.filter((a) => a.body.code === "LOGIN_BUSY");
    expect(busy.length).toBeGreaterThan(0);
    expect(count(answers, 401) + busy.length).toBe(60);
    for (const b of busy) {
      expect(b.status).toBe(429);
      expect(Number(b.headers["retry-after"])).toBeGreaterThan(0);
    }
    const counted = await t.db("login_throttle").where("key", "like", "account+address:flood-%").count({ n: "*" });
    expect(Number(counted[0]!.n)).toBe(count(answers, 401));
  });

  it("X-Forwarded-For is ignored unless ORDO_TRUST_PROXY says so", async () => {
    const spoofed = await waves(40, (i) =>
      login("127.0.0.30", `spoof-${i}@demo.local`, "guess", { "x-forwarded-for": `203.0.113.${i}` }),
    );
    expect(count(spoofed, 429)).toBe(40 - LIMITS.address.maxFree);

    const behindProxy = await startTestApp({ ORDO_TRUST_PROXY: "1" });
    try {
      for (let i = 0; i < 6; i++) {
        const r = await behindProxy
          .request()
          .post("/api/auth/login")
          .set("x-forwarded-for", `203.0.113.${i}`)
          .send({ email: DEMO_USERS.hr.email, password: "guess" });
        expect(r.status).toBe(401); // six addresses, one failure each: no pair lock
      }
      const r = await behindProxy
        .db("login_throttle")
        .where({ key: throttleKeys(DEMO_USERS.hr.email, "203.0.113.5").pair })
        .first();
      expect(r.failures).toBe(1);
    } finally {
      await behindProxy.close();
    }
  });

  it("client addresses: IPv4-mapped IPv6 is IPv4, IPv6 counts by its /64", () => {
    expect(clientAddress("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(clientAddress("2001:db8:0:1:aaaa::1")).toBe("2001:db8:0:1::/64");
    expect(clientAddress("2001:db8:0:1:bbbb:cccc:dddd:eeee")).toBe("2001:db8:0:1::/64");
    expect(clientAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientAddress(undefined)).toBe("unknown");
  });
});

describe("sessions", () => {
  it("logout revokes the presented token only", async () => {
    const a = (await login("127.0.0.40", TEST_ADMIN.email, TEST_ADMIN.password)).body.token;
    const b = (await login("127.0.0.40", TEST_ADMIN.email, TEST_ADMIN.password)).body.token;
    expect((await me(a)).status).toBe(200);
    const out = await call("127.0.0.40", "POST", "/api/auth/logout", undefined, { authorization: `Bearer ${a}` });
    expect(out.status).toBe(204);
    const after = await me(a);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("INVALID_TOKEN");
    expect((await me(b)).status).toBe(200);
    // Revoked in the database (every server sees it) until the token would have expired.
    const { jti, exp } = JSON.parse(Buffer.from(a.split(".")[0], "base64url").toString("utf8"));
    const row = await t.db("revoked_tokens").where({ jti }).first();
    expect(new Date(row.expires_at).getTime()).toBe(exp * 1000);
  });

  it("a password change revokes every older token; the new password works, the old one not", async () => {
    const email = DEMO_USERS.employee.email;
    const old1 = (await login("127.0.0.41", email, DEMO_USERS.employee.password)).body.token;
    const old2 = (await login("127.0.0.41", email, DEMO_USERS.employee.password)).body.token;
    const auth = { authorization: `Bearer ${old1}` };
    const wrong = await call(
      "127.0.0.41",
      "POST",
      "/api/auth/password",
      { currentPassword: "not-it", newPassword: "a-new-password" },
      auth,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe("WRONG_PASSWORD");
    const short = await call(
      "127.0.0.41",
      "POST",
      "/api/auth/password",
      { currentPassword: "x", newPassword: "short" },
      auth,
    );
    expect(short.status).toBe(400);
    expect((await me(old1)).status).toBe(200);

    const changed = await call(
      "127.0.0.41",
      "POST",
      "/api/auth/password",
      { currentPassword: DEMO_USERS.employee.password, newPassword: "a-new-password" },
      auth,
    );
    expect(changed.status).toBe(200);
    for (const token of [old1, old2]) {
      const r = await me(token);
      expect(r.status).toBe(401);
      expect(r.body.code).toBe("INVALID_TOKEN");
    }
    expect((await me(changed.body.token)).status).toBe(200);
    expect((await login("127.0.0.42", email, DEMO_USERS.employee.password)).status).toBe(401);
    const fresh = await login("127.0.0.42", email, "a-new-password");
    expect(fresh.status).toBe(200);
    expect((await me(fresh.body.token)).status).toBe(200);
  });

  it("a consultant disables a user of the tenant: their tokens answer 401 and they cannot log in", async () => {
    const admin = await t.admin("demo");
    const hrUser = await t.db("users").where({ email: DEMO_USERS.hr.email }).first();
    const hrToken = (await login("127.0.0.43", DEMO_USERS.hr.email, DEMO_USERS.hr.password)).body.token;
    // Only consultants, only users of their tenant, never themselves.
    const byHr = await call("127.0.0.43", "POST", `/api/users/${hrUser.id}/disable`, undefined, {
      authorization: `Bearer ${hrToken}`,
    });
    expect(byHr.status).toBe(403);
    const adminUser = await t.db("users").where({ email: TEST_ADMIN.email }).first();
    expect((await t.request().post(`/api/users/${adminUser.id}/disable`).set(admin)).status).toBe(409);
    expect((await t.request().post("/api/users/not-a-uuid/disable").set(admin)).status).toBe(404);
    expect(
      (
        await t
          .request()
          .post(`/api/users/${hrUser.id}/disable`)
          .set(await t.admin("retail"))
      ).status,
    ).toBe(404);

    const disabled = await t.request().post(`/api/users/${hrUser.id}/disable`).set(admin);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: hrUser.id, disabled: true });
    const refused = await call("127.0.0.43", "GET", "/api/auth/me", undefined, { authorization: `Bearer ${hrToken}` });
    expect(refused.status).toBe(401);
    const noLogin = await login("127.0.0.43", DEMO_USERS.hr.email, DEMO_USERS.hr.password);
    expect(noLogin.status).toBe(403);
    expect(noLogin.body.code).toBe("ACCOUNT_DISABLED");
    expect(noLogin.body.token).toBeUndefined();

    expect((await t.request().post(`/api/users/${hrUser.id}/enable`).set(admin)).body.disabled).toBe(false);
    expect((await login("127.0.0.43", DEMO_USERS.hr.email, DEMO_USERS.hr.password)).status).toBe(200);
    // Enabling does not bring the old token back.
    expect(
      (await call("127.0.0.43", "GET", "/api/auth/me", undefined, { authorization: `Bearer ${hrToken}` })).status,
    ).toBe(401);
  });
});

describe("strict tokens", () => {
  it("tampered or ill-typed tokens answer 401 INVALID_TOKEN, never 500", async () => {
    const secret = await t.ctx.tokenSecret();
    const admin = await t.db("users").where({ email: TEST_ADMIN.email }).first();
    const good = signToken(secret, { sub: admin.id, ver: admin.token_version }, 3600);
    expect((await me(good)).status).toBe(200);
    const [body, sig] = good.split(".") as [string, string];
    // The last of 43 base64url characters carries 4 bits and 2 unused ones: flipping an unused bit
    // spells the same bytes differently.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(sig.at(-1)!);
    const lowBits = sig.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(lowBits, "base64url").equals(Buffer.from(sig, "base64url"))).toBe(true);
    const signed = (payload: unknown) => {
      const b = Buffer.from(JSON.stringify(payload)).toString("base64url");
      return `${b}.${createHmac("sha256", secret).update(b).digest("base64url")}`;
    };
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: admin.id, iat: now, exp: now + 3600, ver: admin.token_version, jti: crypto.randomUUID() };
    const cases: Record<string, string> = {
      "junk after the signature": `${good}AAAA`,
      "a dot and junk": `${good}.x`,
      "last character's low bits": lowBits,
      "signature with padding": `${good}=`,
      "payload null": signed(null),
      "payload an array": signed([claims]),
      "payload a string": signed("admin"),
      "sub not a UUID": signed({ ...claims, sub: "admin" }),
      "sub a number": signed({ ...claims, sub: 1 }),
      "exp a string": signed({ ...claims, exp: String(claims.exp) }),
      "ver missing": signed({ ...claims, ver: undefined }),
      "ver a string": signed({ ...claims, ver: "0" }),
      "jti missing": signed({ ...claims, jti: undefined }),
      "jti not a UUID": signed({ ...claims, jti: "x" }),
      "an older token version": signed({ ...claims, ver: admin.token_version + 1 }),
      "a user that does not exist": signed({ ...claims, sub: crypto.randomUUID() }),
      "not JSON":
        `${Buffer.from("{nope").toString("base64url")}.` +
        `${createHmac("sha256", secret).update(Buffer.from("{nope").toString("base64url")).digest("base64url")}`,
      "body not base64url": `${body}*.${sig}`,
      "very long": `${"A".repeat(5000)}.${sig}`,
    };
    expect((await me(signed(claims))).status).toBe(200); // the helper itself signs valid tokens
    for (const [name, token] of Object.entries(cases)) {
      const r = await me(token);
      expect(r.status, name).toBe(401);
      expect(r.body.code, name).toBe("INVALID_TOKEN");
    }
  });
});

describe("headers", () => {
  it("security headers on the admin page, on API answers and on API errors", async () => {
    for (const path of ["/", "/employees", "/api/health", "/api/employees", "/api/no-such-route"]) {
      const r = await call("127.0.0.50", "GET", path);
      const csp = String(r.headers["content-security-policy"]);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "worker-src 'self' blob:",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
      ]) {
        expect(csp, `${path}: ${directive}`).toContain(directive);
      }
      expect(csp).not.toContain("unsafe-eval");
      expect(r.headers["x-frame-options"], path).toBe("DENY");
      expect(r.headers["x-content-type-options"], path).toBe("nosniff");
      expect(r.headers["referrer-policy"], path).toBe("no-referrer");
      expect(r.headers["x-powered-by"], path).toBeUndefined();
    }
    expect((await call("127.0.0.50", "GET", "/")).body).toContain("<title>Ordo</title>");
  });

  it("every API answer says Cache-Control: no-store", async () => {
    const token = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const auth = { authorization: `Bearer ${token}`, "x-tenant": "demo" };
    const answers = [
      await call("127.0.0.51", "GET", "/api/health"),
      await call("127.0.0.51", "GET", "/api/employees", undefined, auth),
      await call("127.0.0.51", "GET", "/api/auth/me", undefined, auth),
      await call("127.0.0.51", "GET", "/api/employees"),
      await call("127.0.0.51", "POST", "/api/auth/login", { email: "x@y.z", password: "nope" }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 401, 401]);
    for (const a of answers) expect(a.headers["cache-control"]).toBe("no-store");
  });

  it("CORS is closed by default and open only to the origins in ORDO_CORS_ORIGINS", async () => {
    const preflight = (app: TestApp, origin: string) =>
      app
        .request()
        .options("/api/employees")
        .set({ origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" });
    const closed = await preflight(t, "https://hr.example.com");
    expect(closed.headers["access-control-allow-origin"]).toBeUndefined();
    const simple = await t.request().get("/api/health").set("origin", "https://hr.example.com");
    expect(simple.headers["access-control-allow-origin"]).toBeUndefined();

    const open = await startTestApp({ ORDO_CORS_ORIGINS: "https://hr.example.com, http://localhost:5173" });
    try {
      const ok = await preflight(open, "https://hr.example.com");
      expect(ok.status).toBe(204);
      expect(ok.headers["access-control-allow-origin"]).toBe("https://hr.example.com");
      expect(ok.headers["access-control-allow-headers"]).toMatch(/authorization/i);
      expect(ok.headers["access-control-allow-methods"]).toMatch(/POST/);
      expect(ok.headers.vary).toMatch(/origin/i);
      const get = await open.request().get("/api/health").set("origin", "http://localhost:5173");
      expect(get.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
      for (const origin of ["https://evil.example.com", "https://hr.example.com.evil.test", "null"]) {
        const r = await preflight(open, origin);
        expect(r.headers["access-control-allow-origin"], origin).toBeUndefined();
        const g = await open.request().get("/api/health").set("origin", origin);
        expect(g.headers["access-control-allow-origin"], origin).toBeUndefined();
      }
    } finally {
      await open.close();
    }
  });
});

describe("production start", () => {
  it("seeds no demo users: only the admin consultant of ORDO_ADMIN_EMAIL", async () => {
    const config = loadConfig({
      NODE_ENV: "production",
      DATABASE_URL: "memory",
      ORDO_ADMIN_EMAIL: "ops@example.com",
      ORDO_ADMIN_PASSWORD: "a-long-production-password",
    });
    const database = await openDatabase({ kind: "pglite" });
    try {
      await database.migrate();
      const logger = createLogger("silent");
      expect(await seedOnStart(database.knex, logger, config)).toBe(false);
      expect(await seedOnStart(database.knex, logger, config)).toBe(false); // idempotent
      const users = await database.knex("users").select("email", "role", "password_hash");
      expect(users.map((u) => u.email)).toEqual(["ops@example.com"]);
      expect(users[0].password_hash).toMatch(/^scrypt\$/);
      for (const demo of Object.values(SEED_USERS)) {
        expect(users.some((u) => u.email === demo.email)).toBe(false);
      }
      expect(await database.knex("tenants").count({ n: "*" }).first()).toMatchObject({ n: 0 });

      // The same path in development seeds the demo.
      const dev = loadConfig({ DATABASE_URL: "memory", ORDO_ADMIN_PASSWORD: TEST_ADMIN.password });
      expect(await seedOnStart(database.knex, logger, dev)).toBe(true);
      expect(await database.knex("users").where({ email: SEED_USERS.hr.email }).first()).toBeDefined();
    } finally {
      await database.close();
    }
  });
});
