/**
 * First start: the demo tenant with org units, employees and users when demo seeding is on (the
 * default outside production), otherwise only the consultant of ORDO_ADMIN_EMAIL. Idempotent: a
 * second start creates nothing.
 */
import type { Knex } from "knex";
import type { Logger } from "pino";
import { cityName, REFERENCE_CITY_CODES } from "../domain/index";
import { DEFAULT_ADMIN_EMAIL, DEFAULT_ADMIN_PASSWORD, type Config } from "./config";
import { createUser } from "./auth/service";
import { installRulePacks } from "./lifecycle/packs";
import { installReferenceTables } from "./policy-tables/reference";
import { ReportService } from "./reports/service";

export interface SeedOptions {
  adminEmail: string;
  adminPassword: string;
  employees?: number;
}

export const DEMO_USERS = {
  hr: { email: "hr@demo.local", password: "ordo-hr-2024" },
  employee: { email: "employee@demo.local", password: "ordo-employee" },
};

// Head office in the first reference city, a branch in each of the others.
const CITIES = REFERENCE_CITY_CODES;
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀英",
  "霞",
  "平",
];
const TYPES = ["full_time", "full_time", "full_time", "seasonal", "temporary", "remote"];

/** Deterministic pseudo-random numbers, so the demo data is the same on every machine. */
export function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32;
}

export function demoEmployee(i: number, orgUnits: { id: string; city: string }[], rand: () => number) {
  const unit = orgUnits[i % orgUnits.length]!;
  const year = 1965 + Math.floor(rand() * 37);
  const hireYear = 2015 + Math.floor(rand() * 10);
  const pad = (n: number) => String(n).padStart(2, "0");
  const gender = rand() < 0.5 ? "male" : "female";
  return {
    employee_no: `E${String(i + 1).padStart(5, "0")}`,
    name: SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(rand() * GIVEN.length)]!,
    org_unit_id: unit.id,
    insured_city: unit.city,
    hire_date: `${hireYear}-${pad(1 + Math.floor(rand() * 12))}-${pad(1 + Math.floor(rand() * 28))}`,
    monthly_wage: (5000 + Math.floor(rand() * 400) * 100).toFixed(2),
    employment_type: TYPES[Math.floor(rand() * TYPES.length)]!,
    birth_date: `${year}-${pad(1 + Math.floor(rand() * 12))}-${pad(1 + Math.floor(rand() * 28))}`,
    gender,
    post: gender === "female" ? (rand() < 0.5 ? "cadre" : "worker") : null,
    hukou_local: rand() < 0.4,
  };
}

/**
 * The wage history of a demo employee: the hire wage, and for every third one hired before 2024 a lower
 * hire wage raised to today's from the next January (so their declared bases differ from today's wage).
 */
export function demoWageHistory(
  tenantId: string,
  e: { id: string; hire_date: string; monthly_wage: string },
  i: number,
) {
  const hired = String(e.hire_date).slice(0, 7);
  const wage = Number(e.monthly_wage);
  const row = (effective_month: string, w: number, previous: number | null) => ({
    tenant_id: tenantId,
    employee_id: e.id,
    effective_month,
    wage: w.toFixed(2),
    previous_wage: previous === null ? null : previous.toFixed(2),
    source: "seed",
  });
  if (i % 3 !== 0 || hired >= "2024") return [row(hired, wage, null)];
  const start = Math.round((wage * 0.85) / 100) * 100;
  return [row(hired, start, null), row(`${Number(hired.slice(0, 4)) + 1}-01`, wage, start)];
}

/** The retail chain's regions (each named by its lead city) and their stores, in several cities. */
export const RETAIL_REGIONS: readonly { name: string; city: string; stores: { name: string; city: string }[] }[] = [
  {
    name: "华东区",
    city: "310000",
    stores: [
      { name: "上海南京路店", city: "310000" },
      { name: "上海徐家汇店", city: "310000" },
      { name: "杭州西湖店", city: "330100" },
    ],
  },
  {
    name: "华南区",
    city: "440100",
    stores: [
      { name: "广州天河店", city: "440100" },
      { name: "深圳福田店", city: "440300" },
    ],
  },
  {
    name: "华北及西南区",
    city: "110000",
    stores: [
      { name: "北京王府井店", city: "110000" },
      { name: "成都春熙路店", city: "510100" },
    ],
  },
];

/** company → regions → stores for the retail demo tenant; answers the stores (id, city). */
async function seedRetailTree(trx: Knex.Transaction, tenantId: string, companyId: string) {
  const stores: { id: string; city: string }[] = [];
  for (const r of RETAIL_REGIONS) {
    const [region] = await trx("org_units")
      .insert({ tenant_id: tenantId, name: r.name, type: "region", city: r.city, parent_id: companyId })
      .returning("id");
    const rows = r.stores.map((s) => ({ tenant_id: tenantId, ...s, type: "store", parent_id: region.id }));
    stores.push(...(await trx("org_units").insert(rows).returning(["id", "city"])));
  }
  return stores;
}

export async function seedDemo(db: Knex, logger: Logger, opts: SeedOptions): Promise<boolean> {
  return db.transaction(async (trx) => {
    if (await trx("tenants").where({ slug: "demo" }).first()) return false;
    const [demo] = await trx("tenants")
      .insert({ slug: "demo", name: "Demo Manufacturing 演示制造", industry: "manufacturing" })
      .returning("id");
    const [retail] = await trx("tenants")
      .insert({ slug: "retail", name: "Demo Retail 演示零售", industry: "retail" })
      .returning("id");
    const [hq] = await trx("org_units")
      .insert({ tenant_id: demo.id, name: "Ordo 演示有限公司总部", type: "company", city: "110000" })
      .returning("id");
    const units = [{ id: hq.id as string, city: "110000" }];
    for (let i = 1; i < CITIES.length; i++) {
      const [u] = await trx("org_units")
        .insert({
          tenant_id: demo.id,
          name: `${cityName(CITIES[i]!, "zh-CN")}${i % 2 ? "分公司" : "门店"}`,
          type: i % 2 ? "branch" : "store",
          city: CITIES[i],
          parent_id: hq.id,
        })
        .returning(["id", "city"]);
      units.push(u);
    }
    const rand = seeded(42);
    const rows = Array.from({ length: opts.employees ?? 60 }, (_, i) => ({
      tenant_id: demo.id,
      ...demoEmployee(i, units, rand),
    }));
    const inserted = await trx("employees").insert(rows).returning(["id", "employee_no", "hire_date", "monthly_wage"]);
    await trx("wage_changes").insert(
      inserted.flatMap((e: { id: string; hire_date: string; monthly_wage: string }, i: number) =>
        demoWageHistory(demo.id, e, i),
      ),
    );
    // Two remote staff working where the company has no org unit (Wuhan, Changsha): HR sees them by
    // insured city and work city; a move or a re-hire lets the internet-remote rule set decide.
    const remote = rows.flatMap((r, i) => (r.employment_type === "remote" ? [inserted[i]] : [])).slice(0, 2);
    for (const [i, e] of remote.entries())
      await trx("employees")
        .where({ tenant_id: demo.id, id: e.id })
        .update({ work_city: i === 0 ? "420100" : "430100" });
    const [retailHq] = await trx("org_units")
      .insert({ tenant_id: retail.id, name: "零售总部", type: "company", city: "310000" })
      .returning("id");
    const retailRand = seeded(7);
    await trx("employees").insert({
      tenant_id: retail.id,
      ...demoEmployee(0, [{ id: retailHq.id, city: "310000" }], retailRand),
    });
    const stores = await seedRetailTree(trx, retail.id, retailHq.id);
    const retailRows = Array.from({ length: stores.length * 2 }, (_, i) => ({
      tenant_id: retail.id,
      ...demoEmployee(i + 1, stores, retailRand),
    }));
    const retailInserted = await trx("employees")
      .insert(retailRows)
      .returning(["id", "employee_no", "hire_date", "monthly_wage"]);
    await trx("wage_changes").insert(
      retailInserted.flatMap((e: { id: string; hire_date: string; monthly_wage: string }, i: number) =>
        demoWageHistory(retail.id, e, i + 1),
      ),
    );

    const first = inserted.find((e: { employee_no: string }) => e.employee_no === "E00001");
    await trx("employees").where({ tenant_id: demo.id, id: first.id }).update({ email: DEMO_USERS.employee.email });
    const existing = await trx("users").whereRaw("lower(email) = ?", [opts.adminEmail.toLowerCase()]).first();
    if (!existing) {
      await createUser(trx, {
        email: opts.adminEmail,
        name: "Ordo Admin",
        password: opts.adminPassword,
        role: "consultant",
        tenantIds: [demo.id, retail.id],
      });
    }
    await createUser(trx, {
      email: DEMO_USERS.hr.email,
      name: "Demo HR",
      password: DEMO_USERS.hr.password,
      role: "hr_admin",
      tenantIds: [demo.id],
    });
    await createUser(trx, {
      email: DEMO_USERS.employee.email,
      name: rows[0]!.name,
      password: DEMO_USERS.employee.password,
      role: "employee",
      tenantIds: [demo.id],
      employeeId: first.id,
    });
    await installReferenceTables(trx, demo.id, null);
    await installReferenceTables(trx, retail.id, null);
    await installRulePacks(trx, demo.id, "manufacturing");
    await installRulePacks(trx, retail.id, "retail");
    const reports = new ReportService();
    await reports.installBuiltins(trx, demo.id, null);
    await reports.installBuiltins(trx, retail.id, null);
    // The monthly run on the 1st at 02:00 Shanghai time (editable under /api/schedules).
    await trx("schedules").insert(
      [demo.id, retail.id].map((tenant_id) => ({ tenant_id, job_type: "monthly-run", cron: "0 2 1 * *" })),
    );
    logger.info({ tenants: 2, employees: rows.length + 1 + retailRows.length }, "seeded demo data");
    return true;
  });
}

/** Creates the consultant of ORDO_ADMIN_EMAIL unless a user with that email exists. */
export async function ensureAdmin(db: Knex, logger: Logger, opts: Pick<SeedOptions, "adminEmail" | "adminPassword">) {
  const existing = await db("users").whereRaw("lower(email) = ?", [opts.adminEmail.toLowerCase()]).first();
  if (existing) return false;
  await createUser(db, {
    email: opts.adminEmail,
    name: "Ordo Admin",
    password: opts.adminPassword,
    role: "consultant",
    tenantIds: [],
  });
  logger.info({ email: opts.adminEmail }, "created the admin consultant");
  return true;
}

/** What main.ts runs after migrating: answers whether the demo was seeded (so demo activity can follow). */
export async function seedOnStart(
  db: Knex,
  logger: Logger,
  config: Pick<Config, "seedDemo" | "adminEmail" | "adminPassword">,
): Promise<boolean> {
  const admin = { adminEmail: config.adminEmail, adminPassword: config.adminPassword };
  if (config.seedDemo) return seedDemo(db, logger, admin);
  await ensureAdmin(db, logger, admin);
  return false;
}

/**
 * The first log lines: how to log in, and warnings about unsafe settings. Passwords are named only
 * outside production, and only the published defaults (README lists them).
 */
export function startMessages(
  config: Pick<Config, "production" | "host" | "port" | "adminEmail" | "adminPassword" | "seedDemo" | "tokenSecret">,
): { level: "info" | "warn"; msg: string }[] {
  const out: { level: "info" | "warn"; msg: string }[] = [];
  const where = `Log in at http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
  const defaultAdmin = config.adminPassword === DEFAULT_ADMIN_PASSWORD && config.adminEmail === DEFAULT_ADMIN_EMAIL;
  if (config.production || !defaultAdmin) {
    out.push({ level: "info", msg: `${where} as ${config.adminEmail} with the password in ORDO_ADMIN_PASSWORD` });
  } else {
    const { hr, employee } = DEMO_USERS;
    const demo = config.seedDemo
      ? ` (HR: ${hr.email} / ${hr.password}; employee: ${employee.email} / ${employee.password})`
      : "";
    out.push({
      level: "info",
      msg: `${where} as ${config.adminEmail} with the default password "${DEFAULT_ADMIN_PASSWORD}"${demo}`,
    });
  }
  if (config.production && config.seedDemo) {
    out.push({
      level: "warn",
      msg: "ORDO_SEED_DEMO=true in production: the demo users exist with their published passwords",
    });
  }
  if (config.production && !config.tokenSecret) {
    out.push({
      level: "warn",
      msg:
        "ORDO_TOKEN_SECRET is not set: the token secret is generated once and kept in plain text in the database; " +
        "give it in ORDO_TOKEN_SECRET from your secret store",
    });
  }
  return out;
}
