import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc } from "../support/http";

// Four demo employees in Beijing at a wage of 12,000 (2024-07..2025-06 limits 6821–35283, so the base is
// the wage): employer 26.5% = 3180.00, employee 10.5% + 3 = 1263.00, a month's arrears 4443.00.
// Beijing's payment deadline is the 25th (si-city-settings.paymentDeadlineDay), the late fee 0.05% a day.
let t: TestApp;
let h: Record<string, string>;
const NOS = ["E00001", "E00002", "E00003", "E00004"];
const id: Record<string, string> = {};
type Row = Record<string, any>;

async function list(resource: string, filter: object, headers = h): Promise<Row[]> {
  const res = await t
    .request()
    .get(`/api/${resource}?filter=${enc(filter)}&range=[0,999]`)
    .set(headers);
  expect(res.status).toBe(200);
  return res.body;
}
const ledger = async (no: string, month: string) => (await list("contributions", { employeeId: id[no], month }))[0]!;
const openAlerts = (no: string) => list("alerts", { type: "not_received", employeeId: id[no], resolved: false });
async function run(month: string, at: string) {
  const res = await t.request().post("/api/monthly-runs?wait=true").set(h).send({ month, at });
  expect(res.body).toMatchObject({ status: "done" });
}
const preview = (body: string | Buffer, query = "", headers = h) => {
  const req = t.request().post(`/api/payment-imports${query}`).set(headers);
  return typeof body === "string"
    ? req.set("content-type", "text/csv").send(body)
    : req.set("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(body);
};
const importCount = async () => Number((await t.db("payment_imports").count({ n: "*" }))[0]!.n);

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  for (const e of await list("employees", { employeeNo: NOS })) id[e.employeeNo] = e.id;
  for (const no of NOS) {
    const profile = {
      insuredCity: "110000",
      hireDate: "2025-03-10",
      leaveDate: null,
      monthlyWage: "12000.00",
      employmentType: "full_time",
      birthDate: "1990-05-15",
      gender: "male",
      hukouLocal: true,
      status: "active",
    };
    expect((await t.request().put(`/api/employees/${id[no]}`).set(h).send(profile)).status).toBe(200);
    expect((await t.request().post(`/api/employees/${id[no]}/hire`).set(h).send({ at: "2025-03-12" })).status).toBe(
      200,
    );
  }
  await run("2025-03", "2025-03-20");
  // March is unpaid after its deadline (2025-03-25): the April run marks it not received, with an alert each.
  await run("2025-04", "2025-04-28");
});
afterAll(() => t.close());

describe("payments and receipts", () => {
  let importId: string;

  it("the ledger is as expected before any payment", async () => {
    for (const no of NOS) {
      expect(await ledger(no, "2025-03")).toMatchObject({ employer: "3180.00", employee: "1263.00" });
      expect((await ledger(no, "2025-03")).status).toBe("not_received");
      expect(await openAlerts(no)).toHaveLength(1);
    }
  });

  it("a bureau file's preview reports matched, mismatched (both figures) and unknown rows; nothing paid", async () => {
    const csv = [
      "employeeNo,name,month,employer,employee",
      "E00001,张,2025-03,3180.00,1263.00",
      "E00002,李,202503,3180,1263.0",
      "E00003,王,2025-03,3100.00,1263.00",
      "E09999,无,2025-03,100.00,10.00",
      "E00004,赵,2025-02,3180.00,1263.00",
    ].join("\n");
    const res = await preview(csv, "?paidOn=2025-04-30&fileName=bureau-2025-03.csv");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "previewed", format: "csv", paidOn: "2025-04-30" });
    expect(res.body.counts).toEqual({ rows: 5, matched: 2, mismatched: 1, unknown: 2, alreadyPaid: 0 });
    const byLine = Object.fromEntries(res.body.rows.map((r: Row) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ employeeNo: "E00001", month: "2025-03", status: "matched" });
    expect(byLine[3]).toMatchObject({ employeeNo: "E00002", month: "2025-03", status: "matched" });
    expect(byLine[4]).toMatchObject({
      status: "mismatched",
      expected: { employer: "3180.00", employee: "1263.00" },
      file: { employer: "3100.00", employee: "1263.00" },
      differs: ["employer"],
    });
    expect(byLine[5]).toMatchObject({ employeeNo: "E09999", status: "unknown", reason: "no employee E09999" });
    expect(byLine[6]).toMatchObject({ employeeNo: "E00004", month: "2025-02", status: "unknown" });
    importId = res.body.id;
    // Stored (any server can apply it), and nothing paid yet.
    expect((await t.request().get(`/api/payment-imports/${importId}`).set(h)).body.counts.matched).toBe(2);
    expect((await ledger("E00001", "2025-03")).status).toBe("not_received");
    expect(await openAlerts("E00001")).toHaveLength(1);
  });

  it("apply pays the matched rows with the late fee and resolves their alerts; the mismatch is reported", async () => {
    const res = await t.request().post(`/api/payment-imports/${importId}/apply`).set(h);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("applied");
    // Paid on 2025-04-30, 36 days after the deadline 2025-03-25 (6 in March + 30 in April):
    // 4443.00 × 0.05% × 36 = 79.974 → 79.97 a month, two months 159.94.
    expect(res.body.result).toMatchObject({ applied: 2, alreadyPaid: 0, lateFee: "159.94", alertsResolved: 2 });
    expect(res.body.result.mismatched).toEqual([
      {
        line: 4,
        employeeNo: "E00003",
        month: "2025-03",
        expected: { employer: "3180.00", employee: "1263.00" },
        file: { employer: "3100.00", employee: "1263.00" },
        differs: ["employer"],
      },
    ]);
    expect(res.body.result.unknown.map((u: Row) => u.line)).toEqual([5, 6]);
    for (const no of ["E00001", "E00002"]) {
      expect(await ledger(no, "2025-03")).toMatchObject({
        status: "paid",
        paidOn: "2025-04-30",
        daysLate: 36,
        lateFee: "79.97",
        paymentSource: "import",
        paymentImportId: importId,
      });
      expect(await openAlerts(no)).toHaveLength(0);
      const [resolved] = await list("alerts", { type: "not_received", employeeId: id[no] });
      // Resolved by Ordo (no user), with the payment in the alert's history.
      expect(resolved).toMatchObject({ resolved: true, resolvedBy: null, resolvedAt: expect.any(String) });
      const events = await t.request().get(`/api/alerts/${resolved.id}/events`).set(h);
      expect(events.status).toBe(200);
      const auto = (Array.isArray(events.body) ? events.body : events.body.data).find(
        (e: { action: string }) => e.action === "auto_resolved",
      );
      expect(auto.note).toContain("2025-04-30");
    }
    // The mismatched row is not applied.
    expect((await ledger("E00003", "2025-03")).status).toBe("not_received");
    expect(await openAlerts("E00003")).toHaveLength(1);
  });

  it("applying again changes nothing and answers the same", async () => {
    const before = await ledger("E00001", "2025-03");
    const res = await t.request().post(`/api/payment-imports/${importId}/apply`).set(h);
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ applied: 2, lateFee: "159.94" });
    expect(await ledger("E00001", "2025-03")).toEqual(before);
    const again = await preview("employeeNo,month,employer,employee\nE00001,2025-03,3180.00,1263.00\n");
    expect(again.body.counts).toMatchObject({ matched: 1, alreadyPaid: 1 });
    const applied = await t.request().post(`/api/payment-imports/${again.body.id}/apply`).set(h);
    expect(applied.body.result).toMatchObject({ applied: 0, alreadyPaid: 1 });
    expect(await ledger("E00001", "2025-03")).toEqual(before);
    const stored = await t.request().get("/api/payment-imports?range=[0,9]").set(h);
    expect(stored.headers["content-range"]).toBe("payment-imports 0-1/2");
    expect(stored.body.map((i: Row) => i.status)).toEqual(["applied", "applied"]);
    expect(stored.body[1]).toMatchObject({ id: importId, fileName: "bureau-2025-03.csv", counts: { matched: 2 } });
  });

  it("one row is marked paid; on time there is no late fee; paying again on another day is 409", async () => {
    const march = await ledger("E00003", "2025-03");
    const res = await t
      .request()
      .post(`/api/contributions/${march.id}/pay`)
      .set(h)
      .send({ paidOn: "2025-03-25", note: "bank transfer 0042" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "paid",
      paidOn: "2025-03-25",
      daysLate: 0,
      lateFee: "0.00",
      paymentNote: "bank transfer 0042",
      paymentSource: "single",
    });
    expect(await openAlerts("E00003")).toHaveLength(0);
    const same = await t.request().post(`/api/contributions/${march.id}/pay`).set(h).send({ paidOn: "2025-03-25" });
    expect(same.status).toBe(200);
    expect(same.body.paymentNote).toBe("bank transfer 0042");
    const other = await t.request().post(`/api/contributions/${march.id}/pay`).set(h).send({ paidOn: "2025-04-02" });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("ALREADY_PAID");
  });

  it("rows are paid in bulk by ids (late fee per row); no paid month is later marked not received", async () => {
    const march = await ledger("E00004", "2025-03");
    const april = await ledger("E00001", "2025-04");
    const res = await t
      .request()
      .post("/api/contributions/pay")
      .set(await t.hr())
      .send({ ids: [march.id, april.id], paidOn: "2025-04-15" });
    expect(res.status).toBe(200);
    // March: 2025-03-25 → 2025-04-15 is 21 days: 4443.00 × 0.05% × 21 = 46.6515 → 46.65; April is on time.
    expect(res.body).toMatchObject({ paid: 2, alreadyPaid: 0, lateFee: "46.65", alertsResolved: 1 });
    expect(await ledger("E00004", "2025-03")).toMatchObject({ lateFee: "46.65", daysLate: 21, paymentSource: "bulk" });
    expect(await ledger("E00001", "2025-04")).toMatchObject({ lateFee: "0.00", daysLate: 0 });
    // The May run after April's deadline: E00001's April is paid, so neither its row nor an alert says otherwise.
    await run("2025-05", "2025-05-28");
    expect((await ledger("E00001", "2025-04")).status).toBe("paid");
    expect(await list("alerts", { type: "not_received", employeeId: id.E00001, resolved: false })).toHaveLength(0);
    for (const no of ["E00002", "E00003", "E00004"]) {
      expect((await ledger(no, "2025-04")).status).toBe("not_received");
      expect(await openAlerts(no)).toHaveLength(1);
    }
    // Re-running April (its previous month, March, is paid for everyone) raises nothing again.
    await run("2025-04", "2025-04-28");
    const marchOpen = await t
      .db("alerts")
      .where({ type: "not_received", resolved: false })
      .whereRaw("data->>'month' = ?", ["2025-03"]);
    expect(marchOpen).toHaveLength(0);
    // The alerts name their month, which is how a payment finds them.
    expect(
      await t.db("alerts").where({ type: "not_received" }).whereRaw("data->>'month' = ?", ["2025-04"]),
    ).toHaveLength(3);
  });

  it("an XLSX payment file with Chinese headers, numbers and dates is read and applied", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("缴费明细");
    ws.addRow(["员工编号", "姓名", "费款所属期", "单位缴纳", "个人缴纳", "缴费日期"]);
    ws.addRow(["E00002", "李", 202504, 3180, 1263, new Date(Date.UTC(2025, 5, 2))]);
    ws.addRow(["E00003", "王", "2025-04", 3180.0, 1263.0, new Date(Date.UTC(2025, 5, 2))]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await preview(bytes);
    expect(res.status).toBe(201);
    expect(res.body.format).toBe("xlsx");
    expect(res.body.counts).toMatchObject({ rows: 2, matched: 2, mismatched: 0, unknown: 0 });
    expect(res.body.rows[0]).toMatchObject({ line: 2, month: "2025-04", paidOn: "2025-06-02" });
    const applied = await t.request().post(`/api/payment-imports/${res.body.id}/apply`).set(h);
    // 2025-04-25 → 2025-06-02 is 5 + 31 + 2 = 38 days: 4443.00 × 0.05% × 38 = 84.417 → 84.42 each.
    expect(applied.body.result).toMatchObject({ applied: 2, lateFee: "168.84", alertsResolved: 2 });
    expect(await ledger("E00002", "2025-04")).toMatchObject({ status: "paid", paidOn: "2025-06-02", lateFee: "84.42" });
  });

  it("bulk by month and city pays only what is unpaid", async () => {
    const res = await t
      .request()
      .post("/api/contributions/pay")
      .set(h)
      .send({ filter: { month: "2025-04", city: "110000" }, paidOn: "2025-05-30" });
    expect(res.status).toBe(200);
    // Only E00004's April: 2025-04-25 → 2025-05-30 is 35 days: 4443.00 × 0.05% × 35 = 77.7525 → 77.75.
    expect(res.body).toMatchObject({ paid: 1, alreadyPaid: 0, lateFee: "77.75", alertsResolved: 1 });
    expect(res.body.ids).toEqual([(await ledger("E00004", "2025-04")).id]);
    const neither = await t.request().post("/api/contributions/pay").set(h).send({ paidOn: "2025-05-30" });
    expect(neither.status).toBe(400);
    const future = await t
      .request()
      .post("/api/contributions/pay")
      .set(h)
      .send({ ids: [res.body.ids[0]], paidOn: "2199-01-01" });
    expect(future.status).toBe(400);
    expect(future.body.code).toBe("PAID_ON_IN_FUTURE");
  });

  it("bad files are a 400 naming line and column, and store nothing", async () => {
    const before = await importCount();
    const cases: [string | Buffer, { line: number; column: string }][] = [
      ["employeeNo,month,employer\nE00001,2025-05,3180.00\n", { line: 1, column: "employee" }],
      [
        "employeeNo,month,employer,employee\nE00001,2025-05,3180.00,1263.00\nE00002,2025-05,31x0,1263\n",
        {
          line: 3,
          column: "employer",
        },
      ],
      ["employeeNo,month,employer,employee\nE00001,2025-05,1e3,1263\n", { line: 2, column: "employer" }],
      ["employeeNo,month,employer,employee\nE00001,2025-13,3180,1263\n", { line: 2, column: "month" }],
      ["employeeNo,month,employer,employee\nE0\u00000001,2025-05,3180,1263\n", { line: 2, column: "#1" }],
      [
        "employeeNo,month,employer,employee\nE00001,2025-05,3180,1263\nemployeeNo,month,employer,employee\n",
        { line: 3, column: "" },
      ],
      ["employeeNo,month,employer,employee,month\nE00001,2025-05,3180,1263,2025-05\n", { line: 1, column: "month" }],
      [
        "employeeNo,month,employer,employee\nE00001,2025-05,3180,1263\nE00001,2025-05,3180,1263\n",
        {
          line: 3,
          column: "employeeNo",
        },
      ],
      ["employeeNo,month,employer,employee\n", { line: 1, column: "" }],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), { line: 1, column: "" }],
    ];
    for (const [body, where] of cases) {
      const res = await preview(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("INVALID_PAYMENT_FILE");
      expect(res.body.details.errors[0]).toMatchObject(where);
    }
    const json = await t.request().post("/api/payment-imports").set(h).send({ rows: [] });
    expect(json.status).toBe(415);
    expect(await importCount()).toBe(before);
  });

  it("employees cannot pay or import", async () => {
    const e = await t.employee();
    const row = await ledger("E00001", "2025-05");
    const calls = [
      t.request().post(`/api/contributions/${row.id}/pay`).set(e).send({ paidOn: "2025-05-20" }),
      t
        .request()
        .post("/api/contributions/pay")
        .set(e)
        .send({ ids: [row.id], paidOn: "2025-05-20" }),
      preview("employeeNo,month,employer,employee\nE00001,2025-05,3180,1263\n", "", e),
      t.request().post(`/api/payment-imports/${importId}/apply`).set(e),
      t.request().get(`/api/payment-imports/${importId}`).set(e),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(403);
    expect((await ledger("E00001", "2025-05")).status).toBe("due");
  });

  it("another tenant's ledger rows and imports are 404 and stay as they are", async () => {
    const retail = await t.admin("retail");
    const may = await ledger("E00002", "2025-05");
    const one = await t.request().post(`/api/contributions/${may.id}/pay`).set(retail).send({ paidOn: "2025-05-20" });
    expect(one.status).toBe(404);
    const bulk = await t
      .request()
      .post("/api/contributions/pay")
      .set(retail)
      .send({ ids: [may.id], paidOn: "2025-05-20" });
    expect(bulk.status).toBe(404);
    expect(bulk.body.details.missing).toEqual([may.id]);
    expect((await t.request().get(`/api/payment-imports/${importId}`).set(retail)).status).toBe(404);
    expect((await t.request().post(`/api/payment-imports/${importId}/apply`).set(retail)).status).toBe(404);
    // The same demo file read in retail matches nothing there.
    const res = await preview("employeeNo,month,employer,employee\nE00002,2025-05,3180,1263\n", "", retail);
    expect(res.body.counts).toMatchObject({ matched: 0, unknown: 1 });
    expect((await ledger("E00002", "2025-05")).status).toBe("due");
  });

  it("a paid month is never marked not received, even by a rule set that ignores the status", async () => {
    // A tenant's monthly check that flags every month after its deadline, paid or not.
    const doc = (await t.request().get("/api/rule-sets/monthly-check").set(h)).body;
    const rules = doc.rules.map((r: Row) =>
      r.name === "not-received"
        ? {
            ...r,
            conditions: { all: r.conditions.all.filter((c: Row) => c.fact !== "previousMonthStatus") },
          }
        : r,
    );
    const saved = await t
      .request()
      .put("/api/rule-sets/monthly-check")
      .set(h)
      .send({ revision: doc.revision, rules, testCases: [] });
    expect(saved.status).toBe(200);
    const published = await t
      .request()
      .post("/api/rule-sets/monthly-check/publish")
      .set(h)
      .send({ effectiveFrom: "2025-06-01" });
    expect(published.status).toBe(201);
    const may = await ledger("E00001", "2025-05");
    expect(
      (await t.request().post(`/api/contributions/${may.id}/pay`).set(h).send({ paidOn: "2025-05-20" })).status,
    ).toBe(200);
    await run("2025-06", "2025-06-28");
    expect((await ledger("E00001", "2025-05")).status).toBe("paid");
    const mayAlerts = (no: string) =>
      t.db("alerts").where({ type: "not_received", employee_id: id[no] }).whereRaw("data->>'month' = ?", ["2025-05"]);
    expect(await mayAlerts("E00001")).toHaveLength(0);
    // The unpaid ones are still flagged by the same rule.
    expect(await mayAlerts("E00002")).toHaveLength(1);
  });
});
