/** The OpenAPI document, built from the same schemas that validate requests. */
export interface Operation {
  summary: string;
  tags?: string[];
  requestBody?: object;
  /** Media type of requestBody (default application/json). */
  requestType?: string;
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

export class ApiDoc {
  private readonly paths: Paths = {};

  add(method: string, path: string, op: Operation): void {
    const oaPath = path.replace(/:([A-Za-z]+)/g, "{$1}");
    const params = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const query = Object.entries(op.query ?? {}).map(([name, schema]) => ({ name, in: "query", schema }));
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
          "Rules-driven social-insurance operations. simple-rest resources follow react-admin's ra-data-simple-rest protocol.",
      },
      servers: [{ url: "/" }],
      security: [{ bearer: [] }],
      paths: { ...this.paths, ...extraPaths },
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
