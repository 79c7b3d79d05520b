/**
 * Batch-upload benchmark: a 10,000-row XLSX of hires (six cities, every tenth a temporary worker) into
 * a fresh in-memory PGlite, through HTTP: validation and the dry-run preview (POST /api/batches, timed
 * apart by the server), then apply (POST /api/batches/:id/apply?wait=true). Target: under 60 s in all.
 * Baseline, in the same run: 200 of the same hires made one at a time (POST /api/employees, then hire).
 *   npx tsx bench/batches.ts [rows]
 */
import ExcelJS from "exceljs";
import { createApp } from "../server/app";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { openDatabase } from "../server/db/index";
import { seedDemo } from "../server/seed";
import { fmt } from "./stats";

const CITIES = ["110000", "310000", "440100", "440300", "330100", "510100"];

async function workbook(rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("batch");
  ws.addRow(["kind", "employeeNo", "date", "name", "insuredCity", "monthlyWage", "employmentType"]);
  for (let i = 1; i <= rows; i++)
    ws.addRow([
      "hire",
      `S${String(i).padStart(6, "0")}`,
      "2025-09-01",
      `季节工${i}`,
      CITIES[i % CITIES.length],
      String(5000 + ((i * 7919) % 20000)),
      i % 10 === 0 ? "temporary" : "seasonal",
    ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function benchBatches({ rows = 10_000, at = "2025-09-05", baselineRows = 200 } = {}) {
  const database = await openDatabase({ kind: "pglite" });
  await database.migrate();
  const logger = createLogger("silent");
  const config = loadConfig({ DATABASE_URL: "memory", LOG_LEVEL: "silent", ORDO_BODY_LIMIT: "50mb" });
  await seedDemo(database.knex, logger, {
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
    employees: 1,
  });
  const app = createApp({ config, database, logger });
  const server = await new Promise<import("node:http").Server>((r) => {
    const s = app.listen(0, "127.0.0.1", () => r(s));
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api`;
    const login = await fetch(`${base}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: config.adminEmail, password: config.adminPassword }),
    });
    const auth = { authorization: `Bearer ${(await login.json()).token}`, "x-tenant": "demo" };
    // Baseline in the same run: the same hires one at a time through the API an HR user would otherwise
    // use (create the employee, then POST …/hire), over a sample, as seconds per row.
    const json = { ...auth, "content-type": "application/json" };
    const tb = performance.now();
    for (let i = 1; i <= baselineRows; i++) {
      const created = await fetch(`${base}/employees`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({
          employeeNo: `B${String(i).padStart(6, "0")}`,
          name: `逐个入职${i}`,
          insuredCity: CITIES[i % CITIES.length],
          hireDate: "2025-09-01",
          monthlyWage: String(5000 + ((i * 7919) % 20000)),
          employmentType: i % 10 === 0 ? "temporary" : "seasonal",
        }),
      });
      if (created.status !== 201) throw new Error(`create ${created.status}: ${await created.text()}`);
      const hired = await fetch(`${base}/employees/${(await created.json()).id}/hire`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ at }),
      });
      if (hired.status !== 200) throw new Error(`hire ${hired.status}: ${await hired.text()}`);
    }
    const oneByOneS = (performance.now() - tb) / 1000 / baselineRows;
    const file = await workbook(rows);
    const t0 = performance.now();
    const up = await fetch(`${base}/batches?at=${at}`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
      body: new Uint8Array(file),
    });
    const batch = await up.json();
    const uploadS = (performance.now() - t0) / 1000;
    if (up.status !== 201) throw new Error(`upload ${up.status}: ${JSON.stringify(batch).slice(0, 500)}`);
    if (batch.counts.new !== rows) throw new Error(`expected ${rows} new rows: ${JSON.stringify(batch.counts)}`);
    const t1 = performance.now();
    const res = await fetch(`${base}/batches/${batch.id}/apply?wait=true`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ mode: "all" }),
    });
    const applied = await res.json();
    const applyS = (performance.now() - t1) / 1000;
    if (applied.status !== "applied") throw new Error(`apply ${applied.status}: ${JSON.stringify(applied.result)}`);
    const validateS = batch.counts.validateMs / 1000;
    const previewS = batch.counts.previewMs / 1000;
    return {
      rows,
      validateS,
      previewS,
      uploadS,
      applyS,
      totalS: uploadS + applyS,
      /** Seconds a row one at a time (create + hire through the API), from the baseline sample. */
      oneByOneS,
      applied: applied.result.applied as number,
    };
  } finally {
    await new Promise((r) => server.close(r));
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchBatches({ rows: Number(process.argv[2] ?? 10_000) });
  console.log(
    `batch upload, ${r.rows.toLocaleString()} rows: validation ${fmt(r.validateS)} s, preview ${fmt(r.previewS)} s ` +
      `(upload request ${fmt(r.uploadS)} s), apply ${fmt(r.applyS)} s; total ${fmt(r.totalS)} s ` +
      `= ${fmt(r.totalS / 60, 2)}x of the 60 s target; one at a time ${fmt(r.oneByOneS * 1000)} ms a row ` +
      `(${fmt((r.oneByOneS * r.rows) / r.totalS, 1)}x the batch's time for the same rows)`,
  );
}
