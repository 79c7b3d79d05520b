/**
 * Issue 15, parts 1, 2 and 6: every write through the API appends an audit entry (who, what, before /
 * after, secrets masked) to a per-tenant hash chain that verify checks; entries of lifecycle operations
 * link to their decision; the log is append-only and survives the retention purge.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { enc } from "../support/http";
import { newWebhookSecret } from "../../plugins/channel-webhook";
import { purgeAudit } from "../../server/audit/service";
import { audit } from "../../server/audit/log";
import { DEMO_USERS } from "../support/constants";
import { loadConfig } from "../../server/config";

let t: TestApp;
let h: Record<string, string>;
let tenantId: string;
let employeeId: string;
type Row = Record<string, any>;

const entries = async (filter: object, headers = h): Promise<Row[]> => {
  const res = await t
    .request()
    .get(`/api/audit?filter=${enc(filter)}&range=[0,999]`)
    .set(headers);
  expect(res.status).toBe(200);
  return res.body;
};
const verify = async () => {
  const res = await t.request().get("/api/audit/verify").set(h);
  expect(res.status).toBe(200);
  return res.body;
};
const count = async () => Number((await t.db("audit_log").where({ tenant_id: tenantId }).count({ n: "*" }))[0]!.n);
/** What a superuser can do and the app cannot: write past the append-only trigger. */
async function bypassTrigger(fn: () => Promise<unknown>) {
  await t.db.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
  try {
    await fn();
  } finally {
    await t.db.raw("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
  }
}

beforeAll(async () => {
  t = await startTestApp();
  h = await t.admin("demo");
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first()).id;
  const list = await t.request().get("/api/employees?range=[0,0]").set(h);
  employeeId = list.body[0].id;
});
afterAll(() => t.close());

describe("audit entries", () => {
  it("editing an employee's wage, a policy rate and a rule set leaves three entries with before / after", async () => {
    const before = await count();
    const emp = (await t.request().get(`/api/employees/${employeeId}`).set(h)).body;
    const wage = emp.monthlyWage === "23456.00" ? "23457.00" : "23456.00";
    expect((await t.request().put(`/api/employees/${employeeId}`).set(h).send({ monthlyWage: wage })).status).toBe(200);

    const table = (await t.request().get("/api/policy-tables/si-rates").set(h)).body;
    const rows = structuredClone(table.rows) as Row[];
    const oldRate = rows[0]!.values.employerRate;
    rows[0]!.values.employerRate = "15.5";
    const put = await t.request().put("/api/policy-tables/si-rates").set(h).send({ revision: table.revision, rows });
    expect(put.status).toBe(200);

    const rs = (await t.request().get("/api/rule-sets/enrollment").set(h)).body;
    const saved = await t
      .request()
      .put("/api/rule-sets/enrollment")
      .set(h)
      .send({ revision: rs.revision, description: "audited edit" });
    expect(saved.status).toBe(200);
    expect(await count()).toBe(before + 3);

    const [wageEntry] = await entries({ resource: "employees", resourceId: employeeId, operation: "update" });
    expect(wageEntry).toMatchObject({
      resource: "employees",
      resourceId: employeeId,
      operation: "update",
      userEmail: "admin@ordo.local",
      role: "consultant",
      before: { monthlyWage: emp.monthlyWage },
      after: { monthlyWage: wage },
      requestId: expect.any(String),
    });
    // Only what changed is recorded.
    expect(Object.keys(wageEntry!.after)).toEqual(["monthlyWage"]);
    const [rateEntry] = await entries({ resource: "policy-table", resourceId: "si-rates" });
    expect(rateEntry).toMatchObject({
      operation: "save-draft",
      before: { rows: { 0: { values: { employerRate: oldRate } } } },
      after: { rows: { 0: { values: { employerRate: "15.5" } } } },
    });
    const [ruleEntry] = await entries({ resource: "rule-set", resourceId: "enrollment" });
    expect(ruleEntry).toMatchObject({
      operation: "save-draft",
      before: { description: rs.description ?? null },
      after: { description: "audited edit" },
    });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("stores a change too large to keep whole as its size, hash and changed paths", async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => ({
      key: { grade: i },
      values: { amount: `${i}.00`, label: "x".repeat(40) },
      effectiveFrom: "2024-01-01",
      effectiveTo: null,
      source: "test",
      confidence: "H",
    }));
    const created = await t
      .request()
      .post("/api/policy-tables")
      .set(h)
      .send({
        key: "audit-large",
        name: "Large",
        keyColumns: { grade: { type: "integer", minimum: 0 } },
        valueColumns: { amount: { type: "string", pattern: "^\\d+\\.\\d{2}$" }, label: { type: "string" } },
        rows: [],
      });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const put = await t
      .request()
      .put("/api/policy-tables/audit-large")
      .set(h)
      .send({ revision: created.body.revision, rows });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const [entry] = await entries({ resource: "policy-table", resourceId: "audit-large", operation: "save-draft" });
    expect(entry!.after).toMatchObject({ truncated: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(entry!.after.bytes).toBeGreaterThan(256 * 1024);
    expect(entry!.after.paths).toHaveLength(100);
    expect(entry!.after.paths[0]).toBe("/rows/0/key/grade");
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("records nothing for a refused write, and the safety net records routes with no storage hook", async () => {
    const before = await count();
    const bad = await t.request().put(`/api/employees/${employeeId}`).set(h).send({ monthlyWage: "lots" });
    expect(bad.status).toBe(400);
    expect(await count()).toBe(before);
    // Sending due notifications has no storage hook of its own: the safety net records the route.
    const sent = await t.request().post("/api/notifications/dispatch?wait=true").set(h).send({});
    expect(sent.status).toBeLessThan(300);
    const [entry] = await entries({ resource: "notifications" });
    expect(entry).toMatchObject({ operation: "POST /notifications/dispatch" });
    // A batch upload's dry run is rolled back with its entries; the upload itself is recorded.
    const csv = "kind,employeeNo,date\nleave,E00001,2025-06-30\n";
    const up = await t.request().post("/api/batches?at=2025-06-01").set(h).set("content-type", "text/csv").send(csv);
    expect(up.status).toBe(201);
    const batch = await entries({ resource: "batches", resourceId: up.body.id });
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({ operation: "create", after: { counts: { rows: 1 } } });
    expect(await entries({ resource: "employees", operation: "leave" })).toHaveLength(0);
  });

  it("records custom fields and alert actions with before / after", async () => {
    const field = await t
      .request()
      .post("/api/entities/employees/fields")
      .set(h)
      .send({ name: "auditBadge", schema: { type: "string" } });
    expect(field.status).toBeLessThan(300);
    const [added] = await entries({ resource: "employees.custom-fields", resourceId: "auditBadge" });
    expect(added).toMatchObject({ operation: "create", after: { name: "auditBadge", schema: { type: "string" } } });
    expect((await t.request().delete("/api/entities/employees/fields/auditBadge").set(h)).status).toBeLessThan(300);
    const removed = await entries({ resource: "employees.custom-fields", operation: "delete" });
    expect(removed[0]).toMatchObject({ resourceId: "auditBadge", before: { name: "auditBadge" } });

    const [alert] = await t
      .db("alerts")
      .insert({
        tenant_id: tenantId,
        type: "not_received",
        severity: "warning",
        employee_id: employeeId,
        message: "",
        data: JSON.stringify({ month: "2025-05" }),
        dedupe_key: "audit-test",
      })
      .returning("*");
    const res = await t.request().post(`/api/alerts/${alert.id}/resolve`).set(h).send({ note: "核对完毕" });
    expect(res.status).toBe(200);
    const [resolved] = await entries({ resource: "alerts", resourceId: alert.id });
    expect(resolved).toMatchObject({ operation: "resolve", before: { resolved: false }, after: { resolved: true } });
  });

  it("records no entry for a calculation (a POST marked as writing nothing)", async () => {
    const before = await count();
    const calc = await t
      .request()
      .post("/api/si/contributions")
      .set(h)
      .send({ city: "110000", month: "2025-04", wage: "12000" });
    expect(calc.status).toBe(200);
    expect(await count()).toBe(before);
  });

  it("masks channel secrets", async () => {
    const secret = newWebhookSecret();
    const url = "https://hooks.example.test/ordo-audit";
    const res = await t
      .request()
      .put("/api/channels/webhook")
      .set(h)
      .send({ settings: { preset: "standard" }, secrets: { url, secret } });
    expect(res.status).toBe(200);
    const [entry] = await entries({ resource: "channels", resourceId: "webhook" });
    expect(entry).toMatchObject({ operation: "create", before: null });
    expect(entry!.after).toMatchObject({ settings: { preset: "standard" }, secrets: { url: "***", secret: "***" } });
    // Writing the same secret again changes nothing; a new secret is named as changed, never shown.
    const again = await t.request().put("/api/channels/webhook").set(h).send({ secrets: { secret } });
    expect(again.status).toBe(200);
    const [second] = await entries({ resource: "channels", resourceId: "webhook" });
    expect(second).toMatchObject({ operation: "update", before: {}, after: {} });
    const rotated = await t
      .request()
      .put("/api/channels/webhook")
      .set(h)
      .send({ secrets: { secret: newWebhookSecret() } });
    expect(rotated.status).toBe(200);
    const [third] = await entries({ resource: "channels", resourceId: "webhook" });
    expect(third).toMatchObject({ after: { changedSecrets: ["secrets"] } });
    const stored = JSON.stringify(await t.db("audit_log").where({ tenant_id: tenantId }).select("before", "after"));
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(url);
    // A password change (a route without a tenant) is recorded in the user's tenant, without the passwords.
    const hr = await t.hr();
    const change = await t
      .request()
      .post("/api/auth/password")
      .set(hr)
      .send({ currentPassword: DEMO_USERS.hr.password, newPassword: "audited-new-password-1" });
    expect(change.status).toBe(200);
    const [pw] = await entries({ resource: "auth" });
    expect(pw).toMatchObject({ userEmail: DEMO_USERS.hr.email, operation: "POST /auth/password" });
    expect(pw!.after.body).toEqual({ currentPassword: "***", newPassword: "***" });
    const rows = await t.db("audit_log").where({ tenant_id: tenantId }).select("after");
    expect(JSON.stringify(rows)).not.toContain("audited-new-password-1");
    expect(JSON.stringify(rows)).not.toContain(DEMO_USERS.hr.password);
  });

  it("links a lifecycle operation's entry to its decision, expanded by GET /api/audit/:id", async () => {
    const res = await t
      .request()
      .post(`/api/employees/${employeeId}/wage-change`)
      .set(h)
      .send({ wage: "19999", effectiveMonth: "2025-04", at: "2025-04-02" });
    expect(res.status).toBe(200);
    const decisionId = res.body.decision.id;
    const [entry] = await entries({ resourceId: employeeId, operation: "wage-change" });
    expect(entry).toMatchObject({ resource: "employees", decisionId, after: { monthly_wage: "19999.00" } });
    const one = await t.request().get(`/api/audit/${entry!.id}`).set(h);
    expect(one.status).toBe(200);
    expect(one.body.decision).toMatchObject({
      id: decisionId,
      ruleSet: "wage-change",
      version: expect.any(Number),
      facts: { wage: "19999.00", effectiveMonth: "2025-04" },
      trace: expect.any(Array),
    });
  });

  it("links a monthly run's entries to the run's decision and to each employee's decision", async () => {
    // Every employee gets a recorded decision, so each should have an entry linking to it.
    const doc = (await t.request().get("/api/rule-sets/monthly-check").set(h)).body;
    const rules = [
      {
        name: "audit-probe",
        conditions: { all: [{ fact: "scope", operator: "equal", value: "employee" }] },
        event: { type: "record-decision", params: { reason: "audit probe" } },
      },
    ];
    const saved = await t
      .request()
      .put("/api/rule-sets/monthly-check")
      .set(h)
      .send({ revision: doc.revision, rules, testCases: [] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const published = await t
      .request()
      .post("/api/rule-sets/monthly-check/publish")
      .set(h)
      .send({ effectiveFrom: "2025-04-01" });
    expect(published.status).toBe(201);
    const [publishEntry] = await entries({ resource: "rule-set", resourceId: "monthly-check", operation: "publish" });
    expect(publishEntry!.after).toMatchObject({ latestVersion: published.body.version, effectiveFrom: "2025-04-01" });
    const run = await t
      .request()
      .post("/api/monthly-runs?wait=true")
      .set(h)
      .send({ month: "2025-04", at: "2025-04-28" });
    expect(run.body).toMatchObject({ status: "done" });
    const [started] = await entries({ resource: "monthly-runs" });
    // Run in the request (wait=true), so the consultant who started it is named.
    expect(started).toMatchObject({ operation: "monthly-run", decisionId: expect.any(String), role: "consultant" });
    const one = (await t.request().get(`/api/audit/${started!.id}`).set(h)).body;
    expect(one.decision).toMatchObject({ ruleSet: "monthly-check", facts: { month: "2025-04" } });
    const decided = await t
      .db("decisions")
      .where({ tenant_id: tenantId, operation: "monthly-run" })
      .whereNotNull("employee_id");
    expect(decided.length).toBeGreaterThan(0);
    const linked = await entries({ resource: "employees", operation: "monthly-run" });
    expect(linked.map((e) => e.decisionId).sort()).toEqual(decided.map((d: Row) => d.id).sort());
  });

  it("lists a record's history: every entry of that record, newest first", async () => {
    const history = await entries({ resource: "employees", resourceId: employeeId });
    // The profile edit, the wage change (with its decision) and the monthly run's decision about them.
    expect(history.map((e) => e.operation)).toEqual(["monthly-run", "wage-change", "update"]);
    expect(history.map((e) => !!e.decisionId)).toEqual([true, true, false]);
    expect(history.every((e) => e.resourceId === employeeId)).toBe(true);
    const range = await t
      .request()
      .get(`/api/audit?filter=${enc({ resourceId: employeeId, from: "2000-01-01", to: "2000-12-31" })}`)
      .set(h);
    expect(range.body).toEqual([]);
    const bad = await t
      .request()
      .get(`/api/audit?filter=${enc({ from: "yesterday" })}`)
      .set(h);
    expect(bad.status).toBe(400);
  });

  it("answers 403 to the employee role", async () => {
    const e = await t.employee();
    expect((await t.request().get("/api/audit").set(e)).status).toBe(403);
    expect((await t.request().get("/api/audit/verify").set(e)).status).toBe(403);
    const [any] = await entries({});
    expect((await t.request().get(`/api/audit/${any!.id}`).set(e)).status).toBe(403);
  });
});

describe("append-only and tamper-evident", () => {
  it("offers no API to change or delete an entry", async () => {
    const [entry] = await entries({});
    for (const method of ["put", "patch", "delete"] as const) {
      const res = await t.request()[method](`/api/audit/${entry!.id}`).set(h).send({ operation: "x" });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("ROUTE_NOT_FOUND");
    }
    expect((await t.request().post("/api/audit").set(h).send({})).status).toBe(404);
  });

  it("refuses UPDATE, DELETE and TRUNCATE through the app's database connection", async () => {
    await expect(t.db("audit_log").update({ operation: "forged" })).rejects.toThrow(/append-only/);
    await expect(t.db("audit_log").where({ tenant_id: tenantId }).delete()).rejects.toThrow(/append-only/);
    await expect(t.db.raw("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("verify answers the entry altered in the database directly", async () => {
    const rows = await t.db("audit_log").where({ tenant_id: tenantId }).orderBy("seq");
    const victim = rows[Math.floor(rows.length / 2)]!;
    await bypassTrigger(() =>
      t.db("audit_log").where({ tenant_id: tenantId, seq: victim.seq }).update({ operation: "forged" }),
    );
    expect(await verify()).toMatchObject({
      ok: false,
      broken: { id: victim.id, seq: Number(victim.seq), reason: "hash" },
    });
    await bypassTrigger(() =>
      t.db("audit_log").where({ tenant_id: tenantId, seq: victim.seq }).update({ operation: victim.operation }),
    );
    expect(await verify()).toMatchObject({ ok: true });

    // An edited before / after (jsonb) is found as well.
    const withAfter = rows.find((r) => r.after && r.resource === "employees")!;
    await bypassTrigger(() =>
      t
        .db("audit_log")
        .where({ tenant_id: tenantId, seq: withAfter.seq })
        .update({ after: JSON.stringify({ monthlyWage: "1.00" }) }),
    );
    expect((await verify()).broken).toMatchObject({ seq: Number(withAfter.seq), reason: "hash" });
    await bypassTrigger(() =>
      t
        .db("audit_log")
        .where({ tenant_id: tenantId, seq: withAfter.seq })
        .update({ after: JSON.stringify(withAfter.after) }),
    );
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("verify finds a row deleted from the middle of the chain", async () => {
    const rows = await t.db("audit_log").where({ tenant_id: tenantId }).orderBy("seq");
    const victim = rows[Math.floor(rows.length / 2)]!;
    await bypassTrigger(() => t.db("audit_log").where({ tenant_id: tenantId, seq: victim.seq }).delete());
    const res = await verify();
    expect(res).toMatchObject({ ok: false, broken: { seq: Number(victim.seq) + 1, reason: "gap" } });
    expect(res.broken.message).toContain(String(victim.seq));
    await t.db("audit_log").insert({
      ...victim,
      before: victim.before === null ? null : JSON.stringify(victim.before),
      after: victim.after === null ? null : JSON.stringify(victim.after),
    });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("keeps one chain under concurrent writes", async () => {
    const ids = (await t.request().get("/api/employees?range=[1,5]").set(h)).body.map((e: Row) => e.id);
    const results = await Promise.all(
      ids.map((id: string, i: number) =>
        t
          .request()
          .put(`/api/employees/${id}`)
          .set(h)
          .send({ monthlyWage: `${30000 + i}.00` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("serialises appends from parallel transactions into one chain (no fork, no duplicate seq)", async () => {
    const before = await count();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.db.transaction(async (trx) => {
          await audit(trx, tenantId, { resource: "probe", resourceId: String(i), operation: "parallel" });
          await trx.raw("SELECT pg_sleep(0.01)");
        }),
      ),
    );
    expect(await count()).toBe(before + 12);
    expect(await verify()).toMatchObject({ ok: true });
  });
});

describe("payments and users", () => {
  it("records a paid month and a disabled user with before / after", async () => {
    // A month of ledger: another employee hired, then that month's run.
    const other = (await t.db("employees").where({ tenant_id: tenantId }).whereNot({ id: employeeId }).first()).id;
    const hired = await t.request().post(`/api/employees/${other}/hire`).set(h).send({ date: "2025-05-01" });
    expect(hired.status).toBe(200);
    const run = await t
      .request()
      .post("/api/monthly-runs?wait=true")
      .set(h)
      .send({ month: "2025-05", at: "2025-05-28" });
    expect(run.body).toMatchObject({ status: "done" });
    const due = await t
      .db("contributions")
      .where({ tenant_id: tenantId, status: "due", month: "2025-05", employee_id: other })
      .first();
    expect(due).toBeTruthy();
    const paid = await t
      .request()
      .post(`/api/contributions/${due.id}/pay`)
      .set(h)
      .send({ paidOn: `${due.month}-20` });
    expect(paid.status).toBe(200);
    const [pay] = await entries({ resource: "contributions", resourceId: due.id });
    expect(pay).toMatchObject({
      operation: "pay",
      before: { status: "due" },
      after: { status: "paid", paidOn: `${due.month}-20`, source: "single" },
    });

    const hr = await t.db("users").where({ email: DEMO_USERS.hr.email }).first();
    expect((await t.request().post(`/api/users/${hr.id}/disable`).set(h)).status).toBe(200);
    expect((await t.request().post(`/api/users/${hr.id}/enable`).set(h)).status).toBe(200);
    const changes = await entries({ resource: "users", resourceId: hr.id });
    expect(changes.map((e) => [e.operation, e.before, e.after])).toEqual([
      ["enable", { disabled: true }, { disabled: false }],
      ["disable", { disabled: false }, { disabled: true }],
    ]);
  });
});

describe("retention", () => {
  it("purges entries older than the retention and verify still passes from the anchor", async () => {
    const old = await t.db("audit_log").where({ tenant_id: tenantId }).max({ at: "at" }).first();
    const cutoff = new Date(new Date(old!.at).getTime() + 1);
    await new Promise((r) => setTimeout(r, 5));
    const emp = (await t.request().get(`/api/employees/${employeeId}`).set(h)).body;
    await t
      .request()
      .put(`/api/employees/${employeeId}`)
      .set(h)
      .send({ name: `${emp.name}·` });
    const total = await count();
    // Retention of one day, as seen a day after the cutoff: everything before it goes, the rename stays.
    const purged = await purgeAudit(t.db, 1, new Date(cutoff.getTime() + 86_400_000));
    expect(purged).toBeGreaterThanOrEqual(total - 1);
    expect(await count()).toBe(1);
    const res = await verify();
    expect(res).toMatchObject({ ok: true, entries: 1, anchorSeq: total - 1, lastSeq: total });
    // The chain continues after the purge.
    await t.request().put(`/api/employees/${employeeId}`).set(h).send({ name: emp.name });
    expect(await verify()).toMatchObject({ ok: true, entries: 2 });
    // Without the anchor's purge, a missing first entry is a gap.
    const first = await t.db("audit_log").where({ tenant_id: tenantId }).orderBy("seq").first();
    await bypassTrigger(() => t.db("audit_log").where({ tenant_id: tenantId, seq: first.seq }).delete());
    expect((await verify()).broken).toMatchObject({ reason: "gap", seq: Number(first.seq) + 1 });
  });

  it("validates ORDO_AUDIT_RETENTION_DAYS", () => {
    expect(loadConfig({ DATABASE_URL: "memory", ORDO_AUDIT_RETENTION_DAYS: "30" }).auditRetentionDays).toBe(30);
    for (const bad of ["0", "-1", "ten", "36601"])
      expect(() => loadConfig({ DATABASE_URL: "memory", ORDO_AUDIT_RETENTION_DAYS: bad })).toThrow(
        /ORDO_AUDIT_RETENTION_DAYS/,
      );
  });

  it("runs the purge from the queue's daily tick with the configured retention", async () => {
    expect(t.ctx.config.auditRetentionDays).toBe(3660);
    const far = new Date(Date.now() + 3661 * 86_400_000);
    const started = new Date();
    expect(await count()).toBeGreaterThan(0);
    await t.ctx.jobs.tick(far);
    // The far tick also fires the tenant's schedules: a monthly run the queue processes meanwhile appends
    // new entries; every entry written before the tick is gone.
    expect(
      Number((await t.db("audit_log").where({ tenant_id: tenantId }).where("at", "<", started).count())[0]!.count),
    ).toBe(0);
    const anchor = await t.db("audit_anchors").where({ tenant_id: tenantId }).first();
    expect(Number(anchor.seq)).toBeGreaterThan(0);
  });
});
