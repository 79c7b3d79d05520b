/** The unmodified ra-data-simple-rest client against /api/employees, every method. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import simpleRestProvider from "ra-data-simple-rest";
import { fetchUtils, type DataProvider } from "ra-core";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
let dp: DataProvider;
let orgUnitId: string;

const newEmployee = (no: string, extra: Record<string, unknown> = {}) => ({
  employeeNo: no,
  name: `测试 ${no}`,
  insuredCity: "310000",
  hireDate: "2024-03-01",
  monthlyWage: "12000.00",
  employmentType: "full_time",
  orgUnitId,
  ...extra,
});

beforeAll(async () => {
  t = await startTestApp();
  const url = await t.listen();
  const headers = await t.admin("demo");
  dp = simpleRestProvider(`${url}/api`, (u: string, options: fetchUtils.Options = {}) => {
    const h = new Headers(options.headers as HeadersInit | undefined);
    for (const [k, v] of Object.entries(headers)) h.set(k, v);
    return fetchUtils.fetchJson(u, { ...options, headers: h });
  });
  orgUnitId = (
    await dp.getList("org-units", {
      pagination: { page: 1, perPage: 1 },
      sort: { field: "name", order: "ASC" },
      filter: { city: "110000" },
    })
  ).data[0]!.id as string;
});
afterAll(() => t.close());

describe("ra-data-simple-rest against Ordo", () => {
  it("getList pages, sorts and counts through Content-Range", async () => {
    const page1 = await dp.getList("employees", {
      pagination: { page: 1, perPage: 10 },
      sort: { field: "monthlyWage", order: "DESC" },
      filter: {},
    });
    expect(page1.total).toBe(30);
    expect(page1.data).toHaveLength(10);
    const wages = page1.data.map((e) => Number(e.monthlyWage));
    expect([...wages].sort((a, b) => b - a)).toEqual(wages);
    const page3 = await dp.getList("employees", {
      pagination: { page: 3, perPage: 10 },
      sort: { field: "monthlyWage", order: "DESC" },
      filter: {},
    });
    expect(page3.data).toHaveLength(10);
    expect(new Set([...page1.data, ...page3.data].map((e) => e.id)).size).toBe(20);
  });

  it("getList filters: equality, arrays as IN, q, and the suffixes", async () => {
    const all = (
      await dp.getList("employees", {
        pagination: { page: 1, perPage: 100 },
        sort: { field: "employeeNo", order: "ASC" },
        filter: {},
      })
    ).data;
    const count = (pred: (e: (typeof all)[number]) => boolean) => all.filter(pred).length;
    const list = async (filter: object) =>
      dp.getList("employees", {
        pagination: { page: 1, perPage: 100 },
        sort: { field: "employeeNo", order: "ASC" },
        filter,
      });
    expect((await list({ insuredCity: "110000" })).total).toBe(count((e) => e.insuredCity === "110000"));
    expect((await list({ insuredCity: ["110000", "440300"] })).total).toBe(
      count((e) => ["110000", "440300"].includes(e.insuredCity)),
    );
    expect((await list({ monthlyWage_gte: "20000" })).total).toBe(count((e) => Number(e.monthlyWage) >= 20000));
    expect((await list({ monthlyWage_lt: 20000 })).total).toBe(count((e) => Number(e.monthlyWage) < 20000));
    expect((await list({ hireDate_gt: "2020-01-01", hireDate_lte: "2023-12-31" })).total).toBe(
      count((e) => e.hireDate > "2020-01-01" && e.hireDate <= "2023-12-31"),
    );
    expect((await list({ employmentType_neq: "full_time" })).total).toBe(
      count((e) => e.employmentType !== "full_time"),
    );
    const q = await list({ q: "e0001" });
    expect(q.data.map((e) => e.employeeNo).sort()).toEqual(
      all
        .filter((e) => e.employeeNo.toLowerCase().includes("e0001"))
        .map((e) => e.employeeNo)
        .sort(),
    );
    expect(q.total).toBeGreaterThan(0);
    const byName = await list({ q: all[3]!.name });
    expect(byName.data.map((e) => e.id)).toContain(all[3]!.id);
  });

  it("getOne and getMany", async () => {
    const { data } = await dp.getList("employees", {
      pagination: { page: 1, perPage: 30 },
      sort: { field: "employeeNo", order: "ASC" },
      filter: {},
    });
    const one = await dp.getOne("employees", { id: data[0]!.id });
    expect(one.data).toEqual(data[0]);
    const ids = data.map((e) => e.id);
    const many = await dp.getMany("employees", { ids });
    expect(many.data.map((e) => e.id).sort()).toEqual([...ids].sort());
  });

  it("getManyReference lists the employees of an org unit", async () => {
    const ref = await dp.getManyReference("employees", {
      target: "orgUnitId",
      id: orgUnitId,
      pagination: { page: 1, perPage: 50 },
      sort: { field: "name", order: "ASC" },
      filter: {},
    });
    expect(ref.total).toBeGreaterThan(0);
    expect(ref.data.every((e) => e.orgUnitId === orgUnitId)).toBe(true);
  });

  it("create answers the record with its id; update and delete round-trip", async () => {
    const created = await dp.create("employees", { data: newEmployee("C001") });
    expect(created.data.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.data).toMatchObject({
      employeeNo: "C001",
      monthlyWage: "12000.00",
      status: "active",
      hukouLocal: false,
    });
    const updated = await dp.update("employees", {
      id: created.data.id,
      data: { ...created.data, monthlyWage: 15000.5 },
      previousData: created.data,
    });
    expect(updated.data.monthlyWage).toBe("15000.50");
    expect((await dp.getOne("employees", { id: created.data.id })).data.monthlyWage).toBe("15000.50");
    const deleted = await dp.delete("employees", { id: created.data.id, previousData: updated.data });
    expect(deleted.data.id).toBe(created.data.id);
    await expect(dp.getOne("employees", { id: created.data.id })).rejects.toMatchObject({ status: 404 });
  });

  it("updateMany and deleteMany", async () => {
    const a = await dp.create("employees", { data: newEmployee("M001") });
    const b = await dp.create("employees", { data: newEmployee("M002") });
    const res = await dp.updateMany("employees", {
      ids: [a.data.id, b.data.id],
      data: { status: "left", leaveDate: "2024-12-31" },
    });
    expect(res.data?.sort()).toEqual([a.data.id, b.data.id].sort());
    const after = await dp.getMany("employees", { ids: [a.data.id, b.data.id] });
    expect(
      after.data.every((e) => e.status === "left" && e.leaveDate === "2024-12-31" && e.name.startsWith("测试")),
    ).toBe(true);
    const del = await dp.deleteMany("employees", { ids: [a.data.id, b.data.id] });
    expect(del.data?.sort()).toEqual([a.data.id, b.data.id].sort());
    expect((await dp.getMany("employees", { ids: [a.data.id, b.data.id] })).data).toHaveLength(0);
  });

  it("server-side validation reaches the client as field errors", async () => {
    const err = await dp
      .create("employees", { data: newEmployee("V001", { employmentType: "intern", hireDate: "not-a-date" }) })
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.body.errors).toMatchObject({ employmentType: expect.any(String), hireDate: expect.any(String) });
  });

  it("a calendar-invalid date or oversized money reaches the client as field errors", async () => {
    const err = await dp
      .create("employees", { data: newEmployee("V002", { hireDate: "2024-02-30", monthlyWage: "1234567890123" }) })
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.body.errors).toMatchObject({ hireDate: expect.any(String), monthlyWage: expect.any(String) });
  });

  it("rule sets and policy tables speak the same protocol through the shared parser", async () => {
    const sets = await dp.getList("rule-sets", {
      pagination: { page: 1, perPage: 2 },
      sort: { field: "name", order: "ASC" },
      filter: {},
    });
    expect(sets.data).toHaveLength(2);
    expect(sets.total).toBeGreaterThan(2);
    const names = sets.data.map((r) => r.name as string);
    expect([...names].sort()).toEqual(names);
    const tables = await dp.getList("policy-tables", {
      pagination: { page: 1, perPage: 100 },
      sort: { field: "key", order: "DESC" },
      filter: {},
    });
    const keys = tables.data.map((r) => r.id as string);
    expect(keys.length).toBeGreaterThan(1);
    const many = await dp.getMany("policy-tables", { ids: keys.slice(0, 2) });
    expect(many.data.map((r) => r.id).sort()).toEqual(keys.slice(0, 2).sort());
    await expect(
      dp.getList("rule-sets", {
        pagination: { page: 1, perPage: 2 },
        sort: { field: "constructor", order: "ASC" },
        filter: {},
      }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
