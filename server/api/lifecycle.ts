/** Lifecycle operations, monthly runs, employee self-service and the dashboard. */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { LifecycleService, type Caller } from "../lifecycle/service";
import { createMonthlyRun, getJob, monthlyRunJob } from "../lifecycle/monthly-run";
import { dashboard, mySummary } from "../lifecycle/reports";
import { loadPolicySet } from "../policy-tables/policy-set";
import { localeOf } from "../http/errors";
import { present as presentAlert } from "../alerts/service";
import { CITY_PATTERN } from "../../domain/index";

const DATE = { type: "string", format: "date", description: "YYYY-MM-DD" };
const MONTH = { type: "string", format: "month", description: "YYYY-MM" };
const ID = { type: "string", format: "uuid" };
const idParams = { id: ID };
const AT = { ...DATE, description: "Evaluation date (default today): picks the rule-set version in force" };
const hireSchema = { type: "object", additionalProperties: false, properties: { date: DATE, at: AT } };
const wageSchema = {
  type: "object",
  additionalProperties: false,
  required: ["wage", "effectiveMonth"],
  properties: {
    wage: { type: ["string", "number"], money: "nonNegative", description: "12000.00 or 12000" },
    effectiveMonth: MONTH,
    at: AT,
  },
};
const leaveSchema = {
  type: "object",
  additionalProperties: false,
  required: ["leaveDate"],
  properties: { leaveDate: DATE, at: AT },
};
const moveSchema = {
  type: "object",
  additionalProperties: false,
  required: ["workCity", "date"],
  properties: {
    workCity: { type: "string", pattern: CITY_PATTERN, format: "city", description: "GB/T 2260 code" },
    date: DATE,
    at: AT,
  },
};
const runSchema = {
  type: "object",
  additionalProperties: false,
  required: ["month"],
  properties: { month: MONTH, at: AT },
};
const HR = ["consultant", "hr_admin"] as const;
const tags = ["lifecycle"];

const caller = (req: Request): Caller => ({ tenantId: actorOf(req).tenant.id, actorId: actorOf(req).user.id });

/** An operation's answer with its alerts worded in the reader's language. */
const localized =
  (req: Request) =>
  <S extends { alerts: Record<string, unknown>[] }>(state: S): S => ({
    ...state,
    alerts: state.alerts.map((a) => presentAlert(a, localeOf(req))),
  });

export function lifecycleRoutes(ctx: AppContext): Router {
  const r = Router();
  const service = new LifecycleService(ctx);
  const answers = "{ decision, enrollments, alerts, contributions, reminders } of the employee after the operation";

  mount<{ date?: string; at?: string }>(r, ctx.doc, {
    method: "post",
    path: "/employees/:id/hire",
    summary: `Hire: apply the "enrollment" rule set (增员, Art. 58 alert); answers ${answers}`,
    tags,
    roles: [...HR],
    body: hireSchema,
    params: idParams,
    handler: (req, _res, body, { params }) => service.hire(caller(req), params.id, body).then(localized(req)),
  });
  mount<{ wage: string | number; effectiveMonth: string; at?: string }>(r, ctx.doc, {
    method: "post",
    path: "/employees/:id/wage-change",
    summary: `Wage change: apply the "wage-change" rule set (adjust the base); answers ${answers}`,
    tags,
    roles: [...HR],
    body: wageSchema,
    params: idParams,
    handler: (req, _res, body, { params }) => service.wageChange(caller(req), params.id, body).then(localized(req)),
  });
  mount<{ leaveDate: string; at?: string }>(r, ctx.doc, {
    method: "post",
    path: "/employees/:id/leave",
    summary: `Leave: apply the "offboarding" rule set (减员, HR alert, employee gap reminder); answers ${answers}`,
    tags,
    roles: [...HR],
    body: leaveSchema,
    params: idParams,
    handler: (req, _res, body, { params }) => service.leave(caller(req), params.id, body).then(localized(req)),
  });
  mount<{ workCity: string; date: string; at?: string }>(r, ctx.doc, {
    method: "post",
    path: "/employees/:id/move",
    summary:
      "Move: the work city changes from `date`; the tenant's industry rule sets decide (internet-remote: the " +
      `insured city and the 代缴 compliance alert); answers ${answers} and the decisions`,
    tags,
    roles: [...HR],
    body: moveSchema,
    params: idParams,
    handler: (req, _res, body, { params }) => service.move(caller(req), params.id, body).then(localized(req)),
  });

  mount<{ month: string; at?: string }>(r, ctx.doc, {
    method: "post",
    path: "/monthly-runs",
    summary: "Start a monthly run (ledger + monthly-check alerts) as a job; ?wait=true runs it before answering",
    tags,
    roles: [...HR],
    body: runSchema,
    query: { wait: { type: "boolean" } },
    handler: async (req, res, body, { query }) => {
      const { tenantId, actorId } = caller(req);
      if (query.wait === true) {
        const job = await createMonthlyRun(ctx.db, tenantId, body, actorId);
        return ctx.jobs.runNow("monthly-run", tenantId, job.id);
      }
      // Queued (pg-boss) and processed after answering, here or by any other server's worker; progress
      // lives in the jobs row, so any server can answer GET. A run of the month already queued or running
      // is answered instead of a second one.
      const job = await ctx.jobs.enqueue("monthly-run", tenantId, {
        ...(await monthlyRunJob(ctx.db, tenantId, body)),
        actorId,
      });
      res.status(202);
      return getJob(ctx.db, tenantId, job.id);
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/jobs/:id",
    summary: "A queued job's status, progress, result and error code (monthly runs, scheduled jobs)",
    tags,
    roles: [...HR],
    params: idParams,
    handler: (req, _res, _body, { params }) => getJob(ctx.db, caller(req).tenantId, params.id),
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/monthly-runs/:id",
    summary: "A monthly run's status and progress",
    tags,
    roles: [...HR],
    params: idParams,
    handler: (req, _res, _body, { params }) => getJob(ctx.db, caller(req).tenantId, params.id),
  });

  mount(r, ctx.doc, {
    method: "get",
    path: "/me/summary",
    summary:
      "Self-service: own employee record, enrollments, contributions, gaps, " +
      "back-payment estimate and pension simulation",
    tags: ["self-service"],
    query: {
      at: DATE,
      asOf: MONTH,
      flexibleBase: {
        type: "string",
        pattern: "^\\d{1,12}(\\.\\d{1,2})?$",
        description:
          "After leaving, project flexible employment (灵活就业) at this base; otherwise nothing is projected",
      },
    },
    handler: async (req, _res, _body, { query }) => {
      const { user, tenant } = actorOf(req);
      const policy = await loadPolicySet(ctx.db, tenant.id);
      return mySummary(
        ctx.db,
        policy,
        tenant.id,
        user.employeeId,
        { at: query.at, asOf: query.asOf, flexibleBase: query.flexibleBase },
        localeOf(req),
      );
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: "/reports/dashboard",
    summary: "Open alerts by type, contributions by month and by city (employer and employee shares)",
    tags: ["reports"],
    roles: [...HR],
    query: { from: MONTH, to: MONTH },
    handler: (req, _res, _body, { query }) =>
      dashboard(ctx.db, caller(req).tenantId, { from: query.from, to: query.to }),
  });
  return r;
}
