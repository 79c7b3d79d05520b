import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { pino } from "pino";
import request from "supertest";
import { createApp } from "../../server/app";
import { loadConfig } from "../../server/config";
import { openFromTemplate } from "../../server/db/testing";
import { inject } from "vitest";
import { TEST_ADMIN } from "../support/constants";

const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
    cb();
  },
});
let app: ReturnType<typeof createApp>;
let close: () => Promise<void>;
let token: string;

beforeAll(async () => {
  const database = await openFromTemplate(inject("dbTemplate"));
  const logger = pino(
    { level: "info", redact: { paths: ["req.headers.authorization", "req.headers.cookie"], censor: "[redacted]" } },
    sink,
  );
  app = createApp({ config: loadConfig({ DATABASE_URL: "memory", ORDO_BODY_LIMIT: "1kb" }), database, logger });
  close = () => database.close();
  token = (await request(app).post("/api/auth/login").send(TEST_ADMIN)).body.token;
});
afterAll(() => close());

describe("errors", () => {
  it("malformed JSON is a 400", async () => {
    const res = await request(app).post("/api/auth/login").set("content-type", "application/json").send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String), code: "MALFORMED_JSON" });
  });

  it("a body over the limit is refused", async () => {
    const res = await request(app)
      .post("/api/auth/login")
      .send({ email: "a@b.c", password: "x".repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe("BODY_TOO_LARGE");
  });

  it("unknown routes are a 404 in JSON", async () => {
    const api = await request(app)
      .get("/api/nothing-here")
      .set({ authorization: `Bearer ${token}`, "x-tenant": "demo" });
    expect(api.status).toBe(404);
    expect(api.body.code).toBe("ROUTE_NOT_FOUND");
  });

  it("each request gets an id, and the authorization header never reaches the log", async () => {
    const res = await request(app)
      .get("/api/auth/me")
      .set({ authorization: `Bearer ${token}`, "x-tenant": "demo" });
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const entry = lines.find((l) => l.req?.id === res.headers["x-request-id"]);
    expect(entry).toBeDefined();
    expect(entry!.req.headers.authorization).toBe("[redacted]");
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it("bad percent-encoding in a path is a 400 naming the path, not a 500", async () => {
    const res = await request(app)
      .get("/api/rule-sets/%E0%A4%A")
      .set({ authorization: `Bearer ${token}`, "x-tenant": "demo" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "INVALID_PATH", params: { parameter: "path" } });
  });

  it("unstorable text is refused before the body limit or any handler, in Chinese too", async () => {
    const res = await request(app)
      .post("/api/auth/login")
      .set("accept-language", "zh-CN")
      .send({ email: "\u0000", password: "x" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_TEXT");
    expect(res.body.message).toContain("/email");
    expect(res.body.message).toContain("无法保存的字符");
  });

  it("an unknown error answers a generic 500 and logs the stack", async () => {
    await close();
    const res = await request(app)
      .get("/api/auth/me")
      .set({ authorization: `Bearer ${token}`, "x-tenant": "demo" });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ message: "An unexpected error occurred.", code: "INTERNAL_ERROR" });
    const logged = lines.find((l) => l.msg === "unhandled error");
    expect(logged?.err?.stack).toEqual(expect.stringContaining("\n    at "));
    close = async () => {};
  });
});
