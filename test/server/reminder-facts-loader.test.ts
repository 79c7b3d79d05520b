/**
 * A chunk's reminder facts (ReminderFactsLoader: one load for many employees, as monthly runs and the
 * notifications bench render them) are the facts of one employee loaded alone (reminderFacts), for every
 * demo employee: leaving, enrolled, with ledger history, without; and the loader loads once per chunk.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { tenantIdOf } from "../support/notifications";
import { runDemoActivity } from "../../server/demo-activity";
import { ReminderFactsLoader, reminderFacts } from "../../server/reminders/facts";

let t: TestApp;
let tenantId: string;

beforeAll(async () => {
  t = await startTestApp();
  tenantId = await tenantIdOf(t);
  await runDemoActivity(t.ctx, "2026-11-25");
});
afterAll(() => t.close());

describe("reminder facts loaded per chunk", () => {
  it("equal the facts of each employee loaded alone, on several dates", async () => {
    const ids: string[] = (await t.ctx.db("employees").where({ tenant_id: tenantId }).orderBy("employee_no")).map(
      (e) => e.id,
    );
    expect(ids.length).toBeGreaterThan(3);
    const withLedger = await t.ctx.db("contributions").where({ tenant_id: tenantId }).countDistinct("employee_id");
    expect(Number(Object.values(withLedger[0]!)[0])).toBeGreaterThan(0);
    const leaving = await t.ctx.db("employees").where({ tenant_id: tenantId }).whereNotNull("leave_date");
    expect(leaving.length).toBeGreaterThan(0);
    for (const at of ["2026-11-25", "2027-03-01"]) {
      const loader = new ReminderFactsLoader(t.ctx.db, tenantId, ids);
      for (const id of ids) {
        const event = { leaveDate: "2027-01-31", n: 1 };
        expect(await loader.facts(id, event, at)).toEqual(await reminderFacts(t.ctx.db, tenantId, id, event, at));
      }
    }
  });

  it("loads the chunk once and an employee outside it alone; an unknown one is a 404", async () => {
    const [a, b] = (await t.ctx.db("employees").where({ tenant_id: tenantId }).orderBy("employee_no").limit(2)).map(
      (e) => e.id as string,
    );
    const queries: string[] = [];
    const listener = (q: { sql: string }) => queries.push(q.sql);
    t.ctx.db.on("query", listener);
    try {
      const loader = new ReminderFactsLoader(t.ctx.db, tenantId, [a!]);
      await loader.facts(a!, {}, "2026-11-25");
      const first = queries.length;
      await loader.facts(a!, {}, "2026-11-26");
      expect(queries.length).toBe(first); // served from the chunk's load
      expect((await loader.facts(b!, {}, "2026-11-25")).employeeId).toBe(b);
      expect(queries.length).toBeGreaterThan(first);
      await expect(loader.facts("00000000-0000-4000-8000-000000000000", {}, "2026-11-25")).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    } finally {
      t.ctx.db.removeListener("query", listener);
    }
  });
});
