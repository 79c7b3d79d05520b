import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { startTestApp, type TestApp } from "../support/app";
import { newEmployee } from "../support/factories";
import { total } from "../support/http";

// 增减员 for Beijing (110000), October 2025: two hires and a leave of the month; around them changes that
// do not belong (another month, another city, a base adjustment of the month).
let t: TestApp;
let h: Record<string, string>;
type Row = Record<string, any>;

async function employee(no: string, extra: Record<string, unknown>) {
  const res = await t.request().post("/api/employees").set(h).send(newEmployee(no, extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
async function op(id: string, path: string, body: Record<string, unknown>) {
  const res = await t.request().post(`/api/employees/${id}/${path}`).set(h).send(body);
  expect(res.status).toBe(200);
}
const post = (body: Record<string, unknown>) => t.request().post("/api/bureau-exports").set(h).send(body);
const bj = { insuredCity: "110000", hukouLocal: true, gender: "female", birthDate: "1992-04-05" };

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  const a = await employee("B00001", { ...bj, hireDate: "2025-10-08" });
  const b = await employee("B00002", { ...bj, hireDate: "2025-10-20", name: "=HYPERLINK(1)" });
  const c = await employee("B00003", { ...bj, hireDate: "2025-03-01" });
  const d = await employee("B00004", { ...bj, hireDate: "2025-09-01" });
  const e = await employee("B00005", { insuredCity: "310000", hireDate: "2025-10-01" });
  const f = await employee("B00006", { ...bj, hireDate: "2025-08-01" });
  for (const id of [a, b, c, d, e, f]) await op(id, "hire", { at: "2025-10-25" });
  await op(c, "leave", { leaveDate: "2025-10-15", at: "2025-10-16" });
  await op(f, "wage-change", { wage: "15000", effectiveMonth: "2025-10", at: "2025-10-05" });
});
afterAll(() => t.close());

describe("bureau exports (增减员)", () => {
  let first: Row;
  it("lists exactly the additions and removals of the month, in Beijing's layout", async () => {
    const res = await post({ city: "110000", month: "2025-10", format: "csv" });
    expect(res.status).toBe(201);
    first = res.body;
    expect(first).toMatchObject({ city: "110000", month: "2025-10", format: "csv", rows: 3, layoutCity: "110000" });
    expect(first.headers).toEqual([
      "序号",
      "姓名",
      "性别",
      "出生日期",
      "户口性质",
      "增减员类型",
      "变动年月",
      "月缴费工资基数",
      "工号",
    ]);
    const byNo = first.lines.map((l: Row) => [l.cells[8], l.change, l.cells[5]]);
    expect(byNo).toEqual([
      ["B00001", "add", "增员"],
      ["B00002", "add", "增员"],
      ["B00003", "remove", "减员"],
    ]);
    expect(first.lines[0].cells).toEqual([
      "1",
      "测试 B00001",
      "女",
      "19920405",
      "本地户籍",
      "增员",
      "202510",
      "12000.00",
      "B00001",
    ]);
    // A formula-leading name is written as text.
    expect(first.lines[1].cells[1]).toBe("'=HYPERLINK(1)");
  });

  it("offers the recorded file for download", async () => {
    const res = await t.request().get(`/api/bureau-exports/${first.id}/file`).set(h).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    const lines = res.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe("序号,姓名,性别,出生日期,户口性质,增减员类型,变动年月,月缴费工资基数,工号");
    expect(lines[3]).toContain("减员");
  });

  it("does not export a row twice unless asked", async () => {
    const again = await post({ city: "110000", month: "2025-10", format: "csv" });
    expect(again.status).toBe(201);
    expect(again.body.rows).toBe(0);
    const asked = await post({ city: "110000", month: "2025-10", format: "xlsx", includeExported: true });
    expect(asked.body.rows).toBe(3);
    const file = await t
      .request()
      .get(`/api/bureau-exports/${asked.body.id}/file`)
      .set(h)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => cb(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).getCell(6).value).toBe("增减员类型");
    expect(sheet.getRow(4).getCell(9).value).toBe("B00003");
  });

  it("two exports at once do not both take the same rows", async () => {
    await op(await employee("B00007", { ...bj, hireDate: "2025-12-03" }), "hire", { at: "2025-12-05" });
    const [x, y] = await Promise.all([
      post({ city: "110000", month: "2025-12", format: "csv" }),
      post({ city: "110000", month: "2025-12", format: "csv" }),
    ]);
    expect([x.body.rows, y.body.rows].sort()).toEqual([0, 1]);
  });

  it("a city without a layout of its own gets the default layout", async () => {
    const res = await post({ city: "310000", month: "2025-10" });
    expect(res.body).toMatchObject({ layoutCity: "310000", rows: 1, format: "xlsx" });
    const gz = await post({ city: "440100", month: "2025-10", format: "csv" });
    expect(gz.body).toMatchObject({ layoutCity: "default", rows: 0 });
    expect(gz.body.headers).toContain("变动类型");
  });

  it("lists the exports (simple REST) and refuses bad input with the field", async () => {
    const res = await t.request().get('/api/bureau-exports?filter={}&sort=["createdAt","DESC"]&range=[0,9]').set(h);
    expect(res.status).toBe(200);
    expect(total(res)).toBe(7);
    expect(
      res.body
        .filter((r: Row) => r.city === "110000")
        .map((r: Row) => r.rows)
        .sort(),
    ).toEqual([0, 0, 1, 3, 3]);
    const bad = await post({ city: "12", month: "2025-10" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("city");
    const badMonth = await post({ city: "110000", month: "2025-13" });
    expect(badMonth.status).toBe(400);
    const none = await t.request().get("/api/bureau-exports/00000000-0000-4000-8000-000000000000/file").set(h);
    expect(none.status).toBe(404);
    const employee = await t.employee();
    expect(
      (await t.request().post("/api/bureau-exports").set(employee).send({ city: "110000", month: "2025-10" })).status,
    ).toBe(403);
  });

  it("coverage that goes on in the city is no change, whatever the rule set named the new period", async () => {
    // A consultant's own yearly base adjustment (年度调基) in Hangzhou, and a move from Hangzhou to Chengdu.
    const tenantId = (await t.db("tenants").where({ slug: "demo" }).first("id")).id;
    const g = await employee("X00007", { insuredCity: "330100", hireDate: "2024-05-01" });
    const period = (city: string, from: string, to: string | null, reason: string) => ({
      tenant_id: tenantId,
      employee_id: g,
      insured_city: city,
      insurances: JSON.stringify([]),
      base: "9000.00",
      from_date: from,
      to_date: to,
      status: to ? "ended" : "active",
      reason,
    });
    await t
      .db("enrollments")
      .insert([
        period("330100", "2024-05-01", "2025-06-30", "hire"),
        period("330100", "2025-07-01", "2025-11-30", "annual-base"),
        period("510100", "2025-12-01", null, "remote"),
      ]);
    const july = await post({ city: "330100", month: "2025-07", format: "csv" });
    expect(july.body.lines.filter((l: Row) => l.cells.includes("X00007"))).toEqual([]);
    const june = await post({ city: "330100", month: "2025-06", format: "csv" });
    expect(june.body.lines.filter((l: Row) => l.cells.includes("X00007"))).toEqual([]);
    const leaves = await post({ city: "330100", month: "2025-11", format: "csv" });
    expect(leaves.body.lines.filter((l: Row) => l.cells.includes("X00007")).map((l: Row) => l.change)).toEqual([
      "remove",
    ]);
    const arrives = await post({ city: "510100", month: "2025-12", format: "csv" });
    expect(arrives.body.lines.filter((l: Row) => l.cells.includes("X00007")).map((l: Row) => l.change)).toEqual([
      "add",
    ]);
  });
});
