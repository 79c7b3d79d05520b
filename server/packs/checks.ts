/**
 * What an adoption or upgrade runs on a pack asset before writing it, as the tenant would hold it: the
 * validation of the kind's own API ("(validation)", with the JSON pointer when it fails), then its checks:
 * rule sets and reminder templates run their test cases, a policy table its lookups, and a report runs on
 * this tenant's data (its preview, when every parameter has a default).
 */
import type { Knex } from "knex";
import { canonicalJson, checksum, runTestCases, type RuleSetContent } from "../../rules/index";
import { PolicySet, type PolicyRow } from "../../policies/index";
import { AppError } from "../errors";
import type { EntityRegistry } from "../entities/registry";
import { checkContent, tableDef } from "../policy-tables/service";
import { checkTemplate, type TemplateContent } from "../reminders/content";
import type { ReminderTemplateService } from "../reminders/templates";
import { type CustomFieldRow, ReportService, specOf } from "../reports/service";
import type { RuleSetService } from "../rule-sets/service";
import type { PackAsset } from "./catalogue";

export interface TestReport {
  name: string;
  passed: boolean;
  differences: string[];
  /** Where a failed validation points in the asset's content, and the kind's error code. */
  pointer?: string;
  code?: string;
}

export const VALIDATION = "(validation)";

export interface CheckDeps {
  rules: RuleSetService;
  entities: EntityRegistry;
  templates: ReminderTemplateService;
}

const brief = (r: { name: string; passed: boolean; differences: string[] }): TestReport => ({
  name: r.name,
  passed: r.passed,
  differences: r.differences,
});

/** A kind's error as a failed validation: its message, where it points and its code. */
export function invalidReport(err: unknown): TestReport {
  if (!(err instanceof AppError) || err.status >= 500)
    return { name: VALIDATION, passed: false, differences: [(err as Error).message] };
  const first = Object.keys(err.errors ?? {})[0];
  const named = typeof err.params.pointer === "string" ? err.params.pointer : first;
  const pointer = !named ? "/" : named.startsWith("/") ? named : `/${named.replace(/\./g, "/")}`;
  return { name: VALIDATION, passed: false, differences: [err.message], pointer, code: err.code };
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** A policy table's lookups: the values in force on each date (null: no row in force). */
function tableTests(a: PackAsset, content: ReturnType<typeof checkContent>): TestReport[] {
  const set = new PolicySet([{ def: tableDef(a.meta, content), rows: content.rows as PolicyRow[] }]);
  const shown = (values: unknown) => (values === null ? "no row" : JSON.stringify(values));
  return (a.testCases ?? []).map((tc) => {
    const got = set.lookup(a.key, tc.key, tc.date)?.values ?? null;
    const passed = same(got, tc.expect);
    const where = `${tc.date} ${JSON.stringify(tc.key)}`;
    const differences = passed ? [] : [`${where}: expected ${shown(tc.expect)}, got ${shown(got)}`];
    return { name: tc.name, passed, differences };
  });
}

/**
 * A report validates against this tenant's fields and the custom fields its pack brings (`also`), then runs
 * on the tenant's data as the builder's preview does.
 */
async function reportChecks(
  db: Knex,
  tenantId: string,
  a: PackAsset,
  also: readonly CustomFieldRow[],
): Promise<TestReport[]> {
  const reports = new ReportService();
  const spec = specOf(a.content);
  try {
    await reports.resolve(db, tenantId, spec, "", also);
  } catch (err) {
    return [invalidReport(err)];
  }
  const ok: TestReport = { name: VALIDATION, passed: true, differences: [] };
  // A parameter without a default needs a value from the reader: nothing to preview with.
  if (Object.values(spec.params ?? {}).some((p) => p.default === undefined)) return [ok];
  const name = "(preview run on this tenant)";
  try {
    const run = await reports.run(db, tenantId, spec, {}, "zh", "", also);
    const rows = `${run.rows.length}${run.truncated ? "+" : ""} rows`;
    return [ok, { name: `(preview run on this tenant: ${rows})`, passed: true, differences: [] }];
  } catch (err) {
    return [ok, { name, passed: false, differences: [(err as Error).message] }];
  }
}

/**
 * The validation and checks of one asset, as the tenant would hold it; `pack` is the rest of its pack (a
 * report may read a custom field the pack brings).
 */
export async function checkAsset(
  db: Knex,
  tenantId: string,
  a: PackAsset,
  pack: readonly PackAsset[],
  deps: CheckDeps,
): Promise<TestReport[]> {
  if (a.kind === "report") {
    const fields = pack.filter((x) => x.kind === "custom-field").map((x) => x.content as unknown as CustomFieldRow);
    return reportChecks(db, tenantId, a, fields);
  }
  const ok: TestReport = { name: VALIDATION, passed: true, differences: [] };
  try {
    if (a.kind === "rule-set") {
      deps.rules.check(a.content);
      const content = a.content as unknown as RuleSetContent;
      const r = { key: a.key, version: "draft" as const, content, checksum: checksum(content) };
      return (await runTestCases(deps.rules.compile(tenantId, r), content.testCases ?? [])).map(brief);
    }
    if (a.kind === "reminder-template") {
      checkTemplate(a.content, deps.templates.registry);
      return (await deps.templates.runTestCases(a.content as unknown as TemplateContent)).map(brief);
    }
    if (a.kind === "policy-table") return [ok, ...tableTests(a, checkContent(a.meta, a.content))];
    const { entity, ...body } = a.content;
    deps.entities.checkCustomField(String(entity), body);
    return [ok];
  } catch (err) {
    return [invalidReport(err)];
  }
}
