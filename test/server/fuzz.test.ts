/**
 * No input answers 500, and a refused request writes nothing. Regression tests pin each reproduced 500;
 * the fuzz reads the app's own OpenAPI document and sends every route and method hostile bodies, query
 * strings, path parameters and headers (fast-check, fixed seed) as each role and anonymously, checking
 * a fingerprint of every table after every request that handed out a transaction id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startTestApp, type TestApp } from "../support/app";
import { DEMO_USERS, TEST_ADMIN } from "../support/constants";

let t: TestApp;
let base: string;
let roles: Record<"consultant" | "hr" | "employee" | "anonymous", Record<string, string>>;
let employeeId: string;

beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
  roles = { consultant: await t.admin("demo"), hr: await t.hr(), employee: await t.employee(), anonymous: {} };
  employeeId = (await t.request().get("/api/employees?range=[0,0]").set(roles.consultant)).body[0].id;
});
afterAll(() => t.close());

const CREDENTIALS = {
  consultant: [TEST_ADMIN.email, TEST_ADMIN.password, "demo"],
  hr: [DEMO_USERS.hr.email, DEMO_USERS.hr.password, undefined],
  employee: [DEMO_USERS.employee.email, DEMO_USERS.employee.password, undefined],
} as const;

/** A new token (not the app helper's cached one, which a fuzzed logout may have revoked). */
async function freshLogin(role: "consultant" | "hr" | "employee"): Promise<Record<string, string>> {
  const [email, password, tenant] = CREDENTIALS[role];
  const res = await t.request().post("/api/auth/login").send({ email, password });
  if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { authorization: `Bearer ${res.body.token}`, ...(tenant ? { "x-tenant": tenant } : {}) };
}

const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));
const DASHES = "-".repeat(36);

/** One request through a real socket (so raw paths such as `%E0%A4%A` reach Express unchanged). */
async function send(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; type?: string } = {},
): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers["content-type"] = opts.type ?? "application/json";
  const res = await fetch(base + path, {
    method: method.toUpperCase(),
    headers,
    body: method === "get" ? undefined : opts.body,
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

describe("regressions: each reproduced 500 is a 400 with a code", () => {
  const expect4xx = (res: { status: number; body: any }, status: number, code: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBe(code);
  };
  const post = (path: string, body: unknown, who = roles.consultant) =>
    send("post", path, { headers: who, body: JSON.stringify(body) });
  const put = (path: string, body: unknown) =>
    send("put", path, { headers: roles.consultant, body: JSON.stringify(body) });
  const get = (path: string, who = roles.consultant) => send("get", path, { headers: who });
  const employee = (extra: Record<string, unknown>) => ({
    employeeNo: `R${Math.random().toString(36).slice(2, 8)}`,
    name: "回归",
    insuredCity: "110000",
    hireDate: "2024-03-01",
    monthlyWage: "12000.00",
    employmentType: "full_time",
    ...extra,
  });

  it("a NUL byte in the login e-mail (no authentication) names the field", async () => {
    const res = await post("/api/auth/login", { email: "a\u0000@b.c", password: "x" }, {});
    expect4xx(res, 400, "INVALID_TEXT");
    expect(res.body.params).toMatchObject({ in: "body", field: "/email" });
  });

  it("a lone surrogate in a name names the field", async () => {
    const res = await post("/api/employees", employee({ name: "x\ud800y" }));
    expect4xx(res, 400, "INVALID_TEXT");
    expect(res.body.params.field).toBe("/name");
  });

  it("a NUL byte or a lone surrogate in a filter value or q is refused", async () => {
    expect4xx(await get(`/api/employees?filter=${enc({ name: "a\u0000" })}`), 400, "INVALID_TEXT");
    expect4xx(await get(`/api/employees?filter=${enc({ q: "\udc00" })}`), 400, "INVALID_TEXT");
    expect4xx(await get(`/api/employees?filter=${encodeURIComponent('{"q":"\\ud800"}')}`), 400, "INVALID_TEXT");
  });

  it("a NUL byte in a path key or a jsonb object key is refused", async () => {
    expect4xx(await get("/api/rule-sets/ab%00c"), 400, "INVALID_TEXT");
    const res = await post("/api/rule-sets", { key: "nul-key", name: "x", rules: [], facts: { "a\u0000": {} } });
    expect4xx(res, 400, "INVALID_TEXT");
    expect(res.body.params.field).toBe("/facts/a\u0000");
  });

  it("jsonb nested 20,000 deep is refused (body and query)", async () => {
    const deep = `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`;
    const res = await send("post", "/api/rule-sets", {
      headers: roles.consultant,
      body: `{"key":"deep","name":"deep","rules":[],"testCases":[${deep}]}`,
    });
    expect(res.status).toBe(400);
    expect(["JSON_TOO_DEEP", "MALFORMED_JSON"]).toContain(res.body.code);
    const nested = `${"[".repeat(100)}${"]".repeat(100)}`;
    expect4xx(
      await post("/api/rule-sets", { key: "deep", name: "deep", rules: [], testCases: JSON.parse(nested) }),
      400,
      "JSON_TOO_DEEP",
    );
    expect4xx(await get(`/api/employees?filter=${encodeURIComponent(`{"q":${nested}}`)}`), 400, "JSON_TOO_DEEP");
  });

  it("dates are calendar dates between 1900 and 2199 in bodies, queries and filters", async () => {
    expect4xx(await post("/api/employees", employee({ hireDate: "2024-02-30" })), 400, "VALIDATION_FAILED");
    expect4xx(await post("/api/employees", employee({ birthDate: "0000-01-01" })), 400, "VALIDATION_FAILED");
    expect4xx(await post(`/api/employees/${employeeId}/hire`, { date: "0000-01-01" }), 400, "INVALID_BODY");
    expect4xx(await post("/api/monthly-runs", { month: "0000-01" }), 400, "INVALID_BODY");
    expect4xx(await post("/api/rule-sets/enrollment/publish", { effectiveFrom: "2023-02-29" }), 400, "INVALID_BODY");
    expect4xx(await get(`/api/employees?filter=${enc({ hireDate_gte: "2024-02-30" })}`), 400, "INVALID_FILTER");
    expect4xx(await get(`/api/employees?filter=${enc({ hireDate: "0000-01-01" })}`), 400, "INVALID_FILTER");
    expect4xx(
      await get(`/api/decisions?filter=${enc({ createdAt_gte: "0000-01-01T00:00:00Z" })}`),
      400,
      "INVALID_FILTER",
    );
    const summary = await get("/api/me/summary?at=2024-02-30", roles.employee);
    expect4xx(summary, 400, "INVALID_QUERY");
    expect(summary.body.params.parameter).toBe("at");
    expect4xx(await get("/api/reports/dashboard?from=0000-01"), 400, "INVALID_QUERY");
    expect4xx(await get("/api/policy-lookup?table=x&date=2024-02-30"), 400, "INVALID_QUERY");
    // Good dates still pass.
    expect((await get(`/api/employees?filter=${enc({ hireDate_gte: "2024-02-29" })}`)).status).toBe(200);
  });

  it("money fits numeric(14,2): at most 12 integer digits and 2 decimals", async () => {
    for (const wage of ["1234567890123.00", "999999999999999", "1.001"])
      expect4xx(await post("/api/employees", employee({ monthlyWage: wage })), 400, "VALIDATION_FAILED");
    expect4xx(
      await post(`/api/employees/${employeeId}/wage-change`, { wage: 1e13, effectiveMonth: "2025-01" }),
      400,
      "INVALID_BODY",
    );
    expect4xx(
      await post("/api/si/contributions", { city: "110000", month: "2024-09", wage: "1234567890123" }),
      400,
      "INVALID_BODY",
    );
    expect((await post("/api/employees", employee({ monthlyWage: "999999999999.99" }))).status).toBe(201);
  });

  it("versions and revisions fit int4", async () => {
    const path = await get("/api/rule-sets/enrollment/versions/2147483648");
    expect4xx(path, 400, "INVALID_PATH");
    expect(path.body.params.parameter).toBe("version");
    expect4xx(await get("/api/policy-tables/x/versions/1/diff/99999999999"), 400, "INVALID_PATH");
    expect4xx(await put("/api/rule-sets/enrollment", { revision: 2147483648 }), 400, "INVALID_BODY");
    expect4xx(await post("/api/rule-sets/enrollment/rollback", { version: 2 ** 40 }), 400, "INVALID_BODY");
    expect4xx(
      await post("/api/rule-sets/enrollment/evaluate", { facts: {}, version: 2147483648 }),
      400,
      "INVALID_BODY",
    );
    expect4xx(await get(`/api/decisions?filter=${enc({ version: 2147483648 })}`), 400, "INVALID_FILTER");
    expect((await get("/api/rule-sets/enrollment/versions/2147483647")).status).toBe(404);
  });

  it("range offsets are bounded", async () => {
    for (const range of [
      [2 ** 63, 2 ** 63 + 10],
      [9007199254740991, 9007199254740992],
      [-1, 5],
      [0.5, 3],
    ]) {
      expect4xx(await get(`/api/employees?range=${enc(range)}`), 400, "INVALID_QUERY");
      expect4xx(await get(`/api/rule-sets?range=${enc(range)}`), 400, "INVALID_QUERY");
    }
    const res = await get("/api/employees?range=[9223372036854775807,9223372036854775808]");
    expect4xx(res, 400, "INVALID_QUERY");
    expect(res.body.params.parameter).toBe("range");
  });

  it('a malformed filter containing "id" is a 400 (the getMany shortcut)', async () => {
    const res = await get(`/api/employees?filter=${encodeURIComponent('{"id":[')}`);
    expect4xx(res, 400, "INVALID_QUERY");
    expect(res.body.params).toMatchObject({ parameter: "filter" });
    const ok = await get(`/api/employees?filter=${enc({ id: [employeeId] })}`);
    expect(ok.status).toBe(200);
    expect(ok.body.map((e: { id: string }) => e.id)).toEqual([employeeId]);
  });

  it("bad percent-encoding in a path is a 400", async () => {
    for (const path of ["/api/employees/%E0%A4%A", "/api/rule-sets/%E0%A4%A", "/api/rule-sets/a/versions/%ZZ"])
      expect4xx(await get(path), 400, "INVALID_PATH");
  });

  it("36 dashes (or any non-UUID) as an id is a 400 or a 404, never a database error", async () => {
    expect4xx(await post(`/api/employees/${DASHES}/hire`, {}), 400, "INVALID_PATH");
    expect4xx(await post(`/api/employees/${DASHES}/leave`, { leaveDate: "2025-01-31" }), 400, "INVALID_PATH");
    expect4xx(await get(`/api/monthly-runs/${DASHES}`), 400, "INVALID_PATH");
    expect4xx(await get(`/api/monthly-runs/urn:uuid:${employeeId}`), 400, "INVALID_PATH");
    expect4xx(await get(`/api/employees/${DASHES}`), 404, "NOT_FOUND");
    expect4xx(await get(`/api/employees?filter=${enc({ orgUnitId: DASHES })}`), 400, "INVALID_FILTER");
    expect4xx(await post("/api/rule-sets/enrollment/apply", { facts: {}, employeeId: DASHES }), 400, "INVALID_BODY");
  });

  it("sorting rule sets or policy tables by constructor or __proto__ is a 400", async () => {
    for (const resource of ["rule-sets", "policy-tables"])
      for (const field of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        const res = await get(`/api/${resource}?sort=${enc([field, "ASC"])}`);
        expect4xx(res, 400, "INVALID_QUERY");
        expect(res.body.params.parameter).toBe("sort");
      }
    for (const field of ["constructor", "__proto__"])
      expect4xx(await get(`/api/employees?sort=${enc([field, "ASC"])}`), 400, "INVALID_SORT");
    expect4xx(await get(`/api/employees?filter=${encodeURIComponent('{"__proto__":{"x":1}}')}`), 400, "INVALID_FILTER");
  });

  it("a custom field removed and re-added with another type: its old values are gone, lists still answer", async () => {
    const add = (schema: object) => post("/api/entities/employees/fields", { name: "badgeNo", schema });
    expect((await add({ type: "string" })).status).toBe(201);
    const created = await post("/api/employees", employee({ badgeNo: "not-a-number" }));
    expect(created.status).toBe(201);
    expect((await send("delete", "/api/entities/employees/fields/badgeNo", { headers: roles.consultant })).status).toBe(
      200,
    );
    const stored = await t.db("employees").where({ id: created.body.id }).first();
    expect(stored.custom).not.toHaveProperty("badgeNo");
    expect((await add({ type: "integer" })).status).toBe(201);
    for (const q of [
      `sort=${enc(["badgeNo", "DESC"])}`,
      `filter=${enc({ badgeNo_gte: 3 })}`,
      `filter=${enc({ badgeNo: 3 })}`,
    ])
      expect((await get(`/api/employees?${q}`)).status, q).toBe(200);
    // Even a stray value of another JSON type (written behind the API's back) does not fail the list.
    await t
      .db("employees")
      .where({ id: created.body.id })
      .update({ custom: JSON.stringify({ badgeNo: "x" }) });
    expect((await get(`/api/employees?sort=${enc(["badgeNo", "ASC"])}`)).status).toBe(200);
    expect((await get(`/api/employees?filter=${enc({ badgeNo_lt: 9 })}`)).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------
// The fuzz

/** Fixed seed and size; FUZZ_SEED / FUZZ_RUNS explore further without changing the suite. */
const SEED = Number(process.env.FUZZ_SEED ?? 8_2026);
/** Requests generated per route and method; about 2,200 in all. */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 26);

type Role = "consultant" | "hr" | "employee" | "anonymous";
interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  body?: Record<string, any>;
  bodyType: string;
}
interface Req {
  role: Role;
  method: string;
  url: string;
  /** Junk headers of this request; the role's own (its token) are added when it is sent. */
  headers: Record<string, string>;
  body?: string;
  type?: string;
}
interface Failure {
  why: string;
  req: Req;
  status: number;
  answer: string;
}

const short = (s: string | undefined, n = 300) => (s && s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/**
 * Every table's row count and the sum of its rows' xmin: any committed insert, update or delete moves
 * it, a rolled-back write does not, and nothing is serialised. Login failures are meant to be written.
 */
async function fingerprint(): Promise<string> {
  if (fingerprintSql) return quickFingerprint();
  const tables: string[] = (
    await t.db.raw(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
       AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'knex%' AND table_name <> 'login_throttle'
       ORDER BY table_name`,
    )
  ).rows.map((r: { table_name: string }) => r.table_name);
  const sql = tables
    .map(
      (n) =>
        `SELECT '${n}' AS t, count(*)::text || ':' || coalesce(sum(x.xmin::text::bigint), 0)::text AS f FROM "${n}" x`,
    )
    .join(" UNION ALL ");
  fingerprintSql = `${sql} ORDER BY t`;
  return quickFingerprint();
}
let fingerprintSql = "";
/** The next transaction id: it moves whenever any transaction (committed or not) wrote anything. */
async function xidCounter(): Promise<string> {
  const { rows } = await t.db.raw("SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x");
  return rows[0].x;
}
const diff = (a: string, b: string) => {
  const old = new Set(a.split(" "));
  return b
    .split(" ")
    .filter((x) => !old.has(x))
    .join(" ");
};
async function quickFingerprint(): Promise<string> {
  const { rows } = await t.db.raw(fingerprintSql);
  return rows.map((r: { t: string; f: string }) => `${r.t}=${r.f}`).join(" ");
}

/** encodeURIComponent, but a lone surrogate becomes its (invalid) CESU-8 bytes instead of throwing. */
const rawEnc = (s: string) =>
  s.replace(/[\s\S]/gu, (c) => {
    if (c.length === 1 && c >= "\ud800" && c <= "\udfff") {
      const u = c.charCodeAt(0);
      const hex = (b: number) => `%${b.toString(16).toUpperCase()}`;
      return hex(0xed) + hex(0xa0 | ((u >> 6) & 0x1f)) + hex(0x80 | (u & 0x3f));
    }
    return encodeURIComponent(c);
  });

const deep = (n: number, open = "[", close = "]") => `${open.repeat(n)}${close.repeat(n)}`;

const hostileString = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udbff\udbff",
  "2024-02-30",
  "0000-01-01",
  "2024-00-10",
  "1899-12-31",
  "2200-01-01",
  "+002024-01-01",
  "2024-13",
  "0000-00",
  "2024-1",
  "2024-03-01T25:00:00Z",
  "0000-01-01T00:00:00Z",
  "1234567890123.45",
  "999999999999999",
  "-0.001",
  "1e400",
  "12.345",
  "NaN",
  "Infinity",
  DASHES,
  "urn:uuid:00000000-0000-0000-0000-000000000000",
  "00000000-0000-0000-0000-000000000000",
  "",
  " ",
  "x".repeat(5000),
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "' OR 1=1 --",
  '"; drop table employees; --',
  "%E0%A4%A",
  "draft",
  "{{7*7}}",
);
const hostileNumber = fc.constantFrom(
  2147483648,
  -2147483649,
  2 ** 53 + 2,
  2 ** 63,
  1e308,
  -1e308,
  1e-320,
  0.1,
  -1,
  0,
  1.5,
  999999999999999.9,
);
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(fc.constantFrom("a", "b", "\u0000k", "\ud800", "x".repeat(300)), scalar, { maxKeys: 3 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant(JSON.parse(deep(80))),
);

/** Raw JSON texts a JS object cannot express (own `__proto__` keys) or that stress the parser. */
const rawBodies = fc.constantFrom(
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"__proto__":[],"name":"x"}',
  deep(20_000),
  `{"a":${deep(5000, '{"a":', "}").replace(/\{"a":\}/, "1")}}`,
  `[${"1,".repeat(50_000)}1]`,
  '"just a string"',
  "123",
  "null",
  "[]",
  "{",
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
  '{"\\u0000":1}',
  "\u0000",
);

/** A plausible value for a schema, so generated bodies also get past the first check and reach deeper code. */
function plausible(schema: any, ids: string[]): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== "object") return fc.constant("x");
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if ("const" in schema) return fc.constant(schema.const);
  const alt = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alt)) return fc.oneof(...alt.map((s: any) => plausible(s, ids)));
  const type = Array.isArray(schema.type) ? schema.type.find((x: string) => x !== "null") : schema.type;
  switch (type) {
    case "string":
      if (schema.format === "date") return fc.constantFrom("2024-03-01", "2025-01-31", "2024-02-29");
      if (schema.format === "month") return fc.constantFrom("2024-03", "2025-01");
      if (schema.format === "decimal") return fc.constantFrom("12000.00", "0.01", "35283");
      if (schema.format === "uuid") return fc.constantFrom(...ids);
      if (schema.format === "date-time") return fc.constant("2024-03-01T08:00:00Z");
      if (schema.pattern === "^\\d{6}$" || String(schema.pattern).startsWith("^[1-9]")) return fc.constant("110000");
      if (schema.pattern) return fc.constantFrom("fuzz-key", "abc");
      return fc.string({ maxLength: 20 });
    case "integer":
      return fc.integer({ min: 0, max: 3 });
    case "number":
      return fc.constantFrom(0, 1.5, 12000);
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.constant([]);
    case "object":
      return fc.constant({});
    default:
      return fc.constant(null);
  }
}

function bodyArbitrary(op: Operation, ids: string[]): fc.Arbitrary<{ body?: string; type?: string }> {
  const props: Record<string, any> = op.body?.properties ?? {};
  const names = Object.keys(props);
  const fieldValue = (name: string) => fc.oneof(plausible(props[name], ids), hostileValue);
  const objectBody =
    names.length > 0
      ? fc.record(Object.fromEntries(names.map((n) => [n, fieldValue(n)])), { requiredKeys: [] }).chain((o) =>
          fc
            .option(fc.tuple(fc.constantFrom("unknownField", "__proto__", "constructor", "id"), hostileValue), {
              nil: undefined,
            })
            .map((extra) => {
              const text = JSON.stringify(o);
              if (!extra) return text;
              const more = `${JSON.stringify(extra[0])}:${JSON.stringify(extra[1]) ?? "null"}`;
              return text === "{}" ? `{${more}}` : `${text.slice(0, -1)},${more}}`;
            }),
        )
      : fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 4 }).map((o) => JSON.stringify(o));
  // Every field plausible but one: gets past the first checks to the services and the database.
  const oneHostile =
    names.length > 0
      ? fc
          .tuple(
            fc.record(Object.fromEntries(names.map((n) => [n, plausible(props[n], ids)]))),
            fc.constantFrom(...names),
            hostileValue,
          )
          .map(([o, name, v]) => JSON.stringify({ ...o, [name]: v }))
      : objectBody;
  const json = (a: fc.Arbitrary<string | undefined>) => a.map((body) => ({ body, type: op.bodyType }));
  return fc.oneof(
    { weight: 4, arbitrary: json(objectBody) },
    { weight: 4, arbitrary: json(oneHostile) },
    { weight: 2, arbitrary: json(rawBodies) },
    { weight: 1, arbitrary: json(hostileValue.map((v) => JSON.stringify(v) ?? "null")) },
    { weight: 1, arbitrary: fc.constant({ body: "a,b\n\u0000,\ud800\n", type: "text/csv" }) },
    { weight: 1, arbitrary: fc.constant({ body: '{"a":1}', type: "text/plain" }) },
    { weight: 1, arbitrary: fc.constant({ body: undefined, type: undefined }) },
  );
}

const jsonQuery = fc.constantFrom(
  enc(["constructor", "ASC"]),
  enc(["__proto__", "DESC"]),
  enc(["id", "UP"]),
  enc([1, 2]),
  enc(["name", "ASC", "x"]),
  enc({}),
  enc("x"),
  "[0,9223372036854775807]",
  "[9223372036854775807,9223372036854775808]",
  enc([2147483648, 2147483650]),
  enc([-1, 5]),
  enc([0.5, 2]),
  enc([5, 1]),
  enc([0, 1e308]),
  encodeURIComponent('{"id":['),
  enc({ id: [DASHES] }),
  enc({ id: DASHES }),
  enc({ hireDate: "2024-02-30" }),
  enc({ hireDate_gte: "0000-01-01" }),
  enc({ monthlyWage_gte: "12345678901234567890" }),
  enc({ monthlyWage: 1e308 }),
  enc({ version: 2147483648 }),
  enc({ createdAt_gte: "0000-01-01T00:00:00Z" }),
  enc({ q: "\u0000" }),
  encodeURIComponent('{"q":"\\ud800"}'),
  encodeURIComponent('{"__proto__":{"x":1}}'),
  enc({ constructor: 1 }),
  enc({ status: ["a", { b: 1 }] }),
  enc({ q: "x".repeat(1000) }),
  enc({ q: 5 }),
  enc({ name: null, status_neq: null }),
  encodeURIComponent(deep(100)),
  "%",
  "%zz",
  "%00",
  "%E0%A4%A",
);
const queryValue = fc.oneof(
  jsonQuery,
  hostileString.map(rawEnc),
  hostileNumber.map(String),
  fc.string({ unit: "binary", maxLength: 10 }).map(rawEnc),
);

function queryArbitrary(op: Operation, fieldNames: string[]): fc.Arbitrary<string> {
  const names = [...new Set([...op.queryParams, "sort", "range", "filter", "q", "wait", "revision", "version"])];
  const filterFromFields = fc
    .dictionary(
      fc.constantFrom(...fieldNames.flatMap((f) => [f, `${f}_gte`, `${f}_lt`, `${f}_neq`])),
      fc.oneof(hostileValue, fc.array(hostileValue, { maxLength: 3 })),
      { minKeys: 1, maxKeys: 3 },
    )
    .map((f) => `filter=${enc(f)}`);
  const pair = fc.tuple(fc.constantFrom(...names), queryValue).map(([n, v]) => `${n}=${v}`);
  return fc.oneof(
    fc.array(pair, { maxLength: 4 }).map((pairs) => pairs.join("&")),
    filterFromFields,
    fc.constant("sort=a&sort=b&range=[0,1]&range=[0,2]"),
  );
}

function pathArbitrary(op: Operation, good: Record<string, string[]>): fc.Arbitrary<string> {
  const hostile = fc.constantFrom(
    DASHES,
    "%E0%A4%A",
    "%00",
    "%ED%A0%80",
    "%ZZ",
    "2147483648",
    "9223372036854775808",
    "-1",
    "0",
    "1e3",
    "draft",
    "constructor",
    "__proto__",
    "x".repeat(300),
    "urn:uuid:00000000-0000-0000-0000-000000000000",
    "00000000-0000-0000-0000-000000000000",
    "A%2FB",
    "%2e%2e",
    "%20",
  );
  const segments = op.pathParams.map((p) =>
    fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...(good[p] ?? ["x"])) }, { weight: 3, arbitrary: hostile }),
  );
  return fc.tuple(...segments).map((values) => {
    let path = op.path;
    op.pathParams.forEach((p, i) => {
      path = path.replace(`{${p}}`, values[i]!);
    });
    return path;
  });
}

const junkHeaders = fc.constantFrom<Record<string, string>>(
  { authorization: "Bearer " },
  { authorization: "Bearer x.y.z" },
  { authorization: "Basic YWRtaW46YWRtaW4=" },
  { authorization: `Bearer ${"a".repeat(8000)}` },
  { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." },
  { "x-tenant": "retail" },
  { "x-tenant": "nope" },
  { "x-tenant": "" },
  { "x-tenant": "../demo" },
  { "x-tenant": "x".repeat(300) },
  { "x-tenant": "demo,retail" },
  { "accept-language": "zh-CN" },
);

describe("fuzz: every route and method of the OpenAPI document", () => {
  it("answers no 500 and leaves the database unchanged on every 4xx", { timeout: 240_000 }, async () => {
    const doc = (await send("get", "/api/openapi.json", { headers: roles.consultant })).body;
    const resolve = (s: any) => (s?.$ref ? doc.components.schemas[s.$ref.split("/").pop()] : s);
    const ops: Operation[] = [];
    for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths))
      for (const [method, op] of Object.entries<any>(methods)) {
        const params: any[] = op.parameters ?? [];
        const content = op.requestBody?.content ?? {};
        const [bodyType] = Object.keys(content);
        ops.push({
          method,
          path,
          pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
          queryParams: params.filter((p) => p.in === "query").map((p) => p.name),
          body: bodyType ? resolve(content[bodyType].schema) : undefined,
          bodyType: bodyType ?? "application/json",
        });
      }
    expect(ops.length).toBeGreaterThan(50);

    const ruleSets = (await send("get", "/api/rule-sets", { headers: roles.consultant })).body.map((r: any) => r.key);
    const tables = (await send("get", "/api/policy-tables", { headers: roles.consultant })).body.map((r: any) => r.key);
    const entityNames = (await send("get", "/api/entities", { headers: roles.consultant })).body.map(
      (e: any) => e.name,
    );
    const ids = [employeeId, (await send("get", "/api/org-units", { headers: roles.consultant })).body[0].id];
    const good: Record<string, string[]> = {
      id: ids,
      key: [...ruleSets.slice(0, 2), ...tables.slice(0, 2)],
      version: ["1", "2"],
      a: ["1", "draft"],
      b: ["2", "draft"],
      entity: entityNames,
      field: ["badgeNo", "shoeSize"],
    };
    const fieldNames = [
      ...new Set(Object.values<any>(doc.components.schemas).flatMap((s) => Object.keys(s.properties ?? {}))),
      "id",
      "q",
    ];

    const requests: Req[] = [];
    ops.forEach((op, i) => {
      const arb = fc.record({
        role: fc.constantFrom<Role>("consultant", "consultant", "consultant", "hr", "hr", "employee", "anonymous"),
        path: pathArbitrary(op, good),
        query: queryArbitrary(op, fieldNames),
        body: bodyArbitrary(op, ids),
        headers: fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: junkHeaders }),
      });
      for (const r of fc.sample(arb, { seed: SEED + i, numRuns: RUNS_PER_OPERATION })) {
        const withBody = op.method !== "get" && r.body.body !== undefined;
        requests.push({
          role: r.role,
          method: op.method,
          url: `${r.path}${r.query ? `?${r.query}` : ""}`,
          headers: r.headers,
          body: withBody ? r.body.body : undefined,
          type: withBody ? r.body.type : undefined,
        });
      }
    });

    const failures: Failure[] = [];
    const statuses = new Map<number, number>();
    let fetchMs = 0;
    const run = async (req: Req) => {
      const t0 = performance.now();
      const headers = { ...roles[req.role], ...req.headers };
      const res = await send(req.method, req.url, { headers, body: req.body, type: req.type });
      fetchMs += performance.now() - t0;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push({ why: "5xx", req, status: res.status, answer: res.text });
      if (res.status < 400) await t.ctx.jobs.drain();
      // A logout that went through revoked the role's token: log that role in again.
      if (res.status < 400 && req.role !== "anonymous" && /^\/api\/auth\/(logout|password)/.test(req.url))
        roles[req.role] = await freshLogin(req.role);
      return res.status;
    };
    const started = Date.now();
    let before = await fingerprint();
    let counter = await xidCounter();
    for (const req of requests) {
      const status = await run(req);
      // No transaction id handed out: nothing was written, so the full fingerprint cannot have moved.
      const now = await xidCounter();
      if (now === counter) continue;
      counter = now;
      const after = await fingerprint();
      if (status >= 400 && after !== before)
        failures.push({ why: `partial write on a ${status}`, req, status, answer: diff(before, after) });
      before = after;
      counter = await xidCounter();
    }
    const seconds = (Date.now() - started) / 1000;
    console.info(
      `fuzz: ${requests.length} requests over ${ops.length} operations in ${seconds.toFixed(1)} s` +
        ` (${(fetchMs / 1000).toFixed(1)} s answering);`,
      Object.fromEntries([...statuses].sort((x, y) => x[0] - y[0])),
    );
    const report = failures
      .slice(0, 15)
      .map(
        (f) =>
          `${f.why}: ${f.status} ${f.req.method.toUpperCase()} ${short(f.req.url, 200)} as ${f.req.role}` +
          ` headers=${short(JSON.stringify({ ...f.req.headers, authorization: undefined }), 100)}` +
          ` body=${short(f.req.body, 200)} -> ${short(f.answer, 200)}`,
      )
      .join("\n");
    expect(failures.length, `${failures.length} failures:\n${report}`).toBe(0);
    expect(requests.length).toBeGreaterThanOrEqual(Math.min(2000, ops.length * RUNS_PER_OPERATION));
    // Most requests must get past authentication, or the fuzz tests little.
    const authFailures = (statuses.get(401) ?? 0) + (statuses.get(403) ?? 0);
    expect(authFailures).toBeLessThan(requests.length * 0.5);
  });
});
