/**
 * Demo activity on first start, so the demo tenant opens with history rather than empty screens:
 * employees enrolled through the `enrollment` rule set (registered in time), four monthly runs, the
 * earlier months paid and one month not received, a wage change and an upcoming departure.
 * Everything goes through the same services the API uses.
 */
import type { AppContext } from "./http/context";
import { LifecycleService } from "./lifecycle/service";
import { createMonthlyRun, processMonthlyRun } from "./lifecycle/monthly-run";
import { payMany } from "./payments/service";

const pad = (n: number) => String(n).padStart(2, "0");
function monthsBefore(today: string, n: number): string[] {
  const [y, m] = today.split("-").map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const t = y * 12 + (m - 1) - (n - i);
    return `${Math.floor(t / 12)}-${pad((t % 12) + 1)}`;
  });
}

export async function runDemoActivity(
  ctx: AppContext,
  today = new Date().toISOString().slice(0, 10),
  tenantSlug = "demo",
) {
  const db = ctx.db;
  const tenant = await db("tenants").where({ slug: tenantSlug }).first();
  if (!tenant) return;
  const caller = { tenantId: tenant.id as string, actorId: null };
  const lifecycle = new LifecycleService(ctx);
  // E00001 is the self-service login: it stays un-enrolled so a consultant can walk its hire by hand.
  const employees = await db("employees")
    .where({ tenant_id: tenant.id })
    .whereNot({ employee_no: "E00001" })
    .orderBy("employee_no");
  for (const e of employees) await lifecycle.hire(caller, e.id, { at: e.hire_date });
  await db("alerts")
    .where({ tenant_id: tenant.id, type: "enrollment_due" })
    .update({ resolved: true, resolved_at: db.fn.now() });
  await db("enrollments").where({ tenant_id: tenant.id, status: "pending" }).update({ status: "active" });

  const months = monthsBefore(today, 4);
  const last = months[months.length - 1]!;
  const [late, leaving, forgotten] = employees.slice(1, 4);
  const raised = employees.slice(4).find((e) => Number(e.monthly_wage) < 20000);
  const run = async (month: string) =>
    processMonthlyRun(ctx, tenant.id, (await createMonthlyRun(db, tenant.id, { month, at: `${month}-20` }, null)).id);
  for (const month of months.slice(0, -1)) {
    await run(month);
    // Paid by the deadline, except one employee whose last contribution never arrived (未到账).
    // Recorded as HR would (POST /api/contributions/pay): paid on the 20th, before the deadline.
    const paid = db("contributions").where({ tenant_id: tenant.id, month, status: "due" });
    if (late && month === months[months.length - 2]) paid.whereNot({ employee_id: late.id });
    const ids = (await paid.select("id")).map((r: { id: string }) => r.id);
    if (ids.length) await payMany(db, tenant.id, { ids, paidOn: `${month}-20` });
    await db("alerts")
      .where({ tenant_id: tenant.id, type: "payment_deadline", resolved: false })
      .update({ resolved: true, resolved_at: db.fn.now() });
  }
  // A base declared below last year's wage (错缴), a raise during the base year (no 错缴: the base changes
  // with the next declaration), an employee who left without de-enrollment (离职未减员), a departure ahead.
  const underDeclared = employees.slice(4).find((e) => e.id !== raised?.id && Number(e.monthly_wage) >= 15000);
  if (underDeclared)
    await db("enrollments")
      .where({ tenant_id: tenant.id, employee_id: underDeclared.id })
      .update({ base: (Number(underDeclared.monthly_wage) * 0.6).toFixed(2) });
  if (raised)
    await lifecycle.wageChange(caller, raised.id, {
      wage: (Number(raised.monthly_wage) + 3000).toFixed(2),
      effectiveMonth: today.slice(0, 7),
      at: today,
    });
  if (forgotten)
    await db("employees")
      .where({ tenant_id: tenant.id, id: forgotten.id })
      .update({ status: "left", leave_date: `${months[0]}-15` });
  await run(last);
  if (leaving) {
    const [y, m] = today.split("-").map(Number) as [number, number];
    const endOfNextMonth = new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10);
    await lifecycle.leave(caller, leaving.id, { leaveDate: endOfNextMonth, at: today });
  }
  ctx.logger.info({ tenant: tenantSlug, employees: employees.length, months }, "demo activity recorded");
}
