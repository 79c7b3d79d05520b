import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

// Batch upload: 200 seasonal hires in Beijing (110000) on 2025-09-01, evaluated on 2025-09-05.
let t: TestApp;
let h: Record<string, string>;
type Row = Record<string, any>;
const AT = "2025-09-05";
const HEADER = ["kind", "employeeNo", "date", "name", "insuredCity", "monthlyWage", "employmentType"];
const no = (i: number) => `B${String(i).padStart(4, "0")}`;
const hireRows = (n: number): string[][] =>
  Array.from({ length: n }, (_, i) => [
    "hire",
    no(i + 1),
    "2025-09-01",
    `季节工${i + 1}`,
    "110000",
    "8000",
    "seasonal",
  ]);

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("batch");
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const upload = (file: Buffer | string, headers = h) => {
  const req = t.request().post(`/api/batches?at=${AT}`).set(headers);
  return typeof file === "string"
    ? req.set("content-type", "text/csv").send(file)
    : req.set("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(file);
};
const apply = (id: string, mode: string, wait = true) =>
  t
    .request()
    .post(`/api/batches/${id}/apply${wait ? "?wait=true" : ""}`)
    .set(h)
    .send({ mode });
const count = async (table: string, where: (q: any) => any = (q) => q) =>
  Number((await where(t.db(table)).count({ n: "*" }))[0]!.n);
const batchEmployees = () => count("employees", (q) => q.where("employee_no", "like", "B%"));

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
});
afterAll(() => t.close());

describe("batch upload", () => {
  const good = hireRows(200);
  let firstId: string;
  let goodFile: Buffer;

  it("a 200-row XLSX with three bad cells is refused with those line-and-column errors; nothing applied", async () => {
    const bad = good.map((r) => [...r]);
    bad[9]![2] = "2025-13-01"; // line 11, date
    bad[49]![5] = "abc"; // line 51, monthlyWage
    bad[99]![4] = "11000"; // line 101, insuredCity
    const res = await upload(await xlsx(bad), { ...h, "accept-language": "zh-CN" });
    expect(res.status).toBe(201);
    expect(res.body.errors.map((e: Row) => [e.line, e.column, e.letter])).toEqual([
      [11, "date", "C"],
      [51, "monthlyWage", "F"],
      [101, "insuredCity", "E"],
    ]);
    expect(res.body.errors[1].message).toContain("不是有效金额");
    // Columns as a Chinese reader's header names them.
    expect(res.body.errors.map((e: Row) => e.columnLabel)).toEqual(["日期", "月工资", "参保城市"]);
    expect(res.body.counts).toMatchObject({ rows: 200, invalid: 3, new: 197, errors: 3 });
    const refused = await apply(res.body.id, "all");
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("BATCH_HAS_ERRORS");
    expect(await batchEmployees()).toBe(0);
    const en = await t.request().get(`/api/batches/${res.body.id}`).set(h);
    expect(en.body.errors[0].message).toContain("is not a date");
    expect(en.body.errors[0].columnLabel).toBe("date");
    expect(en.body.status).toBe("previewed");
  });

  it("fixed, its preview lists per row the enrollment and amounts, and writes nothing", async () => {
    goodFile = await xlsx(good);
    const res = await upload(goodFile);
    expect(res.status).toBe(201);
    firstId = res.body.id;
    expect(res.body.errors).toEqual([]);
    expect(res.body.counts).toMatchObject({ rows: 200, new: 200, invalid: 0, failed: 0 });
    expect(res.body.rows).toHaveLength(200);
    for (const r of res.body.rows as Row[]) {
      expect(r.status).toBe("new");
      expect(r.preview.enrollments).toHaveLength(1);
      const [e] = r.preview.enrollments;
      expect(e).toMatchObject({ action: "create", insuredCity: "110000", fromDate: "2025-09-01", base: "8000.00" });
      expect(e.insurances).toHaveLength(5);
      expect(Number(e.amounts.employer)).toBeGreaterThan(0);
      expect(Number(e.amounts.employee)).toBeGreaterThan(0);
      expect(r.preview.alerts.map((a: Row) => a.type)).toContain("enrollment_due");
    }
    // The alerts each row would raise read in the reader's language.
    const zh = await t
      .request()
      .get(`/api/batches/${firstId}`)
      .set({ ...h, "accept-language": "zh-CN" });
    const due = (body: Row) => body.rows[0].preview.alerts.find((a: Row) => a.type === "enrollment_due").message;
    expect(due(zh.body)).toContain("请在 2025-10-01 前为 季节工1 在 北京 办理社保登记");
    expect(due(res.body)).toContain("Register 季节工1 for social insurance in Beijing by 2025-10-01");
    expect(await batchEmployees()).toBe(0);
    expect(
      await count("enrollments", (q) =>
        q
          .where({ reason: "hire" })
          .whereIn("employee_id", t.db("employees").where("employee_no", "like", "B%").select("id")),
      ),
    ).toBe(0);
  });

  it("applied (queued job with progress), the rows exist with the previewed amounts' enrollment", async () => {
    const res = await apply(firstId, "all", false);
    expect(res.status).toBe(202);
    await t.ctx.jobs.drain();
    const done = await t.request().get(`/api/batches/${firstId}`).set(h);
    expect(done.body.status).toBe("applied");
    expect(done.body.progress).toMatchObject({ status: "done", done: 200, total: 200 });
    expect(done.body.result).toMatchObject({ applied: 200, skipped: 0, failed: [] });
    expect(await batchEmployees()).toBe(200);
    const enrolled = await t
      .db("enrollments as n")
      .join("employees as e", (j) => j.on("e.tenant_id", "n.tenant_id").andOn("e.id", "n.employee_id"))
      .where("e.employee_no", "like", "B%")
      .select("n.insured_city", "n.base", "n.decision_id");
    expect(enrolled).toHaveLength(200);
    expect(enrolled.every((e: Row) => e.insured_city === "110000" && e.base === "8000.00")).toBe(true);
    expect(
      await count("alerts", (q) =>
        q.whereIn(
          "decision_id",
          enrolled.map((e: Row) => e.decision_id),
        ),
      ),
    ).toBe(200);
  });

  it("uploaded again, nothing changes", async () => {
    const before = await Promise.all(["employees", "enrollments", "decisions", "alerts"].map((x) => count(x)));
    const res = await upload(goodFile);
    expect(res.body.counts).toMatchObject({ unchanged: 200, new: 0, changed: 0, sameFileAs: firstId });
    const out = await apply(res.body.id, "all");
    expect(out.body.status).toBe("applied");
    expect(out.body.result).toMatchObject({ applied: 0 });
    expect(await Promise.all(["employees", "enrollments", "decisions", "alerts"].map((x) => count(x)))).toEqual(before);
  });

  it("a corrected file applies only the changed rows", async () => {
    const fixed = good.map((r) => [...r]);
    fixed[4]![3] = "改名五"; // B0005's name corrected
    const extra = ["wage_change", no(10), "2025-10-01", "", "", "9000", ""];
    // The operations' own decisions (a hire also records one per industry rule set it applies).
    const operations = (q: any) => q.whereIn("rule_set", ["enrollment", "wage-change", "offboarding"]);
    const decisions = await count("decisions", operations);
    const res = await upload(await xlsx([...fixed, extra]));
    expect(res.body.counts).toMatchObject({ unchanged: 199, changed: 1, new: 1 });
    const wage = (res.body.rows as Row[]).find((r) => r.kind === "wage_change")!;
    expect(wage.preview.enrollments.some((e: Row) => e.base === "9000.00")).toBe(true);
    const out = await apply(res.body.id, "valid");
    expect(out.body.result).toMatchObject({ applied: 2, skipped: 0 });
    expect(await count("decisions", operations)).toBe(decisions + 2);
    expect(
      (
        await t
          .db("employees")
          .where({ employee_no: no(5) })
          .first()
      ).name,
    ).toBe("改名五");
    expect(
      (
        await t
          .db("employees")
          .where({ employee_no: no(10) })
          .first()
      ).monthly_wage,
    ).toBe("9000.00");
  });

  it("a temporary worker is covered for work injury only where the city's policy allows it", async () => {
    const csv = [
      HEADER.join(","),
      "hire,T0001,2025-09-01,临时工甲,440300,6000,temporary", // Shenzhen: temporaryWorkInjuryOnly
      "hire,T0002,2025-09-01,临时工乙,110000,6000,temporary", // Beijing: the five insurances
    ].join("\n");
    const res = await upload(csv);
    const [sz, bj] = res.body.rows as Row[];
    expect(sz.preview.enrollments[0].insurances).toEqual(["work_injury"]);
    expect(sz.preview.enrollments[0].amounts.employee).toBe("0.00");
    expect(Number(sz.preview.enrollments[0].amounts.employer)).toBeGreaterThan(0);
    expect(Number(sz.preview.enrollments[0].amounts.employer)).toBeLessThan(100);
    expect(bj.preview.enrollments[0].insurances).toHaveLength(5);
    await apply(res.body.id, "all");
    const ins = async (n: string) =>
      (
        await t
          .db("enrollments as n")
          .join("employees as e", (j) => j.on("e.tenant_id", "n.tenant_id").andOn("e.id", "n.employee_id"))
          .where("e.employee_no", n)
          .first("n.insurances")
      ).insurances;
    expect(await ins("T0001")).toEqual(["work_injury"]);
    expect(await ins("T0002")).toHaveLength(5);
  });

  it("unknown employees and repeats are cell errors; valid mode applies the rest", async () => {
    const csv = [
      HEADER.join(","),
      "leave,NOPE1,2025-09-30,,,,",
      "hire,C0001,2025-09-01,,110000,7000,full_time",
      "hire,C0002,2025-09-01,乙,110000,7000,full_time",
      "hire,C0002,2025-09-01,乙,110000,7000,full_time",
      "leave,C0002,2025-09-30,,,,",
    ].join("\n");
    const res = await upload(csv);
    expect(res.body.errors.map((e: Row) => [e.line, e.column, e.code])).toEqual([
      [2, "employeeNo", "BATCH_CELL_UNKNOWN_EMPLOYEE"],
      [3, "name", "BATCH_CELL_REQUIRED"],
      [5, "employeeNo", "BATCH_CELL_DUPLICATE_ROW"],
    ]);
    const leave = (res.body.rows as Row[]).find((r) => r.kind === "leave")!;
    expect(leave.preview.enrollments[0]).toMatchObject({ action: "end", toDate: "2025-09-30" });
    expect((await apply(res.body.id, "all")).status).toBe(409);
    const out = await apply(res.body.id, "valid");
    expect(out.body.result).toMatchObject({ applied: 2 });
    const left = await t.db("employees").where({ employee_no: "C0002" }).first();
    expect(left.leave_date).toBe("2025-09-30");
    expect(await count("employees", (q) => q.where({ employee_no: "NOPE1" }))).toBe(0);
  });

  it("a row the operation refuses fails in the preview; all-or-nothing refuses, valid applies the rest", async () => {
    const csv = [HEADER.join(","), "leave,B0001,2025-08-01,,,,", "wage_change,B0002,2025-10-01,,,8800,"].join("\n");
    const res = await upload(csv);
    const [bad, ok] = res.body.rows as Row[];
    expect(bad).toMatchObject({ status: "failed", error: { code: "INVALID_DATE" } });
    expect(bad.error.message).toBe("leaveDate is before the hire date");
    expect(ok.status).toBe("new");
    expect((await apply(res.body.id, "all")).body.code).toBe("BATCH_HAS_ERRORS");
    expect(
      (
        await t
          .db("employees")
          .where({ employee_no: no(2) })
          .first()
      ).monthly_wage,
    ).toBe("8000.00");
    const out = await apply(res.body.id, "valid");
    expect(out.body.result).toMatchObject({ applied: 1, failed: [] });
    expect(
      (
        await t
          .db("employees")
          .where({ employee_no: no(2) })
          .first()
      ).monthly_wage,
    ).toBe("8800.00");
    expect(
      (
        await t
          .db("employees")
          .where({ employee_no: no(1) })
          .first()
      ).leave_date,
    ).toBeNull();
  });

  it("an unreadable file is a 400 naming the problem; the list and template answer", async () => {
    const res = await upload("name,city\nx,y\n");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_BATCH_FILE");
    const list = await t.request().get("/api/batches").set(h);
    expect(list.status).toBe(200);
    expect(list.headers["content-range"]).toMatch(/^batches 0-\d+\/\d+$/);
    const tpl = await t.request().get("/api/batches/template.csv").set(h);
    expect(tpl.status).toBe(200);
    expect(tpl.text).toContain("kind,employeeNo,date");
    expect(
      (
        await t
          .request()
          .get("/api/batches")
          .set(await t.employee())
      ).status,
    ).toBe(403);
  });
});
