/** The entity registry: declarations (core and plugin-provided) plus each tenant's custom fields. */
import type { Knex } from "knex";
import { audit, inTransaction } from "../audit/log";
import { fail } from "../errors";
import type { Role } from "../auth/service";
import { validateBody } from "../http/validate";
import { resolveEntity, type ResolvedEntity } from "./fields";
import type { CustomFieldDef, EntityDeclaration, FieldKind, PropertySchema } from "./types";
import { CITY_PATTERN } from "../../domain/index";

export const customFieldInputSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "schema"],
  properties: {
    name: { type: "string", pattern: "^[a-z][a-zA-Z0-9]{0,62}$", description: "camelCase identifier" },
    label: {
      anyOf: [
        { type: "string", minLength: 1, maxLength: 100 },
        { type: "object", properties: { en: { type: "string" }, zh: { type: "string" } }, additionalProperties: false },
      ],
    },
    schema: {
      type: "object",
      additionalProperties: false,
      required: ["type"],
      properties: {
        type: { enum: ["string", "number", "integer", "boolean"] },
        format: { enum: ["date", "email"] },
        enum: { type: "array", minItems: 1, maxItems: 200, items: { type: ["string", "number"] } },
        minimum: { type: "number" },
        maximum: { type: "number" },
        maxLength: { type: "integer", minimum: 1, maximum: 10000 },
        description: { type: "string", maxLength: 500 },
      },
    },
    filterable: { type: "boolean" },
    sortable: { type: "boolean" },
  },
} as const;

export interface CustomFieldInput {
  name: string;
  label?: string | { en?: string; zh?: string };
  schema: CustomFieldDef["schema"];
  filterable?: boolean;
  sortable?: boolean;
}

export class EntityRegistry {
  private readonly decls = new Map<string, EntityDeclaration>();

  constructor(declarations: EntityDeclaration[]) {
    for (const d of declarations) {
      if (this.decls.has(d.name)) throw new Error(`Entity "${d.name}" is declared twice`);
      this.decls.set(d.name, d);
    }
  }

  all(): EntityDeclaration[] {
    return [...this.decls.values()];
  }

  declaration(name: string): EntityDeclaration {
    const d = this.decls.get(name);
    if (!d) throw fail("UNKNOWN_ENTITY", { entity: name }, { details: { entity: name } });
    return d;
  }

  async customFields(db: Knex, tenantId: string, entity?: string): Promise<CustomFieldDef[] & { entity?: string }[]> {
    const q = db("custom_fields").where({ tenant_id: tenantId }).orderBy(["entity", "created_at", "name"]);
    if (entity) q.andWhere({ entity });
    const rows = await q;
    return rows.map((r: Record<string, any>) => ({
      entity: r.entity,
      name: r.name,
      label: r.label,
      schema: r.schema,
      filterable: r.filterable,
      sortable: r.sortable,
    }));
  }

  async resolve(db: Knex, tenantId: string, name: string): Promise<ResolvedEntity> {
    const decl = this.declaration(name);
    return resolveEntity(decl, await this.customFields(db, tenantId, name));
  }

  /** What GET /api/entities answers: the admin generates its screens from it. */
  async describe(db: Knex, tenantId: string, role: Role) {
    const custom = await this.customFields(db, tenantId);
    return this.all()
      .filter((d) => d.readRoles.includes(role))
      .map((decl) => {
        const own = custom
          .filter((c) => (c as { entity?: string }).entity === decl.name)
          .map(({ entity: _, ...c }: any) => c as CustomFieldDef);
        const r = resolveEntity(decl, own);
        const ui = {
          ...decl.ui,
          kinds: kindsOf(r.schema.properties),
          filterable: [...decl.ui.filterable, ...own.filter((c) => c.filterable).map((c) => c.name)],
          sortable: [...decl.ui.sortable, ...own.filter((c) => c.sortable).map((c) => c.name)],
          fieldLabels: { ...decl.ui.fieldLabels, ...Object.fromEntries(own.map((c) => [c.name, c.label])) },
          canWrite: decl.writeRoles.includes(role),
        };
        return { name: decl.name, label: decl.label, schema: r.schema, ui, customFields: own };
      });
  }

  /**
   * A custom field as it is stored, validated as the API validates it: the body's schema, an entity that
   * takes custom fields, and a name that is not a built-in field. Throws the API's 4xx.
   */
  checkCustomField(entity: string, body: unknown): CustomFieldDef {
    const decl = this.declaration(entity);
    if (decl.writeRoles.length === 0)
      throw fail("READ_ONLY_ENTITY", { resource: entity }, { message: `${entity} does not take custom fields` });
    const input = validateBody<CustomFieldInput>(customFieldInputSchema, body);
    if (input.name === "id" || Object.hasOwn(decl.schema.properties, input.name)) {
      throw fail(
        "FIELD_EXISTS",
        { field: input.name },
        {
          message: `"${input.name}" is a built-in field of ${entity}`,
          details: { field: "name" },
          errors: { name: "is a built-in field" },
        },
      );
    }
    const label =
      typeof input.label === "string"
        ? { en: input.label, zh: input.label }
        : { en: input.label?.en ?? input.name, zh: input.label?.zh ?? input.label?.en ?? input.name };
    return {
      name: input.name,
      label,
      schema: input.schema,
      filterable: input.filterable ?? true,
      sortable: input.sortable ?? true,
    };
  }

  async addCustomField(db: Knex, tenantId: string, entity: string, body: unknown): Promise<CustomFieldDef> {
    const def = this.checkCustomField(entity, body);
    const inserted = await inTransaction(db, async (trx) => {
      const names = await trx("custom_fields")
        .insert({
          tenant_id: tenantId,
          entity,
          name: def.name,
          label: JSON.stringify(def.label),
          schema: JSON.stringify(def.schema),
          filterable: def.filterable,
          sortable: def.sortable,
        })
        .onConflict(["tenant_id", "entity", "name"])
        .ignore()
        .returning("name");
      // The field's audit entry commits with it (a duplicate writes neither).
      if (names.length)
        await audit(trx, tenantId, {
          resource: `${entity}.custom-fields`,
          resourceId: def.name,
          operation: "create",
          after: def,
        });
      return names;
    });
    if (inserted.length === 0)
      throw fail(
        "DUPLICATE",
        { field: "name" },
        { message: `${entity} already has a custom field "${def.name}"`, details: { field: def.name } },
      );
    return def;
  }

  /**
   * Replaces a field's label, schema and flags (values already stored stay; one no longer of the field's
   * type reads as null). Validated as addCustomField is; audited with the field before and after.
   */
  async updateCustomField(db: Knex, tenantId: string, entity: string, body: unknown): Promise<CustomFieldDef> {
    const def = this.checkCustomField(entity, body);
    await inTransaction(db, async (trx) => {
      const where = { tenant_id: tenantId, entity, name: def.name };
      const before = await trx("custom_fields").where(where).forUpdate().first();
      if (!before)
        throw fail(
          "NOT_FOUND",
          { resource: `${entity} custom fields`, id: def.name },
          { message: `${entity} has no custom field "${def.name}"`, details: { field: def.name } },
        );
      await trx("custom_fields")
        .where(where)
        .update({
          label: JSON.stringify(def.label),
          schema: JSON.stringify(def.schema),
          filterable: def.filterable,
          sortable: def.sortable,
          updated_at: trx.fn.now(),
        });
      const { tenant_id: _t, created_at: _c, updated_at: _u, ...was } = before;
      await audit(trx, tenantId, {
        resource: `${entity}.custom-fields`,
        resourceId: def.name,
        operation: "update",
        before: was,
        after: def,
      });
    });
    return def;
  }

  /**
   * Removes the field and, in the same transaction, its values from every record's `custom` jsonb, so a
   * field later added under the same name (perhaps with another type) starts empty.
   */
  async removeCustomField(db: Knex, tenantId: string, entity: string, name: string): Promise<void> {
    const decl = this.declaration(entity);
    await db.transaction(async (trx) => {
      const removed = await trx("custom_fields").where({ tenant_id: tenantId, entity, name }).delete().returning("*");
      if (!removed.length)
        throw fail(
          "NOT_FOUND",
          { resource: `${entity} custom fields`, id: name },
          { message: `${entity} has no custom field "${name}"`, details: { field: name } },
        );
      await trx(decl.table)
        .where({ tenant_id: tenantId })
        .whereRaw(`("custom" -> ?) IS NOT NULL`, [name])
        .update({ custom: trx.raw(`"custom" - ?`, [name]) });
      const { tenant_id: _t, created_at: _c, updated_at: _u, ...before } = removed[0]!;
      await audit(trx, tenantId, {
        resource: `${entity}.custom-fields`,
        resourceId: name,
        operation: "delete",
        before,
      });
    });
  }
}

/** A field's display kind from its schema: city codes by their pattern, decimals as money, months by format. */
function kindsOf(properties: Record<string, PropertySchema>): Record<string, FieldKind> {
  const out: Record<string, FieldKind> = {};
  for (const [name, s] of Object.entries(properties)) {
    if (s.pattern === CITY_PATTERN) out[name] = "city";
    else if (s.format === "decimal") out[name] = "money";
    else if (s.format === "month") out[name] = "month";
  }
  return out;
}
