import { describe, expect, it } from "vitest";
import {
  compareSemver,
  industryPacks,
  manifestProblems,
  packForIndustry,
  packManifests,
  socialInsurancePack,
} from "../../rules/packs/index";

describe("pack manifests", () => {
  it("are sound: semver, history ending at the version, rule sets that exist", () => {
    for (const m of packManifests) expect(manifestProblems(m)).toEqual([]);
  });

  it("list every rule set Ordo installs for their industry", () => {
    const si = packManifests.find((m) => m.key === "social-insurance")!;
    expect(si.assets.ruleSets.sort()).toEqual(socialInsurancePack.map((p) => p.key).sort());
    for (const [industry, sets] of Object.entries(industryPacks))
      expect(packForIndustry(industry)?.assets.ruleSets.sort()).toEqual(sets.map((p) => p.key).sort());
  });

  it("report what is wrong with a manifest", () => {
    const m = { ...packManifests[0]!, version: "1.1", assets: { ...packManifests[0]!.assets, ruleSets: ["nope"] } };
    const problems = manifestProblems(m);
    expect(problems).toContain('social-insurance: version "1.1" is not major.minor.patch');
    expect(problems).toContain('social-insurance: no rule set file with key "nope"');
    expect(problems.some((p) => p.includes("last history entry"))).toBe(true);
  });

  it("compare versions numerically", () => {
    expect(compareSemver("1.10.0", "1.9.3")).toBeGreaterThan(0);
    expect(compareSemver("1.0.0", "1.0.0")).toBe(0);
    expect(compareSemver("0.9.9", "1.0.0")).toBeLessThan(0);
  });
});
