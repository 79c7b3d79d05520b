/** Custom reports: specs checked against their dataset, one statement per run, totals, exports, roles. */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { startTestApp, type TestApp } from "../support/app";
import { enc, total } from "../support/http";
import { BUILTIN_REPORTS } from "../../server/reports/builtin";
import { runDemoActivity } from "../../server/demo-activity";

let t: TestApp;
let tenantId: string;
let first: string;
let last: string;

const sum = (rows: Record<string, unknown>[], key: string) =>
  rows.reduce((acc, r) => acc.plus(String(r[key] ?? 0)), new Decimal(0)).toFixed(2);

/** Supertest parser for binary answers (XLSX). */
const binary = (
  res: NodeJS.ReadableStream & { setEncoding(e: string): void },
  cb: (e: Error | null, b: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
};

beforeAll(async () => {
  t = await startTestApp();
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first("id")).id;
  // The demo's history: enrolments, four monthly runs, paid and not-received months.
  await runDemoActivity(t.ctx, "2026-11-25");
  const range = await t.db("contributions").where({ tenant_id: tenantId }).min({ a: "month" }).max({ b: "month" });
  first = range[0]!.a;
  last = range[0]!.b;
  expect(first).toBeTruthy();
});
afterAll(() => t.close());

describe("built-in reports", () => {
  it("are installed in the demo tenant, one saved report each", async () => {
    const res = await t
      .request()
      .get("/api/reports")
      .set(await t.admin());
    expect(res.status).toBe(200);
    expect(total(res)).toBe(BUILTIN_REPORTS.length);
    expect(res.body.map((r: { key: string }) => r.key).sort()).toEqual(BUILTIN_REPORTS.map((b) => b.key).sort());
  });

  it("cost per city by month: every cell and the totals equal the ledger rows they cover", async () => {
    const res = await t
      .request()
      .post("/api/reports/cost-by-city-month/run")
      .set(await t.admin())
      .send({ params: { from: first, through: last } });
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: { key: string }) => c.key)).toEqual([
      "city",
      "month",
      "employer",
      "employee",
      "total",
    ]);
    const ledger = await t
      .db("contributions")
      .where({ tenant_id: tenantId })
      .whereBetween("month", [first, last])
      .select("city", "month", "employer", "employee");
    const groups = new Map<string, { employer: Decimal; employee: Decimal }>();
    for (const r of ledger) {
      const k = `${r.city}|${r.month}`;
      const g = groups.get(k) ?? { employer: new Decimal(0), employee: new Decimal(0) };
      g.employer = g.employer.plus(r.employer);
      g.employee = g.employee.plus(r.employee);
      groups.set(k, g);
    }
    expect(res.body.rows).toHaveLength(groups.size);
    for (const row of res.body.rows) {
      const g = groups.get(`${row.city}|${row.month}`)!;
      expect(row.employer).toBe(g.employer.toFixed(2));
      expect(row.employee).toBe(g.employee.toFixed(2));
      expect(row.total).toBe(g.employer.plus(g.employee).toFixed(2));
    }
    expect(res.body.totals.employer).toBe(sum(ledger, "employer"));
    expect(res.body.totals.employee).toBe(sum(ledger, "employee"));
    // Rows come sorted by the dimensions.
    const keys = res.body.rows.map((r: { city: string; month: string }) => `${r.city}|${r.month}`);
    expect(keys).toEqual([...keys].sort());
  });

  it("the ledger includes 差额补缴 adjustments as rows of their own kind", async () => {
    const row = await t.db("contributions").where({ tenant_id: tenantId, month: last }).first();
    const before = await t
      .request()
      .post("/api/reports/cost-by-city-month/run")
      .set(await t.admin())
      .send({ params: { from: last, through: last } });
    await t.db("contribution_adjustments").insert({
      tenant_id: tenantId,
      contribution_id: row.id,
      employee_id: row.employee_id,
      month: row.month,
      city: row.city,
      policy_table: "si-base-limits",
      policy_version: 99,
      base_before: row.base,
      base_after: row.base,
      employer: "97.76",
      employee: "40.00",
    });
    const after = await t
      .request()
      .post("/api/reports/cost-by-city-month/run")
      .set(await t.admin())
      .send({ params: { from: last, through: last } });
    expect(after.body.totals.employer).toBe(new Decimal(before.body.totals.employer).plus("97.76").toFixed(2));
    expect(after.body.totals.employee).toBe(new Decimal(before.body.totals.employee).plus("40.00").toFixed(2));
    const kinds = await t
      .request()
      .post("/api/reports/run")
      .set(await t.admin())
      .set("Accept-Language", "zh-CN")
      .send({
        spec: {
          dataset: "contributions",
          filters: { all: [{ fact: "kind", operator: "equal", value: "adjustment" }] },
          dimensions: [{ field: "kind" }],
          measures: [{ fn: "sum", field: "employer", key: "employer" }],
        },
      });
    expect(kinds.body.rows).toEqual([{ kind: "adjustment", employer: "97.76" }]);
    expect(kinds.body.columns[0].labels.adjustment).toBe("差额补缴");
    await t.db("contribution_adjustments").where({ tenant_id: tenantId, policy_version: 99 }).delete();
  });

  it("monthly detail per insurance adds up to the month's ledger", async () => {
    const res = await t
      .request()
      .post("/api/reports/monthly-contribution-detail/run")
      .set(await t.admin())
      .send({ params: { month: last } });
    expect(res.status).toBe(200);
    const ledger = await t
      .db("contributions")
      .where({ tenant_id: tenantId, month: last })
      .select("employer", "employee");
    expect(res.body.totals.employer).toBe(sum(ledger, "employer"));
    expect(res.body.totals.employee).toBe(sum(ledger, "employee"));
    expect(res.body.rows.every((r: { insurance: string }) => typeof r.insurance === "string")).toBe(true);
    const insurance = res.body.columns.find((c: { key: string }) => c.key === "insurance");
    expect(insurance.labels.pension).toBe("Pension");
  });

  it("headcount by city counts active employees and those insured", async () => {
    const res = await t
      .request()
      .post("/api/reports/headcount-by-city/run")
      .set(await t.admin())
      .send({});
    expect(res.status).toBe(200);
    const active = await t.db("employees").where({ tenant_id: tenantId, status: "active" }).count({ n: "*" });
    expect(res.body.totals.headcount).toBe(Number(active[0]!.n));
    const insured = await t
      .db("employees as e")
      .where({ "e.tenant_id": tenantId, "e.status": "active" })
      .whereExists((q) =>
        q
          .from("enrollments as n")
          .whereRaw("n.tenant_id = e.tenant_id AND n.employee_id = e.id")
          .andWhere("n.status", "active"),
      )
      .count({ n: "*" });
    expect(res.body.totals.insured).toBe(Number(insured[0]!.n));
    const heads = res.body.rows.map((r: { headcount: number }) => r.headcount);
    expect(heads).toEqual([...heads].sort((a: number, b: number) => b - a));
  });

  it("every built-in runs on the demo tenant", async () => {
    for (const b of BUILTIN_REPORTS) {
      const params = Object.fromEntries(
        Object.entries(b.spec.params ?? {}).map(([k, p]) => [k, p.type === "month" ? last : p.default]),
      );
      const res = await t
        .request()
        .post(`/api/reports/${b.key}/run`)
        .set(await t.admin())
        .send({ params });
      expect(res.status, `${b.key}: ${JSON.stringify(res.body)}`).toBe(200);
    }
  });
});

describe("datasets", () => {
  it("the outbox and the region above each org unit are reportable", async () => {
    const h = await t.admin();
    const outbox = await t
      .request()
      .post("/api/reports/run")
      .set(h)
      .send({
        spec: { dataset: "notifications", dimensions: [{ field: "status" }], measures: [{ fn: "count", key: "n" }] },
      });
    expect(outbox.status, JSON.stringify(outbox.body)).toBe(200);
    const queued = Number((await t.db("notifications").where({ tenant_id: tenantId }).count({ n: "*" }))[0]!.n);
    expect(outbox.body.totals?.n ?? 0).toBe(queued);
    const regions = await t
      .request()
      .post("/api/reports/cost-by-region-month/run")
      .set(h)
      .send({ params: { from: first, through: last } });
    expect(regions.status).toBe(200);
    const ledger = await t
      .db("contributions")
      .where({ tenant_id: tenantId })
      .whereBetween("month", [first, last])
      .select("employer");
    expect(regions.body.totals.employer).toBe(sum(ledger, "employer"));
  });
});

describe("checking specs", () => {
  const run = async (spec: unknown, lang = "en", params?: Record<string, unknown>) =>
    t
      .request()
      .post("/api/reports/run")
      .set(await t.admin())
      .set("Accept-Language", lang)
      .send({ spec, ...(params ? { params } : {}) });

  it("an unknown field is a 400 naming /spec/dimensions/0/field, in Chinese too", async () => {
    const spec = { dataset: "contributions", dimensions: [{ field: "salary" }], measures: [{ fn: "count" }] };
    const res = await run(spec);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_REPORT");
    expect(res.body.params.pointer).toBe("/spec/dimensions/0/field");
    expect(res.body.errors["/spec/dimensions/0/field"]).toMatch(/salary/);
    const zh = await run(spec, "zh-CN");
    expect(zh.body.message).toContain("/spec/dimensions/0/field");
    expect(zh.body.message).toMatch(/没有字段“salary”/);
  });

  it("a measure on a non-numeric field is a 400 at its field", async () => {
    const res = await run({ dataset: "employees", measures: [{ fn: "sum", field: "employeeName" }] });
    expect(res.status).toBe(400);
    expect(res.body.params.pointer).toBe("/spec/measures/0/field");
  });

  it("a time bucket on a text field, a bad filter value and a sort on nothing are each named", async () => {
    const res = await run({
      dataset: "contributions",
      dimensions: [{ field: "city", bucket: "month" }],
      measures: [{ fn: "count" }],
      filters: { all: [{ fact: "status", operator: "equal", value: "lost" }] },
      sort: [{ key: "nothing" }],
    });
    expect(res.status).toBe(400);
    const pointers = res.body.details.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(["/spec/dimensions/0/bucket", "/spec/filters/all/0/value", "/spec/sort/0/key"]);
  });

  it("a parameter of the wrong type, an unknown one and a missing one are 400s at /params/…", async () => {
    const spec = {
      dataset: "contributions",
      params: { from: { type: "month" } },
      filters: { all: [{ fact: "month", operator: "greaterThanInclusive", value: { param: "from" } }] },
      measures: [{ fn: "count" }],
    };
    const wrong = await run(spec, "en", { from: "2025-13" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe("INVALID_REPORT_PARAMS");
    expect(wrong.body.params.pointer).toBe("/params/from");
    const missing = await run(spec);
    expect(missing.status).toBe(400);
    expect(missing.body.params.pointer).toBe("/params/from");
    const unknown = await run(spec, "en", { from: "2025-01", city: "110000" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.params.pointer).toBe("/params/city");
    const typeClash = await run({
      dataset: "contributions",
      params: { n: { type: "number", default: 1 } },
      filters: { all: [{ fact: "month", operator: "equal", value: { param: "n" } }] },
      measures: [{ fn: "count" }],
    });
    expect(typeClash.status).toBe(400);
    expect(typeClash.body.params.pointer).toBe("/spec/filters/all/0/value/param");
  });

  it("values are bound, never SQL: a quote in a filter matches nothing and breaks nothing", async () => {
    const res = await run({
      dataset: "employees",
      filters: { all: [{ fact: "employeeName", operator: "equal", value: "x'; DROP TABLE employees; --" }] },
      measures: [{ fn: "count", key: "n" }],
    });
    expect(res.status).toBe(200);
    expect(res.body.rows[0].n).toBe(0);
    expect(Number((await t.db("employees").count({ n: "*" }))[0]!.n)).toBeGreaterThan(0);
    // A field name cannot carry SQL either: the schema refuses it before anything is compiled.
    const bad = await run({ dataset: "employees", dimensions: [{ field: "name); DROP" }], measures: [] });
    expect(bad.status).toBe(400);
  });

  it("filters combine all / any / not and in lists as json-rules-engine reads them", async () => {
    const spec = {
      dataset: "contributions",
      filters: {
        all: [
          { any: [{ fact: "city", operator: "in", value: ["110000", "310000"] }] },
          { not: { fact: "status", operator: "equal", value: "paid" } },
          { fact: "month", operator: "equal", value: last },
        ],
      },
      measures: [
        { fn: "count", key: "n" },
        { fn: "sum", field: "employer", key: "employer" },
      ],
    };
    const res = await run(spec);
    expect(res.status).toBe(200);
    const ledger = await t
      .db("contributions")
      .where({ tenant_id: tenantId, month: last })
      .whereIn("city", ["110000", "310000"])
      .whereNot("status", "paid")
      .select("employer");
    expect(res.body.rows[0].n).toBe(ledger.length);
    expect(res.body.rows[0].employer).toBe(ledger.length ? sum(ledger, "employer") : null);
  });

  it("time buckets group months into quarters, years and base years", async () => {
    const res = await run({
      dataset: "contributions",
      dimensions: [
        { field: "month", bucket: "quarter" },
        { field: "month", bucket: "baseYear" },
      ],
      measures: [{ fn: "countDistinct", field: "month", key: "months" }],
    });
    expect(res.status).toBe(200);
    for (const row of res.body.rows) {
      expect(row.month_quarter).toMatch(/^\d{4}-Q[1-4]$/);
      expect(row.month_baseYear).toMatch(/^\d{4}$/);
      expect(row.months).toBeLessThanOrEqual(3);
    }
  });
});

describe("saved reports", () => {
  it("a consultant creates, saves and diffs; HR runs but cannot write; employees cannot read", async () => {
    const h = await t.admin();
    const spec = {
      dataset: "contributions",
      dimensions: [{ field: "city" }],
      measures: [{ fn: "sum", field: "employer", key: "employer" }],
      chart: { type: "bar", x: "city", y: ["employer"] },
    };
    const created = await t
      .request()
      .post("/api/reports")
      .set(h)
      .send({ key: "employer-by-city", name: "单位缴费按城市", ...spec });
    expect(created.status).toBe(201);
    expect((await t.request().post("/api/reports/employer-by-city/publish").set(h).send({})).status).toBe(201);
    const saved = await t
      .request()
      .put("/api/reports/employer-by-city")
      .set(h)
      .send({ revision: created.body.revision, dimensions: [{ field: "city" }, { field: "month" }] });
    expect(saved.status).toBe(200);
    const stale = await t
      .request()
      .put("/api/reports/employer-by-city")
      .set(h)
      .send({ revision: created.body.revision, dimensions: [{ field: "city" }] });
    expect(stale.status).toBe(409);
    const diff = await t.request().get("/api/reports/employer-by-city/versions/1/diff/draft").set(h);
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([{ op: "added", pointer: "/dimensions/1", after: { field: "month" } }]);
    const invalid = await t
      .request()
      .put("/api/reports/employer-by-city")
      .set(h)
      .send({ revision: saved.body.revision, measures: [{ fn: "avg", field: "city" }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.params.pointer).toBe("/measures/0/field");

    const hr = await t.hr();
    expect((await t.request().post("/api/reports/employer-by-city/run").set(hr).send({})).status).toBe(200);
    expect(
      (
        await t
          .request()
          .post("/api/reports")
          .set(hr)
          .send({ key: "x", name: "x", ...spec })
      ).status,
    ).toBe(403);
    const employee = await t.employee();
    expect((await t.request().get("/api/reports").set(employee)).status).toBe(403);
    expect((await t.request().post("/api/reports/run").set(employee).send({ spec })).status).toBe(403);
  });

  it("runs only the tenant's own rows", async () => {
    const spec = { dataset: "employees", measures: [{ fn: "count", key: "n" }] };
    const demo = await t
      .request()
      .post("/api/reports/run")
      .set(await t.admin())
      .send({ spec });
    const retail = await t
      .request()
      .post("/api/reports/run")
      .set(await t.admin("retail"))
      .send({ spec });
    const retailId = (await t.db("tenants").where({ slug: "retail" }).first("id")).id;
    const count = async (id: string) =>
      Number((await t.db("employees").where({ tenant_id: id }).count({ n: "*" }))[0]!.n);
    expect(demo.body.rows[0].n).toBe(await count(tenantId));
    expect(retail.body.rows[0].n).toBe(await count(retailId));
    expect(demo.body.rows[0].n).not.toBe(retail.body.rows[0].n);
  });
});

describe("exports", () => {
  beforeAll(async () => {
    await t.db("employees").insert({
      tenant_id: tenantId,
      employee_no: '=HYPERLINK("http://x")',
      name: "@SUM(A1:A9)",
      insured_city: "110000",
      hire_date: "2024-01-01",
      monthly_wage: "10000.00",
      employment_type: "full_time",
    });
    const h = await t.admin();
    const res = await t
      .request()
      .post("/api/reports")
      .set(h)
      .send({
        key: "people",
        name: "People",
        dataset: "employees",
        dimensions: [{ field: "employeeNo" }, { field: "employeeName" }, { field: "employeeCity" }],
        measures: [{ fn: "sum", field: "monthlyWage", key: "wage" }],
      });
    expect(res.status).toBe(201);
  });

  it("CSV streams every row with a BOM, labels in the reader language, escaped formulas, total last", async () => {
    const res = await t
      .request()
      .get(`/api/reports/people/export?format=csv&params=${enc({})}`)
      .set(await t.admin())
      .set("Accept-Language", "zh-CN");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/csv/);
    expect(res.headers["content-disposition"]).toMatch(/attachment; filename="people-/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const lines = res.text.slice(1).trim().split("\n");
    expect(lines[0]).toBe("工号,姓名,员工参保城市,合计月工资");
    const n = Number((await t.db("employees").where({ tenant_id: tenantId }).count({ n: "*" }))[0]!.n);
    expect(lines).toHaveLength(n + 2);
    expect(res.text).toContain(`"'=HYPERLINK(""http://x"")",'@SUM(A1:A9),北京`);
    const wages = await t.db("employees").where({ tenant_id: tenantId }).select("monthly_wage");
    expect(lines.at(-1)).toBe(`合计,,,${sum(wages, "monthly_wage")}`);
  });

  it("XLSX holds the same rows, amounts as numbers", async () => {
    const res = await t
      .request()
      .get("/api/reports/people/export?format=xlsx")
      .set(await t.admin())
      .buffer(true)
      .parse(binary as never);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const sheet = wb.worksheets[0]!;
    const n = Number((await t.db("employees").where({ tenant_id: tenantId }).count({ n: "*" }))[0]!.n);
    expect(sheet.rowCount).toBe(n + 2);
    expect(sheet.getRow(1).getCell(1).value).toBe("Employee no.");
    expect(typeof sheet.getRow(2).getCell(4).value).toBe("number");
    expect(sheet.getRow(n + 2).getCell(1).value).toBe("Total");
  });

  it("streams through a cursor a few rows at a time, and a bad parameter is a JSON 400 before any byte", async () => {
    const chunks: string[] = [];
    const { Writable } = await import("node:stream");
    const out = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const spec = await t.ctx
      .db("documents")
      .where({ tenant_id: tenantId, kind: "report", key: "people" })
      .first("draft");
    const { ReportService } = await import("../../server/reports/service");
    const { rows } = await new ReportService().export(t.db, tenantId, spec.draft, {}, "en", "csv", out, 3);
    const n = Number((await t.db("employees").where({ tenant_id: tenantId }).count({ n: "*" }))[0]!.n);
    expect(rows).toBe(n);
    expect(chunks.join("").trim().split("\n")).toHaveLength(n + 2);
    const bad = await t
      .request()
      .get(`/api/reports/cost-by-city-month/export?params=${enc({ from: "soon" })}`)
      .set(await t.admin());
    expect(bad.status).toBe(400);
    expect(bad.body.params.pointer).toBe("/params/from");
  });
});
