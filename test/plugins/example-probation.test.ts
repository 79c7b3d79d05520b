import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRuleSet, createRegistry, runActions, type AlertInput } from "../../rules";
import { builtinPlugins } from "../../plugins";
import probation, { addMonths } from "../../plugins/example-probation";
import { startTestApp, type TestApp } from "../support/app";

const registry = createRegistry([...builtinPlugins, probation]);
const content = {
  facts: { hireDate: { type: "string", format: "date" }, tenureMonths: { type: "integer" } },
  rules: [
    {
      name: "probation ends within 30 days",
      conditions: {
        all: [
          {
            fact: "daysBetween",
            params: { from: "today", to: "probationEnd" },
            operator: "lessThanInclusive",
            value: 30,
          },
          {
            fact: "daysBetween",
            params: { from: "today", to: "probationEnd" },
            operator: "greaterThanInclusive",
            value: 0,
          },
        ],
      },
      event: { type: "probation-review", params: { message: "Probation ends soon" } },
    },
    {
      name: "anniversary",
      conditions: { all: [{ fact: "tenureMonths", operator: "multipleOf", value: 12 }] },
      event: { type: "anniversary" },
    },
  ],
};

describe("example-probation plugin", () => {
  it("adds months with the end-of-month rule", () => {
    expect(addMonths("2024-08-31", 6)).toBe("2025-02-28");
    expect(addMonths("2024-01-15", 6)).toBe("2024-07-15");
  });

  it("its operator, fact and action work inside a rule set", async () => {
    const compiled = compileRuleSet(content, registry);
    const soon = await compiled.evaluate({ hireDate: "2024-01-20", tenureMonths: 24 }, { at: "2024-07-01" });
    // Within one priority, events come in json-rules-engine's finishing order: the simpler rule first.
    expect(soon.events.map((e) => e.type)).toEqual(["anniversary", "probation-review"]);
    const later = await compiled.evaluate({ hireDate: "2024-05-20", tenureMonths: 5 }, { at: "2024-07-01" });
    expect(later.events).toEqual([]);
    const raised: AlertInput[] = [];
    const out = await runActions(soon.events, registry, {
      tenantId: "t",
      ruleSet: "probation",
      version: 1,
      facts: {},
      trace: [],
      services: {
        raiseAlert: async (a) => {
          raised.push(a);
          return { written: true };
        },
      },
    });
    expect(out[1]).toMatchObject({ type: "probation-review", handled: true });
    expect(raised).toEqual([expect.objectContaining({ type: "probation_review", message: "Probation ends soon" })]);
    expect(out[0]).toMatchObject({ type: "anniversary", handled: false });
  });

  it("in a dry run (no host services) its action only reports the alert", async () => {
    const out = await runActions([{ type: "probation-review" }], registry, {
      tenantId: "t",
      ruleSet: "probation",
      version: 1,
      facts: {},
      trace: [],
      services: {},
    });
    expect(out[0]!.result).toMatchObject({ raised: false, alert: { type: "probation_review" } });
  });

  it("clashes with nothing built in", () => {
    expect(registry.operators.find((o) => o.name === "multipleOf")?.plugin).toBe("example-probation");
  });
});

describe("enabling a plugin by configuration", () => {
  it("is loaded when ORDO_PLUGINS names it", async () => {
    const { loadConfig } = await import("../../server/config");
    const { loadPlugins } = await import("../../server/plugins");
    const config = loadConfig({ ORDO_PLUGINS: "core-operators,hr-dates,example-probation" });
    const { registry: r } = loadPlugins(config.plugins);
    expect(r.plugins).toEqual(["core-operators", "hr-dates", "example-probation"]);
    expect(r.getFact("probationEnd")).toBeDefined();
  });
});

describe("example-probation on the real host", () => {
  let t: TestApp;
  let h: Record<string, string>;
  type Row = Record<string, any>;
  const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));
  beforeAll(async () => {
    t = await startTestApp({
      ORDO_PLUGINS: "core-operators,hr-dates,record-decision,social-insurance,example-probation",
    });
    h = await t.admin("demo");
  });
  afterAll(() => t.close());

  it(
    "a published rule set using multipleOf, probationEnd and " + "probation-review writes the alert through the API",
    async () => {
      const ruleSet = {
        key: "probation",
        name: "Probation",
        ...content,
        rules: [
          ...content.rules,
          {
            name: "anniversary recorded",
            conditions: { all: [{ fact: "tenureMonths", operator: "multipleOf", value: 12 }] },
            event: { type: "record-decision", params: { reason: "anniversary" } },
          },
        ],
      };
      expect((await t.request().post("/api/rule-sets").set(h).send(ruleSet)).status).toBe(201);
      const published = await t
        .request()
        .post("/api/rule-sets/probation/publish")
        .set(h)
        .send({ effectiveFrom: "2024-01-01" });
      expect(published.status).toBe(201);
      const [employee] = (await t.request().get(`/api/employees?range=[0,0]`).set(h)).body as Row[];
      const applied = await t
        .request()
        .post("/api/rule-sets/probation/apply")
        .set(h)
        .send({ at: "2024-07-01", employeeId: employee!.id, facts: { hireDate: "2024-01-20", tenureMonths: 24 } });
      expect(applied.status).toBe(200);
      expect(applied.body.actions.map((a: Row) => [a.type, a.handled])).toEqual([
        ["anniversary", false],
        ["record-decision", true],
        ["probation-review", true],
      ]);
      const alerts = (
        await t
          .request()
          .get(`/api/alerts?filter=${enc({ type: "probation_review" })}`)
          .set(h)
      ).body;
      expect(alerts).toEqual([
        expect.objectContaining({
          type: "probation_review",
          severity: "info",
          message: "Probation ends soon",
          employeeId: employee!.id,
          decisionId: applied.body.decisionId,
        }),
      ]);
      // record-decision stored a decision row of its own, linked to the operation's decision.
      const recorded = applied.body.actions.find((a: Row) => a.type === "record-decision").result;
      expect(recorded).toMatchObject({ recorded: true, result: { written: true, id: expect.any(String) } });
      const row = await t.db("decisions").where({ id: recorded.result.id }).first();
      expect(row).toMatchObject({
        rule_set: "probation",
        version: 1,
        operation: "apply",
        employee_id: employee!.id,
        facts: { hireDate: "2024-01-20", tenureMonths: 24 },
        events: [{ type: "record-decision", params: { reason: "anniversary" } }],
        actions: [{ type: "record-decision", handled: true, recordedFor: applied.body.decisionId }],
      });
      expect(row.trace.length).toBe(3);
      expect(await t.db("decisions").where({ id: applied.body.decisionId }).first()).toBeDefined();
    },
  );
});
