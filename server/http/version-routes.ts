/**
 * The routes every versioned document shares (rule sets, policy tables, reminder templates, reports):
 * its published versions (simple-rest, newest first), one version with its content, the refusal to change
 * a published version (409), and the diff between two versions or a version and the draft.
 */
import type { Request, Router } from "express";
import type { Role } from "../auth/service";
import type { DocumentStore } from "../documents/store";
import { fail } from "../errors";
import { actorOf, type AppContext } from "./context";
import { diffParams, keyParams, versionParams } from "./document-schemas";
import { listParams, listQuery, setContentRange } from "./list";
import { mount } from "./route";

export interface VersionRoutes {
  /** Under /api, e.g. "/reports". */
  base: string;
  store: DocumentStore;
  tags: string[];
  readRoles: readonly Role[];
  writeRoles: readonly Role[];
  /** What changed between `a` and `b` (a version number or "draft"), as the resource words it. */
  diff: (ctx: AppContext, tenantId: string, key: string, a: string, b: string) => Promise<unknown>;
  diffSummary: string;
}

export function mountVersionRoutes(r: Router, ctx: AppContext, o: VersionRoutes): void {
  const tenant = (req: Request) => actorOf(req).tenant.id;
  const key = (req: Request) => String(req.params.key);
  const { base, store, tags } = o;
  mount(r, ctx.doc, {
    method: "get",
    path: `${base}/:key/versions`,
    params: keyParams,
    summary: "Published versions (simple-rest, newest first)",
    tags,
    roles: [...o.readRoles],
    query: listParams(),
    handler: async (req, res) => {
      const q = listQuery(req.query, ["version", "DESC"]);
      const { data, total } = await store.versions(ctx.db, tenant(req), key(req), q.range, q.sort[1]);
      setContentRange(res, "versions", q.range[0], data.length, total);
      return data;
    },
  });
  mount(r, ctx.doc, {
    method: "get",
    path: `${base}/:key/versions/:version`,
    params: versionParams,
    summary: "One published version with its content",
    tags,
    roles: [...o.readRoles],
    handler: (req) => store.version(ctx.db, tenant(req), key(req), Number(req.params.version)),
  });
  for (const method of ["put", "delete"] as const) {
    mount(r, ctx.doc, {
      method,
      path: `${base}/:key/versions/:version`,
      params: versionParams,
      summary: "Published versions are immutable (409)",
      tags,
      roles: [...o.writeRoles],
      handler: async (req) => {
        await store.version(ctx.db, tenant(req), key(req), Number(req.params.version));
        throw fail(
          "VERSION_IMMUTABLE",
          {},
          {
            message:
              `Version ${req.params.version} of "${key(req)}" is published and cannot change; ` +
              "edit the draft and publish a new version",
          },
        );
      },
    });
  }
  mount(r, ctx.doc, {
    method: "get",
    path: `${base}/:key/versions/:a/diff/:b`,
    params: diffParams,
    summary: o.diffSummary,
    tags,
    roles: [...o.readRoles],
    handler: (req) => o.diff(ctx, tenant(req), key(req), String(req.params.a), String(req.params.b)),
  });
}
