import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type BuilderGroup,
  type BuilderRule,
  fromQuery,
  RAW,
  SHARED,
  toQuery,
} from "../../admin/src/rule-sets/builder/convert";
import { orderCondition } from "../../admin/src/rule-sets/format";

const packs = join(import.meta.dirname, "..", "..", "rules", "packs");
const packFiles = readdirSync(packs, { recursive: true, encoding: "utf8" }).filter(
  // Rule sets: the JSON files right in a pack's folder, not its manifest (pack.json) nor the files of its
  // other assets in subfolders (policy-tables/, reports/, custom-fields/).
  (f) => f.endsWith(".json") && !f.endsWith("pack.json") && f.split(/[\\/]/).length === 2,
);

/** Exact round trip: deep-equal, and the same text once put in the editor's reading order. */
function roundTrips(conditions: unknown) {
  const back = fromQuery(toQuery(conditions, "/rules/0/conditions"));
  expect(back).toStrictEqual(conditions);
  expect(JSON.stringify(back)).toBe(JSON.stringify(orderCondition(conditions)));
}

describe("rule builder conversion", () => {
  it("finds the shipped packs", () => expect(packFiles.length).toBeGreaterThanOrEqual(7));

  for (const file of packFiles) {
    it(`round-trips every rule and shared condition of ${file}`, () => {
      const pack = JSON.parse(readFileSync(join(packs, file), "utf8"));
      expect(pack.rules.length).toBeGreaterThan(0);
      for (const rule of pack.rules) roundTrips(orderCondition(rule.conditions));
      for (const c of Object.values(pack.sharedConditions ?? {})) roundTrips(orderCondition(c));
    });
  }

  it("maps groups, not, references and fact values onto react-querybuilder's shape", () => {
    const q = toQuery(
      {
        any: [
          { fact: "age", operator: "greaterThan", value: 60 },
          { not: { all: [{ fact: "city", operator: "equal", value: { fact: "homeCity" } }] } },
          { condition: "enrolled" },
        ],
      },
      "/rules/2/conditions",
    );
    expect(q).toMatchObject({
      id: "/rules/2/conditions",
      combinator: "any",
      rules: [
        { id: "/rules/2/conditions/any/0", field: "age", operator: "greaterThan", value: 60 },
        {
          id: "/rules/2/conditions/any/1",
          not: true,
          combinator: "all",
          rules: [
            { id: "/rules/2/conditions/any/1/not/all/0", field: "city", value: "homeCity", valueSource: "field" },
          ],
        },
        { id: "/rules/2/conditions/any/2", field: SHARED, value: "enrolled" },
      ],
    });
  });

  it("keeps {not: leaf} apart from {not: {all: [leaf]}}, and nested nots", () => {
    const leaf = { fact: "enrolled", operator: "equal", value: true };
    roundTrips({ not: leaf });
    roundTrips({ not: { all: [leaf] } });
    roundTrips({ not: { not: { any: [leaf, leaf] } } });
    roundTrips({ all: [{ not: { condition: "x" } }] });
    const bare = toQuery({ not: leaf }, "/c");
    expect(bare).toMatchObject({ not: true, rules: [{ id: "/c/not", field: "enrolled" }] });
  });

  it("round-trips top-level references, names, priorities, paths, params and fact references with a path", () => {
    roundTrips({ condition: "shared-one", name: "ref", priority: 2 });
    roundTrips({
      all: [
        {
          name: "window",
          fact: "policy",
          path: "$.rate",
          params: { table: "t", key: { city: { fact: "insuredCity" } } },
          operator: "greaterThan",
          value: { fact: "gapOptions", path: "backPayment.windowMonths" },
          priority: 3,
        },
        { any: [], name: "empty", priority: 1 },
      ],
      name: "top",
      priority: 9,
    });
    roundTrips({ not: { any: [{ fact: "a", operator: "in", value: ["x", "y"] }], name: "inner" }, name: "outer" });
  });

  it("writes keys in the editor's reading order whatever order the server gave", () => {
    const sorted = { all: [{ fact: "a", value: 1, operator: "equal", params: { p: 1 }, name: "n" }] };
    expect(JSON.stringify(fromQuery(toQuery(sorted)))).toBe(
      '{"all":[{"name":"n","fact":"a","params":{"p":1},"operator":"equal","value":1}]}',
    );
  });

  it("keeps what it cannot take apart as raw JSON, unchanged", () => {
    const odd = { all: [{ fact: "a" }, 42, { all: [], any: [] }, { fact: "b", operator: "equal" }] };
    const q = toQuery(odd);
    expect((q.rules as BuilderRule[]).slice(0, 3).map((r) => r.field)).toEqual([RAW, RAW, RAW]);
    roundTrips(odd);
  });

  it("turns builder edits into the JSON a consultant would type", () => {
    // What react-querybuilder hands back after adding a rule and a group (ids it generated, no meta).
    const q: BuilderGroup = {
      id: "x",
      combinator: "all",
      rules: [
        { id: "u1", field: "enrolled", operator: "equal", value: true, valueSource: "value" },
        {
          id: "u2",
          combinator: "any",
          not: true,
          rules: [{ id: "u3", field: "workCity", operator: "notEqual", value: "insuredCity", valueSource: "field" }],
        } as BuilderGroup,
        { id: "u4", field: SHARED, operator: "is", value: "has-contract" },
      ],
    };
    expect(fromQuery(q)).toStrictEqual({
      all: [
        { fact: "enrolled", operator: "equal", value: true },
        { not: { any: [{ fact: "workCity", operator: "notEqual", value: { fact: "insuredCity" } }] } },
        { condition: "has-contract" },
      ],
    });
  });
});
