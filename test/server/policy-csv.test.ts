/** Data in and out of policy tables: spreadsheet-safe export, strict import, lists without rows. */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let admin: Record<string, string>;
const base = "/api/policy-tables/labels";
const HEADER = "code,label,factor,effectiveFrom,effectiveTo,source,confidence,note";
const row = (code: string, label: string, factor: number) => ({
  key: { code },
  values: { label, factor },
  effectiveFrom: "2025-01-01",
  effectiveTo: null,
  source: "test",
  confidence: "H",
});
const rows = [
  row("=1+1", "+SUM(A1:A9)", -12.5),
  row("@cmd", "-2+3", 3),
  row("tab", "\t=HYPERLINK(1)", 0),
  row("quoted", "'=already quoted", 1),
  row("plain", "Beijing", 2.25),
];

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.admin();
  const created = await t
    .request()
    .post("/api/policy-tables")
    .set(admin)
    .send({
      key: "labels",
      name: "Labels",
      keyColumns: { code: { type: "string" } },
      valueColumns: { label: { type: "string" }, factor: { type: "number" } },
      rows,
    });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});
afterAll(() => t.close());

const importCsv = (csv: string) =>
  t.request().post(`${base}/import`).set(admin).set("content-type", "text/csv").send(csv);

async function expectRefused(csv: string, line: number, column: string) {
  const before = (await t.request().get(base).set(admin)).body;
  const res = await importCsv(csv);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.code).toBe("INVALID_CSV");
  expect(res.body.details.errors).toContainEqual(expect.objectContaining({ line, column }));
  expect(res.body.params).toMatchObject({ line, column });
  const after = (await t.request().get(base).set(admin)).body;
  expect({ revision: after.revision, rows: after.rows }).toEqual({ revision: before.revision, rows: before.rows });
  return res.body.details.errors as { line: number; column: string; message: string }[];
}

describe("policy-table CSV export", () => {
  it(
    "writes a cell that a spreadsheet would run as a formula " + "with a leading ', plain numbers as they are",
    async () => {
      const res = await t.request().get(`${base}/export`).set(admin);
      expect(res.status).toBe(200);
      const cells = parse(res.text) as string[][];
      expect(cells[0]!.join(",")).toBe(HEADER);
      const byCode = Object.fromEntries(cells.slice(1).map((c) => [c[0], c]));
      expect(byCode["'=1+1"]).toBeDefined();
      expect(byCode["'=1+1"]![1]).toBe("'+SUM(A1:A9)");
      expect(byCode["'=1+1"]![2]).toBe("-12.5");
      expect(byCode["'@cmd"]![1]).toBe("'-2+3");
      expect(byCode.tab![1]).toBe("'\t=HYPERLINK(1)");
      expect(byCode.quoted![1]).toBe("''=already quoted");
      expect(byCode.plain![1]).toBe("Beijing");
      for (const c of cells.slice(1).flat()) expect(c).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);
    },
  );

  it("re-imports its own export to the same rows", async () => {
    const exported = await t.request().get(`${base}/export`).set(admin);
    const res = await importCsv(exported.text);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await t.request().get(base).set(admin)).body.rows).toEqual(rows);
  });
});

describe("policy-table CSV import", () => {
  it("refuses a non-finite number (1e309, 400 digits, NaN, Infinity) with its line and column", async () => {
    for (const bad of ["1e309", "9".repeat(400), "NaN", "Infinity", "-Infinity"]) {
      const errors = await expectRefused(
        `${HEADER}\nplain,x,1,2025-01-01,,t,H,\nbig,y,${bad},2025-01-01,,t,H,\n`,
        3,
        "factor",
      );
      expect(errors).toHaveLength(1);
    }
    // A finite exponent is a number.
    const ok = await importCsv(`${HEADER}\nplain,x,1e3,2025-01-01,,t,H,\n`);
    expect(ok.status).toBe(200);
    expect((await t.request().get(base).set(admin)).body.rows[0].values.factor).toBe(1000);
  });

  it("refuses a repeated header", async () => {
    const errors = await expectRefused(
      "code,label,factor,label,effectiveFrom,effectiveTo,source,confidence,note\nplain,x,1,y,2025-01-01,,t,H,\n",
      1,
      "label",
    );
    expect(errors[0]!.message).toMatch(/more than once/);
  });

  it("refuses a NUL byte with its line and column, answering 400 rather than failing the write", async () => {
    await expectRefused(`${HEADER}\nplain,x,1,2025-01-01,,t,H,\nnul,a\u0000b,2,2025-01-01,,t,H,\n`, 3, "label");
    await expectRefused(`${HEADER}\nplain,x,1,2025-01-01,,t,H,bad\u0000note\n`, 2, "note");
  });

  it("a JSON save refuses 1e309 too (JSON reads it as Infinity and would store null)", async () => {
    const current = (await t.request().get(base).set(admin)).body;
    const body = JSON.stringify({ revision: current.revision, rows: [row("big", "x", 1)] }).replace(
      '"factor":1',
      '"factor":1e309',
    );
    const res = await t.request().put(base).set(admin).set("content-type", "application/json").send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_POLICY_TABLE");
    expect(res.body.details.errors).toContainEqual(expect.objectContaining({ pointer: "/rows/0/values/factor" }));
    expect((await t.request().get(base).set(admin)).body.revision).toBe(current.revision);
  });
});

describe("policy-table list", () => {
  it("answers each table without its rows, with a row count; the single table keeps its rows", async () => {
    const list = await t.request().get("/api/policy-tables?range=[0,99]").set(admin);
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(1);
    for (const rec of list.body) {
      expect(rec.rows).toBeUndefined();
      expect(rec.keyColumns).toEqual(expect.any(Object));
      const one = (await t.request().get(`/api/policy-tables/${rec.key}`).set(admin)).body;
      expect(one.rows.length).toBeGreaterThan(0);
      expect(rec.rowCount).toBe(one.rows.length);
    }
  });
});
