import { describe, expect, it } from "vitest";
import {
  compareSemver,
  filesOf,
  industryPacks,
  manifestProblems,
  packForIndustry,
  packManifests,
  socialInsurancePack,
  type PackFiles,
} from "../../rules/packs/index";
import citySettings from "../../policies/data/si-city-settings.json";

const manufacturing = packManifests.find((m) => m.key === "manufacturing")!;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

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

  it("name every pack and release in zh-CN and en", () => {
    for (const m of packManifests)
      for (const text of [m.name, m.description, ...m.history.map((r) => r.notes)])
        for (const lang of ["zh-CN", "en"] as const) expect(text?.[lang], `${m.key} ${lang}`).toBeTruthy();
  });

  it("report an asset file that is missing or not of its kind's shape", () => {
    const files: PackFiles = clone(filesOf("manufacturing"));
    expect(manifestProblems(manufacturing, undefined, { ...files, customFields: [] })).toEqual([
      "manufacturing: no file custom-fields/employees.contractEndDate.json",
    ]);
    const row = files.policyTables[0]!.rows[0]!;
    delete row.source;
    row.effectiveFrom = "2022-7-1";
    expect(manifestProblems(manufacturing, undefined, files)).toEqual([
      "manufacturing: policy-tables/manufacturing-temporary-coverage.json: rows/0/source: is required",
      "manufacturing: policy-tables/manufacturing-temporary-coverage.json: rows/0/effectiveFrom: must be YYYY-MM-DD",
    ]);
    const twice = { ...manufacturing, assets: { ...manufacturing.assets, reports: ["a", "a"] } };
    expect(manifestProblems(twice)).toEqual([
      "manufacturing: reports lists a key twice",
      "manufacturing: no file reports/a.json",
      "manufacturing: no file reports/a.json",
    ]);
  });

  it("ship the temporary-worker coverage table with the reference data's figures, dates and sources", () => {
    const table = filesOf("manufacturing").policyTables[0]!;
    const reference = citySettings.map((r) => ({
      city: r.key.city,
      value: r.values.temporaryWorkInjuryOnly,
      effectiveFrom: r.effectiveFrom,
      effectiveTo: r.effectiveTo,
      confidence: r.confidence,
    }));
    const shipped = table.rows.map((r: any) => ({
      city: r.key.city,
      value: r.values.workInjuryOnly,
      effectiveFrom: r.effectiveFrom,
      effectiveTo: r.effectiveTo,
      confidence: r.confidence,
    }));
    expect(shipped).toEqual(reference);
    for (const r of table.rows as any[]) expect(r.source).toContain("si-city-settings");
  });
});
