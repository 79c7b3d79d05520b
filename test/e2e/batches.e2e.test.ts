// HR uploads a batch of seasonal and temporary hires in the admin, in Chinese: a bad cell is reported with its
// line and the column as the file's header names it; the corrected file previews each row's enrollment (city
// by name, the insurances covered, amounts); applying runs as a job to the end; the same file again changes
// nothing.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Session, startSession } from "./support/session";

let session: Session;
const page = () => session.page;
const api = <T>(path: string) => session.api<T>("GET", path);
const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));

function csvFile(name: string, lines: string[]): string {
  const file = join(tmpdir(), `ordo-batch-${Date.now()}-${name}.csv`);
  writeFileSync(file, lines.join("\n"));
  return file;
}
const HEADER = "类型,员工编号,日期,姓名,参保城市,月工资,用工类型";
const rows = (beijingDate: string) => [
  HEADER,
  `入职,E2E001,${beijingDate},季节工甲,110000,8000,seasonal`,
  "入职,E2E002,2025-09-01,季节工乙,110000,9000,seasonal",
  "入职,E2E003,2025-09-01,临时工丙,440100,6000,temporary",
];

async function preview(file: string) {
  await page().getByTestId("batch-file").setInputFiles(file);
  await page().getByTestId("batch-preview").click();
  await page().getByTestId("batch-counts").waitFor();
}
const chip = (text: string) => page().getByTestId("batch-counts").getByText(text, { exact: true });

beforeAll(async () => {
  session = await startSession();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail")
    await session.browser.shot(`batches-fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(() => session?.close());

describe("batch upload (批量导入)", () => {
  it("reports the bad cell, previews the fixed file, applies it as a job, and ignores it a second time", async () => {
    await session.signIn();
    await page().goto(`${session.server.url}/batch-upload`);
    await page().getByLabel("评估日期").fill("2025-09-05");

    // Line 2 has a month 13: the error names the line, the column by its Chinese header, in Chinese.
    await preview(csvFile("bad", rows("2025-13-01")));
    const errors = page().getByTestId("batch-errors");
    await errors.waitFor();
    const cells = await errors.locator("tbody tr td").allTextContents();
    expect(cells).toEqual(["2", "日期 (C)", "“2025-13-01”不是 YYYY-MM-DD 格式的日期"]);
    await expect.poll(() => chip("有错误: 1").count()).toBe(1);
    await session.browser.shot("batches-01-bad-cell-zh");

    // Fixed: each row's enrollment, by city name, with what it covers and the monthly amounts.
    await preview(csvFile("good", rows("2025-09-01")));
    await expect.poll(() => chip("新增: 3").count()).toBe(1);
    expect(await page().getByTestId("batch-errors").count()).toBe(0);
    const row = (no: string) => page().getByTestId("batch-rows").locator("tbody tr", { hasText: no });
    expect(await row("E2E001").textContent()).toContain("增员 北京 2025-09-01");
    expect(await row("E2E001").textContent()).toContain("五险");
    expect(await row("E2E001").textContent()).toContain("¥8,000.00");
    // Guangzhou covers a temporary worker for work injury alone (the city's policy).
    expect(await row("E2E003").textContent()).toContain("增员 广州 2025-09-01");
    expect(await row("E2E003").textContent()).toContain("(工伤保险)");
    // The registration alert each hire raises, in Chinese.
    expect(await row("E2E002").textContent()).toContain("请在 2025-10-01 前为 季节工乙 在 北京 办理社保登记");
    expect(
      (await api(`/employees?filter=${enc({ employeeNo: ["E2E001", "E2E002", "E2E003"] })}`)) as unknown[],
      "the preview writes nothing",
    ).toHaveLength(0);
    await session.browser.shot("batches-02-preview-zh");

    await page().getByTestId("batch-apply").click();
    await page().getByTestId("batch-progress").waitFor();
    await page().getByText("已导入 3 行，跳过 0 行，失败 0 行").waitFor({ timeout: 90_000 });
    await session.browser.shot("batches-03-applied-zh");
    const hired = (await api(`/employees?filter=${enc({ employeeNo: ["E2E001", "E2E002", "E2E003"] })}`)) as {
      id: string;
      employeeNo: string;
    }[];
    expect(hired.map((e) => e.employeeNo).sort()).toEqual(["E2E001", "E2E002", "E2E003"]);
    const temp = hired.find((e) => e.employeeNo === "E2E003")!;
    const periods = (await api(`/enrollments?filter=${enc({ employeeId: temp.id })}`)) as {
      insuredCity: string;
      insurances: string[];
    }[];
    expect(periods).toEqual([expect.objectContaining({ insuredCity: "440100", insurances: ["work_injury"] })]);

    // The same file again: every row unchanged, nothing to apply.
    await preview(csvFile("again", rows("2025-09-01")));
    await expect.poll(() => chip("未变化: 3").count()).toBe(1);
    expect(await chip("新增: 0").count()).toBe(1);
    expect(session.browser.problems).toEqual([]);
  });
});
