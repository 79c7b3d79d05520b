import { describe, expect, it } from "vitest";
import {
  factList,
  fieldKind,
  formFields,
  markersAt,
  operatorsFor,
  paramsSchema,
  parseList,
  parseLoose,
  parseNumber,
  valueKind,
} from "../../admin/src/rule-sets/builder/catalogue";

const OPS = [
  { name: "equal" },
  { name: "in", valueType: "array" },
  { name: "contains", factType: "array" },
  { name: "greaterThan", factType: "number" },
  { name: "dateBefore", factType: "string" },
  { name: "withinDays", factType: "string", params: { type: "object", required: ["days"], properties: { days: {} } } },
];
const facts = factList(
  [
    { name: "age", type: "integer", description: "years" },
    { name: "policy", type: "any", description: "a row" },
    { name: "enrolled", type: "string", description: "overridden by the declared fact" },
  ],
  {
    enrolled: { type: "boolean" },
    leaveDate: { type: "string", format: "date", description: "last day" },
    status: { type: "string", enum: ["a", "b"] },
    wage: { type: ["number", "null"] },
  },
);
const fact = (n: string) => facts.find((f) => f.name === n);
const names = (list: { name: string }[]) => list.map((o) => o.name);

describe("rule builder catalogue", () => {
  it("lists declared facts first (they win over a plugin fact of the same name), then the plugins'", () => {
    expect(names(facts)).toEqual(["enrolled", "leaveDate", "status", "wage", "age", "policy"]);
    expect(fact("enrolled")).toMatchObject({ type: "boolean", declared: true });
    expect(fact("wage")?.type).toBe("number");
    expect(fact("leaveDate")?.description).toBe("last day");
  });

  it("offers the operators that fit the fact's type, and keeps the one in use", () => {
    expect(names(operatorsFor(fact("age"), OPS))).toEqual(["equal", "in", "greaterThan"]);
    expect(names(operatorsFor(fact("leaveDate"), OPS))).toEqual(["equal", "in", "dateBefore", "withinDays"]);
    expect(names(operatorsFor(fact("policy"), OPS))).toEqual(names(OPS));
    expect(names(operatorsFor(fact("enrolled"), OPS, "greaterThan"))).toEqual(["equal", "in", "greaterThan"]);
    expect(names(operatorsFor(fact("enrolled"), OPS, "custom"))).toContain("custom");
  });

  it("picks the value input from the operator and the fact's schema", () => {
    const op = (n: string) => OPS.find((o) => o.name === n);
    expect(valueKind(fact("enrolled"), op("equal"))).toBe("boolean");
    expect(valueKind(fact("age"), op("greaterThan"))).toBe("number");
    expect(valueKind(fact("leaveDate"), op("dateBefore"))).toBe("date");
    expect(valueKind(fact("status"), op("equal"))).toBe("enum");
    expect(valueKind(fact("status"), op("in"))).toBe("list");
    expect(valueKind(fact("policy"), op("equal"))).toBe("json");
    expect(valueKind(undefined, undefined)).toBe("json");
  });

  it("parses typed text into the value a consultant would write", () => {
    expect(parseNumber("-30")).toBe(-30);
    expect(parseNumber("1.5")).toBe(1.5);
    expect(parseNumber("abc")).toBe("abc");
    expect(parseList("seasonal, temporary", false)).toEqual(["seasonal", "temporary"]);
    expect(parseList("1，2, x", true)).toEqual([1, 2, "x"]);
    expect(parseLoose('{"a":1}')).toEqual({ a: 1 });
    expect(parseLoose("0")).toBe(0);
    expect(parseLoose("plain")).toBe("plain");
  });

  it("draws params fields from the schema: fact references, kinds, required, and unknown keys as JSON", () => {
    const ref = { type: "object", required: ["fact"], properties: { fact: { type: "string" } } };
    expect(fieldKind({ anyOf: [{ type: "string", format: "date" }, ref] })).toMatchObject({
      kind: "date",
      factRef: true,
    });
    expect(fieldKind({ enum: ["hr", "employee"] })).toMatchObject({ kind: "enum", factRef: false });
    expect(fieldKind({ type: "integer" }).kind).toBe("number");
    expect(fieldKind(undefined).kind).toBe("json");
    const fields = formFields(
      { type: "object", required: ["to"], properties: { to: { type: "string" } } },
      {
        to: "x",
        extra: { a: 1 },
      },
    );
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["to", "text", true],
      ["extra", "json", false],
    ]);
  });

  it("merges a fact's and an operator's params schemas", () => {
    expect(
      paramsSchema({ properties: { from: {} }, required: ["from"] }, OPS[5].params as Record<string, unknown>),
    ).toEqual({ type: "object", properties: { from: {}, days: {} }, required: ["from", "days"] });
    expect(paramsSchema(undefined, undefined)).toBeUndefined();
  });

  it("finds the markers a condition is named in, leaving its children's to them", () => {
    const m = [
      { pointer: "/rules/0/conditions/all/1/value" },
      { pointer: "/rules/0/conditions/all/10/fact" },
      { pointer: "/rules/0/conditions/all/1/all/0/fact" },
      { pointer: "/rules/0/conditions/all/1" },
    ];
    expect(markersAt(m, "/rules/0/conditions/all/1", ["/rules/0/conditions/all/1/all/0"])).toEqual([m[0], m[3]]);
  });
});
