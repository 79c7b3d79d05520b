/** The OpenAPI document, built from the same schemas that validate requests. */
import { isJsonParam } from "./validate";

export interface Operation {
  summary: string;
  tags?: string[];
  requestBody?: object;
  /** Media type of requestBody (default application/json). */
  requestType?: string;
  /** Path parameters by name (JSON Schemas); missing ones are documented as strings. */
  params?: Record<string, object>;
  query?: Record<string, object>;
  responses?: Record<string, object>;
  public?: boolean;
}

type Paths = Record<string, Record<string, object>>;

const errorSchema = {
  type: "object",
  required: ["message", "code"],
  properties: {
    message: { type: "string" },
    code: { type: "string" },
    details: {},
    errors: { type: "object", additionalProperties: { type: "string" } },
  },
};

/** Per-tenant operations refine the static ones (schemas with custom fields) and keep their parameters. */
function mergePaths(base: Paths, extra: Paths): Paths {
  const out: Paths = { ...base };
  for (const [path, ops] of Object.entries(extra)) {
    const merged: Record<string, object> = { ...out[path] };
    for (const [method, op] of Object.entries(ops)) merged[method] = { ...merged[method], ...op };
    out[path] = merged;
  }
  return out;
}

export class ApiDoc {
  private readonly paths: Paths = {};

  add(method: string, path: string, op: Operation): void {
    const oaPath = path.replace(/:([A-Za-z]+)/g, "{$1}");
    const params = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: op.params?.[m[1]!] ?? { type: "string" },
    }));
    // A JSON-valued parameter (simple-rest sort, range, filter) is described by its content's schema.
    const query = Object.entries(op.query ?? {}).map(([name, schema]) => {
      if (!isJsonParam(schema)) return { name, in: "query", schema };
      const { "x-json": _, ...inner } = schema as Record<string, unknown>;
      return { name, in: "query", content: { "application/json": { schema: inner } } };
    });
    (this.paths[oaPath] ??= {})[method.toLowerCase()] = {
      summary: op.summary,
      tags: op.tags,
      parameters: [...params, ...query],
      ...(op.requestBody
        ? {
            requestBody: {
              required: true,
              content: { [op.requestType ?? "application/json"]: { schema: op.requestBody } },
            },
          }
        : {}),
      responses: {
        ...(op.responses ?? { 200: { description: "OK" } }),
        "4XX": {
          description: "Client error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
      ...(op.public ? { security: [] } : {}),
    };
  }

  /** The document; `extraPaths` carries per-tenant parts such as entity resources with custom fields. */
  document(extraPaths: Paths = {}, schemas: Record<string, object> = {}) {
    return {
      openapi: "3.1.0",
      info: {
        title: "Ordo API",
        version: "0.1.0",
        description:
          "Rules-driven social-insurance operations. " +
          "simple-rest resources follow react-admin's ra-data-simple-rest protocol.",
      },
      servers: [{ url: "/" }],
      security: [{ bearer: [] }],
      paths: mergePaths(this.paths, extraPaths),
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
        },
        parameters: {
          tenant: {
            name: "X-Tenant",
            in: "header",
            schema: { type: "string" },
            description: "Tenant slug for users with several tenants",
          },
        },
        schemas: { Error: errorSchema, ...schemas },
      },
    };
  }
}
