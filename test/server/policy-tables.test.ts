/**
 * Policy tables: validated drafts, optimistic revisions, versions, diff, rollback, CSV, lookup,
 * reference data, tenancy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceTables } from "../../policies";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const decimal = { type: "string", pattern: "^\\d+(\\.\\d+)?$" };
const row = (grade: number, amount: string, effectiveFrom: string, effectiveTo: string | null = null) => ({
  key: { grade },
  values: { amount },
  effectiveFrom,
  effectiveTo,
  source: "test",
  confidence: "H",
});
const grades = (rows: unknown[]) => ({
  key: "grades",
  name: "Allowance by grade",
  keyColumns: { grade: { type: "integer", minimum: 1 } },
  valueColumns: { amount: decimal },
  rows,
});

describe("policy tables", () => {
  it("lists the seeded reference tables simple-rest style, readable by hr_admin, not by employees", async () => {
    const res = await t
      .request()
      .get(`/api/policy-tables?sort=${encodeURIComponent('["key","ASC"]')}&range=[0,6]`)
      .set(await t.hr());
    expect(res.status).toBe(200);
    // The reference tables and the manufacturing pack's table (seeded with the pack).
    expect(res.headers["content-range"]).toBe(`policy-tables 0-6/${referenceTables.length + 1}`);
    expect(res.headers["access-control-expose-headers"]).toContain("Content-Range");
    expect(res.body.map((r: { id: string }) => r.id)).toEqual([
      "bureau-file-layouts",
      "manufacturing-temporary-coverage",
      "min-wage",
      "pension-account-interest",
      "pension-average-wage",
      "pension-divisors",
      "si-base-limits",
    ]);
    expect(res.body[6]).toMatchObject({
      key: "si-base-limits",
      latestVersion: 1,
      revision: 1,
      keyColumns: { city: expect.any(Object) },
    });
    const q = await t
      .request()
      .get(`/api/policy-tables?filter=${encodeURIComponent('{"q":"rates"}')}`)
      .set(await t.admin());
    expect(q.body.map((r: { key: string }) => r.key)).toContain("si-rates");
    expect(
      (
        await t
          .request()
          .get("/api/policy-tables")
          .set(await t.employee())
      ).status,
    ).toBe(403);
    expect(
      (
        await t
          .request()
          .post("/api/policy-tables")
          .set(await t.hr())
          .send(grades([]))
      ).status,
    ).toBe(403);
  });

  it("validates every save: overlapping rows and bad cells answer pointers, and nothing is written", async () => {
    const admin = await t.admin();
    const overlap = await t
      .request()
      .post("/api/policy-tables")
      .set(admin)
      .send(grades([row(1, "100", "2024-01-01"), row(1, "120", "2024-06-01")]));
    expect(overlap.status).toBe(400);
    expect(overlap.body.code).toBe("INVALID_POLICY_TABLE");
    expect(overlap.body.details.errors).toEqual([
      expect.objectContaining({ pointer: "/rows/1/effectiveFrom", code: "OVERLAP" }),
    ]);
    expect(overlap.body.message).toContain("/rows/1/effectiveFrom");
    const cell = await t
      .request()
      .post("/api/policy-tables")
      .set(admin)
      .send(grades([row(1, "ten", "2024-01-01"), { ...row(2, "5", "2024-01-01"), confidence: "X" }]));
    expect(cell.status).toBe(400);
    expect(cell.body.details.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      "/rows/0/values/amount",
      "/rows/1/confidence",
    ]);
    const badColumn = await t
      .request()
      .post("/api/policy-tables")
      .set(admin)
      .send({ ...grades([]), valueColumns: { source: decimal }, optionalValues: ["nope"] });
    expect(badColumn.status).toBe(400);
    expect(badColumn.body.details.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      "/valueColumns/source",
      "/optionalValues/0",
    ]);
    expect((await t.request().get("/api/policy-tables/grades").set(admin)).status).toBe(404);

    const created = await t
      .request()
      .post("/api/policy-tables")
      .set(admin)
      .send(grades([row(1, "100", "2024-01-01", "2024-05-31"), row(1, "120", "2024-06-01")]));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "grades", revision: 1, latestVersion: null, optionalValues: [] });
    expect((await t.request().post("/api/policy-tables").set(admin).send(grades([]))).status).toBe(409);

    const put = await t
      .request()
      .put("/api/policy-tables/grades")
      .set(admin)
      .send({ revision: 1, rows: [row(1, "100", "2024-01-01"), row(1, "120", "2024-06-01")] });
    expect(put.status).toBe(400);
    expect(put.body.details.errors[0].pointer).toBe("/rows/1/effectiveFrom");
    expect((await t.request().get("/api/policy-tables/grades").set(admin)).body.revision).toBe(1);
  });

  it("refuses a stale revision with 409 and a missing one with 400", async () => {
    const admin = await t.admin();
    const ok = await t
      .request()
      .put("/api/policy-tables/grades")
      .set(admin)
      .send({ revision: 1, description: "per month" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ revision: 2, description: "per month" });
    expect(ok.body.rows).toHaveLength(2);
    const stale = await t.request().put("/api/policy-tables/grades").set(admin).send({ revision: 1, rows: [] });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "STALE_REVISION", details: { currentRevision: 2, yourRevision: 1 } });
    expect((await t.request().put("/api/policy-tables/grades").set(admin).send({ rows: [] })).status).toBe(400);
  });

  it("publishes immutable versions, diffs any two (or the draft) and rolls back as a new version", async () => {
    const admin = await t.admin();
    const base = "/api/policy-tables/grades";
    const v1 = await t
      .request()
      .post(`${base}/publish`)
      .set(admin)
      .send({ effectiveFrom: "2024-01-01", note: "first" });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({
      version: 1,
      effectiveFrom: "2024-01-01",
      note: "first",
      checksum: expect.any(String),
    });
    const draft = (await t.request().get(base).set(admin)).body;
    const rows = [row(1, "100", "2024-01-01", "2024-05-31"), row(1, "130", "2024-06-01"), row(2, "200", "2024-01-01")];
    expect((await t.request().put(base).set(admin).send({ revision: draft.revision, rows })).status).toBe(200);
    expect((await t.request().post(`${base}/publish`).set(admin).send({ note: "grade 2" })).status).toBe(201);

    const list = await t
      .request()
      .get(`${base}/versions`)
      .set(await t.hr());
    expect(list.headers["content-range"]).toBe("versions 0-1/2");
    expect(list.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const one = await t.request().get(`${base}/versions/1`).set(admin);
    expect(one.body.content.rows).toHaveLength(2);

    const diff = await t.request().get(`${base}/versions/1/diff/2`).set(admin);
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: 1, to: 2, columns: { added: [], removed: [], changed: [] } });
    expect(diff.body.added).toEqual([expect.objectContaining({ key: { grade: 2 } })]);
    expect(diff.body.removed).toEqual([]);
    expect(diff.body.modified).toEqual([
      expect.objectContaining({ changes: [{ column: "values.amount", before: "120", after: "130" }] }),
    ]);
    const toDraft = await t.request().get(`${base}/versions/2/diff/draft`).set(admin);
    expect(toDraft.body).toMatchObject({ from: 2, to: "draft", added: [], removed: [], modified: [] });
    expect((await t.request().get(`${base}/versions/1/diff/9`).set(admin)).status).toBe(404);

    const rollback = await t.request().post(`${base}/rollback`).set(admin).send({ version: 1 });
    expect(rollback.status).toBe(201);
    expect(rollback.body).toMatchObject({ version: 3, rolledBackFrom: 1, note: "Rollback to version 1" });
    const after = (await t.request().get(base).set(admin)).body;
    expect(after).toMatchObject({ latestVersion: 3 });
    expect(after.rows).toEqual(one.body.content.rows);

    for (const method of ["put", "delete"] as const) {
      const res = await t.request()[method](`${base}/versions/1`).set(admin).send({ rows: [] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("VERSION_IMMUTABLE");
    }
    expect((await t.request().put(`${base}/versions/42`).set(admin).send({})).status).toBe(404);
    expect((await t.request().get(`${base}/versions/1`).set(admin)).body.content).toEqual(one.body.content);
  });

  it(
    "imports CSV into the draft: every bad row reported with line " + "and column, nothing applied; export round-trips",
    async () => {
      const admin = await t.admin();
      const base = "/api/policy-tables/grades";
      const before = (await t.request().get(base).set(admin)).body;
      const exported = await t.request().get(`${base}/export`).set(admin);
      expect(exported.status).toBe(200);
      expect(exported.headers["content-type"]).toMatch(/^text\/csv/);
      expect(exported.text.split("\n")[0]).toBe("grade,amount,effectiveFrom,effectiveTo,source,confidence,note");

      const bad =
        "grade,amount,effectiveFrom,effectiveTo,source,confidence,note\n" +
        "1,100,2024-01-01,,x,H,\nx,10,2024-01-01,,x,H,\n2,5,2024-13-01,,x,H,\n3,ten,2024-01-01,,x,H,\n";
      const res = await t
        .request()
        .post(`${base}/import?revision=${before.revision}`)
        .set(admin)
        .set("content-type", "text/csv")
        .send(bad);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("INVALID_CSV");
      expect(res.body.details.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ line: 3, column: "grade" }),
          expect.objectContaining({ line: 4, column: "effectiveFrom" }),
          expect.objectContaining({ line: 5, column: "amount" }),
        ]),
      );
      expect(res.body.details.errors).toHaveLength(3);
      expect((await t.request().get(base).set(admin)).body).toMatchObject({
        revision: before.revision,
        rows: before.rows,
      });

      const csv =
        "grade,amount,effectiveFrom,effectiveTo,source,confidence,note\n" +
        '1,150,2025-01-01,,import,M,"new, with comma"\n3,300.50,2025-01-01,2025-12-31,import,L,\n';
      const stale = await t
        .request()
        .post(`${base}/import`)
        .set(admin)
        .set("content-type", "text/csv")
        .set("If-Match", `"${before.revision - 1}"`)
        .send(csv);
      expect(stale.status).toBe(409);
      const ok = await t
        .request()
        .post(`${base}/import`)
        .set(admin)
        .set("content-type", "text/csv")
        .set("If-Match", `"${before.revision}"`)
        .send(csv);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ imported: 2, rowCount: 2, revision: before.revision + 1 });
      expect(ok.body.rows).toBeUndefined();
      const imported = (await t.request().get(base).set(admin)).body;
      expect(imported.rows[0]).toEqual({
        key: { grade: 1 },
        values: { amount: "150" },
        effectiveFrom: "2025-01-01",
        effectiveTo: null,
        source: "import",
        confidence: "M",
        note: "new, with comma",
      });

      const again = await t.request().get(`${base}/export`).set(admin);
      const reimport = await t
        .request()
        .post(`${base}/import?revision=${ok.body.revision}`)
        .set(admin)
        .set("content-type", "text/csv")
        .send(again.text);
      expect(reimport.status).toBe(200);
      expect((await t.request().get(base).set(admin)).body.rows).toEqual(imported.rows);
      const v1 = await t.request().get(`${base}/export?version=1`).set(admin);
      expect(v1.headers["content-disposition"]).toContain("grades-v1.csv");
      expect(v1.text.trim().split("\n")).toHaveLength(3);
      expect((await t.request().post(`${base}/import`).set(admin).send({ rows: [] })).status).toBe(415);
      expect(
        (
          await t
            .request()
            .post(`${base}/import`)
            .set(await t.hr())
            .set("content-type", "text/csv")
            .send(csv)
        ).status,
      ).toBe(403);
    },
  );

  it("looks up the row in force on a date from the published tables", async () => {
    const hr = await t.hr();
    const key = encodeURIComponent(JSON.stringify({ city: "110000", insurance: "pension" }));
    const res = await t.request().get(`/api/policy-lookup?table=si-base-limits&key=${key}&date=2024-09-01`).set(hr);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      table: "si-base-limits",
      version: 1,
      row: { values: { lower: "6821", upper: "35283" }, effectiveFrom: "2024-07-01" },
    });
    const none = await t.request().get(`/api/policy-lookup?table=si-base-limits&key=${key}&date=1999-01-01`).set(hr);
    expect(none.status).toBe(404);
    expect(none.body.code).toBe("NO_ROW_IN_FORCE");
    expect((await t.request().get(`/api/policy-lookup?table=nope&key=${key}&date=2024-09-01`).set(hr)).status).toBe(
      404,
    );
    expect(
      (await t.request().get(`/api/policy-lookup?table=si-base-limits&key={bad&date=2024-09-01`).set(hr)).status,
    ).toBe(400);
    const grade = await t
      .request()
      .get(`/api/policy-lookup?table=grades&key=${encodeURIComponent('{"grade":1}')}&date=2024-07-01`)
      .set(hr);
    expect(grade.body).toMatchObject({ version: 3, row: { values: { amount: "120" } } });
  });

  it("installs the reference data into a tenant idempotently", async () => {
    const retail = await t.admin("retail");
    expect((await t.request().delete("/api/policy-tables/si-rates").set(retail)).status).toBe(200);
    const first = await t.request().post("/api/policy-tables/install-reference").set(retail);
    expect(first.status).toBe(200);
    expect(first.body.installed).toEqual(["si-rates"]);
    expect(first.body.skipped).toHaveLength(referenceTables.length - 1);
    const second = await t.request().post("/api/policy-tables/install-reference").set(retail);
    expect(second.body).toMatchObject({ installed: [] });
    expect(second.body.skipped).toHaveLength(referenceTables.length);
    const versions = await t.request().get("/api/policy-tables/si-rates/versions").set(retail);
    expect(versions.body).toEqual([
      expect.objectContaining({ version: 1, effectiveFrom: "2000-01-01", note: "Ordo reference data" }),
    ]);
    expect(
      (
        await t
          .request()
          .post("/api/policy-tables/install-reference")
          .set(await t.hr())
      ).status,
    ).toBe(403);
  });

  it("keeps tenants apart: a demo table is a 404 from retail", async () => {
    const retail = await t.admin("retail");
    expect((await t.request().get("/api/policy-tables/grades").set(retail)).status).toBe(404);
    expect((await t.request().get("/api/policy-tables/grades/versions/1").set(retail)).status).toBe(404);
    expect(
      (await t.request().put("/api/policy-tables/grades").set(retail).send({ revision: 1, rows: [] })).status,
    ).toBe(404);
    expect((await t.request().post("/api/policy-tables/grades/publish").set(retail).send({})).status).toBe(404);
    const lookup = await t
      .request()
      .get(`/api/policy-lookup?table=grades&key=${encodeURIComponent('{"grade":1}')}&date=2024-07-01`)
      .set(retail);
    expect(lookup.status).toBe(404);
    const list = await t.request().get("/api/policy-tables").set(retail);
    expect(list.body.map((r: { key: string }) => r.key)).not.toContain("grades");
    expect(
      (
        await t
          .request()
          .get("/api/policy-tables/grades")
          .set(await t.admin())
      ).status,
    ).toBe(200);
  });

  it("documents every route with its body schema", async () => {
    const doc = (
      await t
        .request()
        .get("/api/openapi.json")
        .set(await t.admin())
    ).body;
    expect(
      doc.paths["/api/policy-tables/{key}/publish"].post.requestBody.content["application/json"].schema.properties
        .effectiveFrom,
    ).toBeDefined();
    expect(doc.paths["/api/policy-tables"].post.requestBody).toBeDefined();
    for (const p of [
      "/api/policy-tables/{key}/versions/{a}/diff/{b}",
      "/api/policy-tables/{key}/import",
      "/api/policy-tables/{key}/export",
      "/api/policy-lookup",
      "/api/policy-tables/install-reference",
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});
