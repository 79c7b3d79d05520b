/** The admin's files as a browser gets them: precompressed copies, immutable hashed assets, compressed JSON. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

const script = `console.log(${JSON.stringify("ordo ".repeat(500))});`;
let dist: string;
let t: TestApp;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "ordo-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), '<!doctype html><script src="/assets/index-abc.js"></script>');
  writeFileSync(join(dist, "assets", "index-abc.js"), script);
  writeFileSync(join(dist, "assets", "index-abc.js.br"), brotliCompressSync(script));
  writeFileSync(join(dist, "assets", "index-abc.js.gz"), gzipSync(script));
  t = await startTestApp({ ORDO_ADMIN_DIST: dist });
});
afterAll(async () => {
  await t.close();
  rmSync(dist, { recursive: true, force: true });
});

const raw = (res: { on: (e: string, f: (c?: Buffer) => void) => void }, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c) => chunks.push(c as Buffer));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
};

describe("static admin files", () => {
  it("sends the brotli copy to browsers that accept it, with immutable caching", async () => {
    const res = await t.request().get("/assets/index-abc.js").set("Accept-Encoding", "gzip, deflate, br").parse(raw);
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["cache-control"]).toContain("immutable");
    expect(res.headers["content-type"]).toMatch(/javascript/);
    // The precompressed copy itself (supertest decodes it for the body).
    expect(Number(res.headers["content-length"])).toBe(brotliCompressSync(script).length);
    expect(res.body.toString()).toBe(script);
  });

  it("falls back to gzip, then to the plain file", async () => {
    const gz = await t.request().get("/assets/index-abc.js").set("Accept-Encoding", "gzip").parse(raw);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(Number(gz.headers["content-length"])).toBe(gzipSync(script).length);
    expect(gz.body.toString()).toBe(script);
    const plain = await t.request().get("/assets/index-abc.js").set("Accept-Encoding", "identity").parse(raw);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it("revalidates index.html, for every client route", async () => {
    for (const path of ["/", "/login", "/employees/123"]) {
      const res = await t.request().get(path);
      expect(res.status).toBe(200);
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.text).toContain("/assets/index-abc.js");
    }
  });

  it("compresses large JSON answers", async () => {
    const res = await t
      .request()
      .get("/api/employees?range=[0,29]")
      .set(await t.admin())
      .set("Accept-Encoding", "gzip");
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.body).toHaveLength(30);
  });
});
