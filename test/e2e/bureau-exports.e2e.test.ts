// HR exports the 增减员 file of Beijing for a month in the admin, in Chinese: the city is picked by name, the
// file lists the month's additions and removals and downloads; the export is listed; exporting again finds
// nothing new unless HR asks for the rows already exported.
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Session, startSession } from "./support/session";

let session: Session;
const page = () => session.page;
const call = <T = any>(method: string, path: string, body?: unknown) => session.api<T>(method, path, body);

/** An employee insured in Beijing, hired through the API (the enrollment rule set opens the period). */
async function hire(no: string, hireDate: string) {
  const e = await call("POST", "/employees", {
    employeeNo: no,
    name: `增减员${no}`,
    insuredCity: "110000",
    hireDate,
    monthlyWage: "15000.00",
    employmentType: "full_time",
  });
  await call("POST", `/employees/${e.id}/hire`, { at: "2026-10-28" });
  return e.id as string;
}

beforeAll(async () => {
  session = await startSession();
  // October 2026 in Beijing: two hires, and a leave of someone hired in the summer.
  await hire("BJ1001", "2026-10-09");
  await hire("BJ1002", "2026-10-19");
  const leaver = await hire("BJ1003", "2026-07-01");
  await call("POST", `/employees/${leaver}/leave`, { leaveDate: "2026-10-15", at: "2026-10-16" });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail")
    await session.browser.shot(`bureau-fail-${ctx.task.name.replace(/\W+/g, "-").slice(0, 40)}`);
});

afterAll(() => session?.close());

describe("增减员 files", () => {
  it("exports Beijing's additions and removals of the month once, and again only when asked", async () => {
    await session.signIn();
    await page().goto(`${session.server.url}/bureau-files`);

    // The city by name (Beijing is the default), the month, CSV.
    await page().getByTestId("bureau-city").getByRole("combobox").click();
    await page().getByRole("option", { name: "上海" }).click();
    await page().getByTestId("bureau-city").getByRole("combobox").click();
    await page().getByRole("option", { name: "北京", exact: true }).click();
    await page().getByTestId("bureau-month").fill("2026-10");
    await page().getByTestId("bureau-format").getByRole("combobox").click();
    await page().getByRole("option", { name: "CSV" }).click();

    const download = page().waitForEvent("download");
    await page().getByTestId("bureau-export").click();
    const file = readFileSync((await (await download).path())!, "utf8");
    await page().getByTestId("bureau-lines").waitFor();
    expect(await page().getByTestId("bureau-result").textContent()).toMatch(/已导出 \d+ 行（格式：北京）/);
    const lines = page().getByTestId("bureau-lines").locator("tbody tr");
    const text = (no: string) => lines.filter({ hasText: no }).allTextContents();
    expect(await text("BJ1001")).toEqual([expect.stringContaining("增员")]);
    expect(await text("BJ1002")).toEqual([expect.stringContaining("增员")]);
    expect(await text("BJ1003")).toEqual([expect.stringContaining("减员")]);
    // Exactly the month's changes in Beijing: what the API says the month holds.
    type Period = { employeeId: string; fromDate: string; toDate: string | null; status: string };
    const enrollments: Period[] = [];
    for (let from = 0; ; from += 1000) {
      const filter = encodeURIComponent(JSON.stringify({ insuredCity: "110000" }));
      const rows = (await call("GET", `/enrollments?filter=${filter}&range=[${from},${from + 999}]`)) as Period[];
      enrollments.push(...rows);
      if (rows.length < 1000) break;
    }
    const live = enrollments.filter((e) => e.status !== "cancelled");
    const inMonth = (d: string | null) => !!d && d.startsWith("2026-10");
    const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // Coverage that goes on (a period starting the day after the previous one ends) is no change.
    const continued = (e: (typeof live)[number], next: (typeof live)[number]) =>
      e.employeeId === next.employeeId && !!e.toDate && dayAfter(e.toDate) === next.fromDate;
    const starts = live.filter((n) => inMonth(n.fromDate) && !live.some((p) => continued(p, n))).length;
    const ends = live.filter((p) => inMonth(p.toDate) && !live.some((n) => continued(p, n))).length;
    expect(await lines.count()).toBe(starts + ends);
    // The downloaded file holds the same rows, with the bureau's Chinese headers.
    expect(file).toContain("增减员类型");
    for (const no of ["BJ1001", "BJ1002", "BJ1003"]) expect(file).toContain(no);
    const earlier = page().getByTestId("bureau-earlier").locator("tbody tr");
    expect(await earlier.first().textContent()).toContain("北京");
    await session.browser.shot("bureau-01-exported-zh");

    // Again: nothing new. Asked to include the rows already exported: the same rows.
    await page().getByTestId("bureau-export").click();
    await expect
      .poll(() => page().getByTestId("bureau-result").textContent())
      .toContain("该城市该月没有新的增减员（格式：北京）");
    await page().getByLabel("包含已导出的行").check();
    const again = page().waitForEvent("download");
    await page().getByTestId("bureau-export").click();
    await again;
    await expect.poll(() => lines.count()).toBe(starts + ends);
    await expect.poll(() => earlier.count()).toBe(3);
    expect(session.browser.problems).toEqual([]);
  });
});
