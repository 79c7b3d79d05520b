import { describe, expect, it } from "vitest";
import { compiledSchemaCount, createFactValidator } from "../../rules";
import { compileSchema } from "../../rules/validate-facts";

describe("fact schema cache", () => {
  it("compiles equal content once, whatever the object", () => {
    const n = compiledSchemaCount();
    const a = compileSchema({ type: "integer", minimum: 0 });
    const b = compileSchema(JSON.parse('{"minimum":0,"type":"integer"}'));
    expect(b).toBe(a);
    expect(compiledSchemaCount()).toBe(n + 1);
  });

  it("is bounded: after 2,000 newer schemas the oldest is compiled again", () => {
    const first = compileSchema({ type: "string", maxLength: 100_000 });
    for (let i = 0; i < 2000; i++) compileSchema({ type: "string", maxLength: i });
    const n = compiledSchemaCount();
    expect(compileSchema({ type: "string", maxLength: 100_000 })).not.toBe(first);
    expect(compiledSchemaCount()).toBe(n + 1);
  });

  it("schemas with the same $id in different rule sets do not clash", () => {
    expect(() => {
      compileSchema({ $id: "wage", type: "number" });
      compileSchema({ $id: "wage", type: "string" });
    }).not.toThrow();
  });

  it("a fact validator answers diagnostics at the fact's pointer and skips invalid schemas", () => {
    const validate = createFactValidator({
      facts: { hireDate: { type: "string", format: "date" }, broken: { type: "nope" } as never },
    });
    expect(validate({ hireDate: "2024-02-29", broken: 1 })).toEqual([]);
    expect(validate({ hireDate: "29/02/2024" }, "/items/0/facts")).toEqual([
      expect.objectContaining({ pointer: "/items/0/facts/hireDate", code: "FACT_INVALID" }),
    ]);
  });
});
