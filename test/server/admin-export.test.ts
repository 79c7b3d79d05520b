/** The admin's CSV export gets every row of a list, however long, through pages the server allows. */
import { fetchUtils } from "react-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataProvider, SERVER_PAGE } from "../../admin/src/api/pagedDataProvider";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let url: string;
let tenantId: string;

beforeAll(async () => {
  t = await startTestApp();
  url = await t.listen();
  tenantId = (await t.db("tenants").where({ slug: "demo" }).first("id")).id;
  // Enough employees for three server pages, written straight to the table.
  const rows = Array.from({ length: 2 * SERVER_PAGE + 345 }, (_, i) => ({
    tenant_id: tenantId,
    employee_no: `X${String(i).padStart(5, "0")}`,
    name: `导出测试 ${i}`,
    insured_city: "110000",
    hire_date: "2024-01-01",
    monthly_wage: "10000.00",
    employment_type: "full_time",
  }));
  for (let i = 0; i < rows.length; i += 500) await t.db("employees").insert(rows.slice(i, i + 500));
});
afterAll(() => t.close());

describe("admin export", () => {
  it("pages through the server's 1,000-row limit and returns every matching row once", async () => {
    const headers = await t.admin();
    const client = (u: string, options: fetchUtils.Options = {}) =>
      fetchUtils.fetchJson(u, { ...options, headers: new Headers({ ...headers, Accept: "application/json" }) });
    const provider = createDataProvider(`${url}/api`, client);
    const expected = Number((await t.db("employees").where({ tenant_id: tenantId }).count({ n: "*" }))[0]!.n);
    expect(expected).toBeGreaterThan(2 * SERVER_PAGE);
    const all = await provider.getList("employees", {
      pagination: { page: 1, perPage: 1_000_000 },
      sort: { field: "employeeNo", order: "ASC" },
      filter: {},
    });
    expect(all.data).toHaveLength(expected);
    expect(new Set(all.data.map((r) => r.id)).size).toBe(expected);
    expect(all.total).toBe(expected);
    // A filter still applies to every page.
    const some = await provider.getList("employees", {
      pagination: { page: 1, perPage: 1_000_000 },
      sort: { field: "employeeNo", order: "ASC" },
      filter: { q: "导出测试 1" },
    });
    expect(some.data.length).toBeGreaterThan(0);
    expect(some.data.every((r) => String(r.name).startsWith("导出测试 1"))).toBe(true);
    // An ordinary page is one request, as before.
    const page = await provider.getList("employees", {
      pagination: { page: 2, perPage: 25 },
      sort: { field: "employeeNo", order: "ASC" },
      filter: {},
    });
    expect(page.data).toHaveLength(25);
  });
});
