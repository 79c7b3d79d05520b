/** Spreadsheet-safe cells: nothing a spreadsheet runs as a formula, and the escape reverses exactly. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromSpreadsheetCell, spreadsheetCell } from "../../policies/spreadsheet";

describe("spreadsheetCell", () => {
  it("prefixes ' to cells starting with = + - @ TAB or CR, and leaves plain numbers and text alone", () => {
    expect(spreadsheetCell("=1+1")).toBe("'=1+1");
    expect(spreadsheetCell("+SUM(A1)")).toBe("'+SUM(A1)");
    expect(spreadsheetCell("-2+3")).toBe("'-2+3");
    expect(spreadsheetCell("@cmd")).toBe("'@cmd");
    expect(spreadsheetCell("\t=1")).toBe("'\t=1");
    expect(spreadsheetCell("\r=1")).toBe("'\r=1");
    expect(spreadsheetCell("'=1")).toBe("''=1");
    for (const plain of ["-12.5", "+3", "42", "Beijing", "", "a=b", "'quoted"])
      expect(spreadsheetCell(plain)).toBe(plain);
  });

  it("never leaves a formula start, and fromSpreadsheetCell gives back every value", () => {
    const text = fc.string({ unit: fc.constantFrom("=", "+", "-", "@", "\t", "\r", "'", "1", ".", "a", " ") });
    fc.assert(
      fc.property(text, (s) => {
        const out = spreadsheetCell(s);
        // Only a plain signed number (-12.5, +3) may start with a sign: it cannot run anything.
        const plainNumber = /^[-+]\d+(\.\d+)?$/.test(out);
        expect(/^[=@\t\r]/.test(out) || (/^[-+]/.test(out) && !plainNumber)).toBe(false);
        expect(fromSpreadsheetCell(out)).toBe(s);
      }),
    );
  });
});
