/** The entity resources (react-admin simple-rest) and the entity registry endpoints. */
import { Router, type Request } from "express";
import type { AppContext } from "../http/context";
import { actorOf } from "../http/context";
import { mount } from "../http/route";
import { fail } from "../errors";
import { EntityRepository, type Scope } from "../entities/repository";
import { MAX_PAGE, parseListQuery } from "../entities/query";
import { customFieldInputSchema } from "../entities/registry";
import { listParams } from "../http/list";
import type { EntityDeclaration, EntityReader } from "../entities/types";
import { localeOf } from "../http/errors";

export function scopeFor(req: Request, decl: EntityDeclaration): Scope {
  const { user, tenant } = actorOf(req);
  const refuse = () =>
    fail(
      "ROLE_FORBIDDEN",
      { roles: decl.readRoles.join(", ") },
      { message: `${decl.name} is not available to ${user.role}` },
    );
  if (!decl.readRoles.includes(user.role)) throw refuse();
  if (user.role !== "employee") return { tenantId: tenant.id };
  if (!decl.selfField) throw refuse();
  return { tenantId: tenant.id, self: { field: decl.selfField, value: user.employeeId } };
}

function writeCheck(req: Request, decl: EntityDeclaration) {
  const role = actorOf(req).user.role;
  if (!decl.writeRoles.includes(role))
    throw fail(
      "ROLE_FORBIDDEN",
      { roles: decl.writeRoles.join(", ") },
      { message: `${role} cannot change ${decl.name}` },
    );
}

const ENTITY = { type: "string", pattern: "^[a-z][a-z0-9-]{0,62}$", description: "entity name, e.g. employees" };
const FIELD = { type: "string", pattern: "^[a-z][a-zA-Z0-9]{0,62}$", description: "custom field name" };
/** Record ids: a value that is not a UUID names no record (404, as for any unknown id). */
const ID = { type: "string", minLength: 1, maxLength: 100, description: "record id (UUID)" };

const readerOf = (req: Request): EntityReader => ({ userId: actorOf(req).user.id, locale: localeOf(req) });

export function entityRoutes(ctx: AppContext): Router {
  const r = Router();
  mount(r, ctx.doc, {
    method: "get",
    path: "/entities",
    summary: "Entity declarations with the tenant's custom fields (the admin generates its screens from them)",
    tags: ["entities"],
    handler: (req) => ctx.entities.describe(ctx.db, actorOf(req).tenant.id, actorOf(req).user.role),
  });
  mount(r, ctx.doc, {
    method: "post",
    path: "/entities/:entity/fields",
    summary: "Add a tenant custom field (no restart)",
    tags: ["entities"],
    body: customFieldInputSchema,
    params: { entity: ENTITY },
    roles: ["consultant"],
    handler: async (req, res, body, { params }) => {
      const def = await ctx.entities.addCustomField(ctx.db, actorOf(req).tenant.id, params.entity, body);
      ctx.logger.info(
        { tenant: actorOf(req).tenant.slug, entity: req.params.entity, field: def.name },
        "custom field added",
      );
      res.status(201);
      return def;
    },
  });
  mount(r, ctx.doc, {
    method: "delete",
    path: "/entities/:entity/fields/:field",
    summary: "Remove a tenant custom field",
    tags: ["entities"],
    params: { entity: ENTITY, field: FIELD },
    roles: ["consultant"],
    handler: async (req, _res, _body, { params }) => {
      await ctx.entities.removeCustomField(ctx.db, actorOf(req).tenant.id, params.entity, params.field);
      return { name: params.field };
    },
  });

  for (const decl of ctx.entities.all()) {
    const base = `/${decl.name}`;
    const repo = async (req: Request) =>
      new EntityRepository(await ctx.entities.resolve(ctx.db, actorOf(req).tenant.id, decl.name));
    mount(r, ctx.doc, {
      method: "get",
      path: base,
      summary: `List ${decl.label.en} (getList, getMany, getManyReference)`,
      tags: [decl.name],
      query: listParams(),
      handler: async (req, res, _body, { query }) => {
        const scope = scopeFor(req, decl);
        const repository = await repo(req);
        const ids = (query.filter as { id?: unknown } | undefined)?.id;
        // getMany sends only filter={"id":[…]}: answer all of them.
        const range =
          query.range === undefined && Array.isArray(ids)
            ? [0, Math.min(Math.max(ids.length, 1), MAX_PAGE) - 1]
            : query.range;
        const q = parseListQuery({ ...query, range }, repository.entity);
        const own = decl.read?.filter?.(q.filter, readerOf(req));
        const { data, total } = await repository.list(
          ctx.db,
          own ? { ...scope, where: own.where } : scope,
          own ? { ...q, filter: own.filter } : q,
        );
        const start = q.range[0];
        res.setHeader("Content-Range", `${decl.name} ${start}-${start + Math.max(data.length, 1) - 1}/${total}`);
        res.setHeader("Access-Control-Expose-Headers", "Content-Range");
        const present = decl.read?.present;
        return present ? data.map((rec) => present(rec, readerOf(req))) : data;
      },
    });
    // The static doc lists the routes; GET /api/openapi.json replaces these entries with per-tenant schemas.
    mount(r, ctx.doc, {
      method: "get",
      path: `${base}/:id`,
      summary: `One ${decl.label.en} record`,
      tags: [decl.name],
      params: { id: ID },
      handler: async (req, _res, _body, { params }) => {
        const rec = await (await repo(req)).getOne(ctx.db, scopeFor(req, decl), params.id);
        return decl.read?.present ? decl.read.present(rec, readerOf(req)) : rec;
      },
    });
    if (decl.writeRoles.length === 0) continue;
    mount(r, ctx.doc, {
      method: "post",
      path: base,
      summary: `Create a ${decl.label.en} record`,
      tags: [decl.name],
      body: { type: "object", description: "validated against the entity schema with custom fields" },
      handler: async (req, res) => {
        writeCheck(req, decl);
        const repository = await repo(req);
        const scope = scopeFor(req, decl);
        const created = decl.afterCreate
          ? await ctx.db.transaction(async (trx) => {
              const rec = await repository.create(trx, scope, req.body ?? {});
              await decl.afterCreate!(trx, scope.tenantId, rec, actorOf(req).user.id);
              return rec;
            })
          : await repository.create(ctx.db, scope, req.body ?? {});
        res.status(201);
        return created;
      },
    });
    mount(r, ctx.doc, {
      method: "put",
      path: `${base}/:id`,
      summary: `Update a ${decl.label.en} record (the body is merged onto it)`,
      tags: [decl.name],
      body: { type: "object", description: "validated against the entity schema with custom fields" },
      params: { id: ID },
      handler: async (req, _res, _body, { params }) => {
        writeCheck(req, decl);
        return (await repo(req)).update(ctx.db, scopeFor(req, decl), params.id, req.body ?? {});
      },
    });
    mount(r, ctx.doc, {
      method: "delete",
      path: `${base}/:id`,
      summary: `Delete a ${decl.label.en} record; answers it`,
      tags: [decl.name],
      params: { id: ID },
      handler: async (req, _res, _body, { params }) => {
        writeCheck(req, decl);
        return (await repo(req)).delete(ctx.db, scopeFor(req, decl), params.id);
      },
    });
  }
  return r;
}

/** Per-tenant OpenAPI paths for entity resources, with the tenant's custom fields in their schemas. */
export async function entityOpenApi(ctx: AppContext, req: Request) {
  const described = await ctx.entities.describe(ctx.db, actorOf(req).tenant.id, actorOf(req).user.role);
  const schemas: Record<string, object> = {};
  const paths: Record<string, Record<string, object>> = {};
  for (const e of described) {
    const ref = { $ref: `#/components/schemas/${e.name}` };
    schemas[e.name] = {
      ...e.schema,
      properties: { id: { type: "string", format: "uuid", readOnly: true }, ...e.schema.properties },
    };
    const list = {
      200: {
        description: "A page; Content-Range: <res> start-end/total",
        content: { "application/json": { schema: { type: "array", items: ref } } },
      },
    };
    const one = { 200: { description: "The record", content: { "application/json": { schema: ref } } } };
    paths[`/api/${e.name}`] = { get: { summary: `List ${e.label.en}`, tags: [e.name], responses: list } };
    paths[`/api/${e.name}/{id}`] = { get: { summary: `One ${e.label.en}`, tags: [e.name], responses: one } };
    if (e.ui.canWrite) {
      paths[`/api/${e.name}`]!.post = {
        summary: `Create ${e.label.en}`,
        tags: [e.name],
        requestBody: { content: { "application/json": { schema: ref } } },
        responses: one,
      };
      paths[`/api/${e.name}/{id}`]!.put = {
        summary: `Update ${e.label.en}`,
        tags: [e.name],
        requestBody: { content: { "application/json": { schema: ref } } },
        responses: one,
      };
      paths[`/api/${e.name}/{id}`]!.delete = { summary: `Delete ${e.label.en}`, tags: [e.name], responses: one };
    }
  }
  return { paths, schemas };
}
