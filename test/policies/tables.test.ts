import { describe, expect, it } from "vitest";
import {
  createPolicySet,
  diffTables,
  parseRowsCsv,
  rowsToCsv,
  siWorkInjuryClasses,
  validateTable,
  type PolicyRow,
  type TableDef,
} from "../../policies";

const def: TableDef = {
  key: "t",
  name: "Test",
  keyColumns: { city: { type: "string" } },
  valueColumns: { lower: { type: "string", pattern: "^\\d+(\\.\\d+)?$" }, extra: { type: "string" } },
  optionalValues: ["extra"],
};
const row = (city: string, from: string, to: string | null, lower = "1"): PolicyRow => ({
  key: { city },
  values: { lower },
  effectiveFrom: from,
  effectiveTo: to,
  source: "test",
  confidence: "M",
});

describe("validateTable", () => {
  it("accepts adjacent, non-overlapping rows", () => {
    expect(
      validateTable(def, [
        row("a", "2024-01-01", "2024-06-30"),
        row("a", "2024-07-01", null),
        row("b", "2024-01-01", null),
      ]),
    ).toEqual([]);
  });

  it("reports overlapping rows for the same key, naming both", () => {
    const d = validateTable(def, [
      row("a", "2024-07-01", null),
      row("b", "2024-01-01", null),
      row("a", "2024-01-01", "2024-07-01"),
    ]);
    expect(d).toHaveLength(1);
    expect(d[0].code).toBe("OVERLAP");
    expect(d[0].message).toMatch(/rows 2 and 0/);
    expect(d[0].pointer).toBe("/rows/0/effectiveFrom");
  });

  it("reports an open-ended row overlapping a later one", () => {
    const d = validateTable(def, [
      row("a", "2020-01-01", null),
      row("a", "2022-01-01", "2022-12-31"),
      row("a", "2023-01-01", null),
    ]);
    expect(d.map((x) => x.code)).toEqual(["OVERLAP", "OVERLAP"]);
    expect(d[1].message).toMatch(/rows 0 and 2/);
  });

  it("checks types, dates, ranges, required cells and metadata", () => {
    const bad = [
      { ...row("a", "2024-02-30", null), values: { lower: 12 } },
      { ...row("b", "2024-07-01", "2024-06-30"), confidence: "X" },
      { ...row("c", "2024-01-01", null), values: {}, source: "" },
      { ...row("d", "2024-01-01", null), values: { lower: "1", nope: "x" } },
    ] as unknown as PolicyRow[];
    const d = validateTable(def, bad).map((x) => `${x.pointer} ${x.code}`);
    expect(d).toEqual([
      "/rows/0/values/lower TYPE",
      "/rows/0/effectiveFrom DATE",
      "/rows/1/effectiveTo RANGE",
      "/rows/1/confidence CONFIDENCE",
      "/rows/2/values/lower REQUIRED",
      "/rows/2/source REQUIRED",
      "/rows/3/values/nope UNKNOWN_COLUMN",
    ]);
  });
});

describe("PolicySet.lookup", () => {
  const rows = [
    row("a", "2024-07-01", "2025-06-30", "2"),
    row("a", "2023-07-01", "2024-06-30", "1"),
    row("a", "2025-07-01", null, "3"),
  ];
  const set = createPolicySet([{ def, rows }]);

  it("finds the row in force, inclusive at both ends", () => {
    expect(set.lookup("t", { city: "a" }, "2023-07-01")?.values.lower).toBe("1");
    expect(set.lookup("t", { city: "a" }, "2024-06-30")?.values.lower).toBe("1");
    expect(set.lookup("t", { city: "a" }, "2024-07-01")?.values.lower).toBe("2");
    expect(set.lookup("t", { city: "a" }, "2099-01-01")?.values.lower).toBe("3");
  });

  it("returns undefined before the first row, for unknown keys, and throws for unknown tables", () => {
    expect(set.lookup("t", { city: "a" }, "2023-06-30")).toBeUndefined();
    expect(set.lookup("t", { city: "zz" }, "2024-01-01")).toBeUndefined();
    expect(() => set.lookup("nope", { city: "a" }, "2024-01-01")).toThrow(/unknown policy table/);
  });

  it("treats numeric and string keys alike", () => {
    const s = createPolicySet([
      {
        def: siWorkInjuryClasses,
        rows: [
          {
            key: { city: "110000", riskClass: 3 },
            values: { rate: "0.7" },
            effectiveFrom: "2020-01-01",
            effectiveTo: null,
            source: "t",
            confidence: "H",
          },
        ],
      },
    ]);
    expect(s.lookup("si-work-injury-classes", { city: 110000, riskClass: "3" }, "2024-01-01")?.values.rate).toBe("0.7");
  });

  it("returns nothing in a hole between rows unless carryForward", () => {
    const holey = [row("a", "2020-01-01", "2020-12-31", "1"), row("a", "2022-01-01", null, "2")];
    expect(createPolicySet([{ def, rows: holey }]).lookup("t", { city: "a" }, "2021-05-01")).toBeUndefined();
    expect(
      createPolicySet([{ def, rows: holey }], { carryForward: true }).lookup("t", { city: "a" }, "2021-05-01")?.values
        .lower,
    ).toBe("1");
  });
});

describe("CSV", () => {
  const rows: PolicyRow[] = [
    {
      key: { city: "110000", riskClass: 1 },
      values: { rate: "0.2" },
      effectiveFrom: "2022-07-01",
      effectiveTo: null,
      source: "人社部发〔2015〕71号, national",
      confidence: "M",
      note: 'quoted "note"',
    },
    {
      key: { city: "110000", riskClass: 2 },
      values: { rate: "0.4" },
      effectiveFrom: "2022-07-01",
      effectiveTo: "2024-12-31",
      source: "s",
      confidence: "L",
    },
  ];

  it("round-trips rows", () => {
    const text = rowsToCsv(siWorkInjuryClasses, rows);
    expect(text.split("\n")[0]).toBe("city,riskClass,rate,effectiveFrom,effectiveTo,source,confidence,note");
    expect(parseRowsCsv(siWorkInjuryClasses, text)).toEqual({ rows, errors: [] });
  });

  it("reports every bad row with its line and column and returns no rows", () => {
    const text = [
      "city,riskClass,rate,effectiveFrom,effectiveTo,source,confidence,note",
      "110000,1,0.2,2022-07-01,,s,M,",
      "110000,x,0.4,2022-07-01,,s,M,",
      "110000,3,abc,2022-07-01,,s,M,",
      "110000,4,0.9,2022-13-01,,s,Q,",
      "110000,1,0.2,2023-01-01,,s,M,",
    ].join("\n");
    const { rows: parsed, errors } = parseRowsCsv(siWorkInjuryClasses, text);
    expect(parsed).toEqual([]);
    expect(errors.map((e) => `${e.line}:${e.column}`)).toEqual([
      "3:riskClass",
      "4:rate",
      "5:effectiveFrom",
      "5:confidence",
      "6:effectiveFrom",
    ]);
    expect(errors[4].message).toMatch(/lines 2 and 6 overlap/);
  });

  it("reports header problems on line 1", () => {
    const { errors } = parseRowsCsv(
      siWorkInjuryClasses,
      "city,rate,bogus,effectiveFrom,effectiveTo,source,confidence\n",
    );
    expect(errors).toEqual([
      { line: 1, column: "riskClass", message: "missing column riskClass" },
      { line: 1, column: "bogus", message: "unknown column bogus" },
    ]);
  });
});

describe("diffTables", () => {
  it("lists added, removed and modified rows with the changed columns", () => {
    const a = [row("a", "2024-01-01", null, "1"), row("b", "2024-01-01", null, "1"), row("c", "2024-01-01", null, "1")];
    const b = [
      { ...row("a", "2024-01-01", "2024-12-31", "2"), confidence: "H" as const },
      row("c", "2024-01-01", null, "1"),
      row("d", "2024-01-01", null, "1"),
    ];
    const d = diffTables(a, b);
    expect(d.added.map((r) => r.key.city)).toEqual(["d"]);
    expect(d.removed.map((r) => r.key.city)).toEqual(["b"]);
    expect(d.modified).toHaveLength(1);
    expect(d.modified[0].changes).toEqual([
      { column: "values.lower", before: "1", after: "2" },
      { column: "effectiveTo", before: null, after: "2024-12-31" },
      { column: "confidence", before: "M", after: "H" },
    ]);
  });
});
