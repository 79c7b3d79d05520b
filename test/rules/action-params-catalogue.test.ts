import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRegistry, definePlugin } from "../../rules";
import { createAjv } from "../../rules/ajv";
import { builtinPlugins, socialInsurance } from "../../plugins";

const packs = join(import.meta.dirname, "..", "..", "rules", "packs");
const packFiles = readdirSync(packs, { recursive: true, encoding: "utf8" }).filter(
  // Rule sets: the JSON files right in a pack's folder, not its manifest (pack.json) nor the files of its
  // other assets in subfolders (policy-tables/, reports/, custom-fields/).
  (f) => f.endsWith(".json") && !f.endsWith("pack.json") && f.split(/[\\/]/).length === 2,
);

describe("catalogue metadata for the rule builder", () => {
  it("lists an action's params schema only when the plugin gives one", () => {
    const schema = { type: "object", properties: { n: { type: "integer" } } };
    const p = definePlugin({
      name: "p",
      setup: (api) => {
        api.addAction("with", () => 1, { description: "d", params: schema });
        api.addAction("without", () => 1, { description: "e" });
      },
    });
    const r = createRegistry([p]);
    expect(r.actions).toEqual([
      { type: "with", description: "d", plugin: "p", params: schema },
      { type: "without", description: "e", plugin: "p" },
    ]);
    expect(r.getAction("with")?.params).toEqual(schema);
  });

  it("gives the operators' fact and value types and params", () => {
    const r = createRegistry(builtinPlugins);
    const op = (n: string) => r.operators.find((o) => o.name === n);
    expect(op("greaterThan")).toMatchObject({ factType: "number" });
    expect(op("in")).toMatchObject({ valueType: "array" });
    expect(op("equal")).not.toHaveProperty("factType");
    expect(op("withinDays")).toMatchObject({ factType: "string", params: { required: ["days"] } });
  });

  it("gives every social-insurance action a params schema that the shipped packs' events satisfy", () => {
    const r = createRegistry([...builtinPlugins, socialInsurance]);
    const si = r.actions.filter((a) => a.plugin === "social-insurance");
    expect(si.map((a) => a.type).sort()).toEqual(
      [
        "adjust-base",
        "create-enrollment",
        "end-enrollment",
        "queue-reminder",
        "raise-alert",
        "resolve-alert",
        "set-insured-city",
      ].sort(),
    );
    const ajv = createAjv();
    const validators = new Map(si.map((a) => [a.type, ajv.compile(a.params ?? false)]));
    let checked = 0;
    for (const file of packFiles) {
      const pack = JSON.parse(readFileSync(join(packs, file), "utf8"));
      for (const rule of pack.rules) {
        const validate = validators.get(rule.event.type);
        if (!validate) continue;
        expect(validate(rule.event.params ?? {}), `${file} ${rule.name}: ${ajv.errorsText(validate.errors)}`).toBe(
          true,
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    // The schema is not a formality: a wrong type is refused.
    expect(validators.get("raise-alert")?.({ severity: "loud" })).toBe(false);
    expect(validators.get("raise-alert")?.({ dueInDays: "soon" })).toBe(false);
  });
});
