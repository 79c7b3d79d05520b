import { describe, expect, it } from "vitest";
import { benchRules } from "../../bench/rules";

describe("bench/rules", () => {
  it("gives identical results to json-rules-engine on the HR rule set", async () => {
    const r = await benchRules({ n: 2000 });
    expect(r.identical).toBe(true);
    expect(r.ordoPerSec).toBeGreaterThan(r.jrePerSec);
  });
});
