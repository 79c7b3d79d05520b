/**
 * The org-unit hierarchy (company → region → store) of a tenant, built in memory from its units: a
 * tenant has at most a few thousand, and walking them here cannot loop on a parent cycle an edit made.
 */
import type { Knex } from "knex";
import { cityName } from "../../domain/index";
import { fail } from "../errors";
import { isUuid } from "../http/formats";

export interface OrgUnitRow {
  id: string;
  name: string;
  type: string;
  city: string;
  parent_id: string | null;
}

export interface OrgTreeNode {
  id: string;
  name: string;
  type: string;
  city: string;
  cityZh: string;
  cityEn: string;
  parentId: string | null;
  children: OrgTreeNode[];
}

/** The kinds of unit a region's stores are: everything below it that is not itself a grouping. */
const GROUPINGS = new Set(["company", "region"]);

export class OrgTree {
  private readonly byId: Map<string, OrgUnitRow>;
  private readonly children = new Map<string, OrgUnitRow[]>();

  constructor(units: OrgUnitRow[]) {
    const sorted = [...units].sort((a, b) => a.name.localeCompare(b.name, "zh-CN") || (a.id < b.id ? -1 : 1));
    this.byId = new Map(sorted.map((u) => [u.id, u]));
    for (const u of sorted) {
      if (!u.parent_id || !this.byId.has(u.parent_id) || u.parent_id === u.id) continue;
      (this.children.get(u.parent_id) ?? this.children.set(u.parent_id, []).get(u.parent_id)!).push(u);
    }
  }

  get(id: string): OrgUnitRow | undefined {
    return this.byId.get(id);
  }

  units(): OrgUnitRow[] {
    return [...this.byId.values()];
  }

  /** Units whose parent is missing (or none): the tops of the forest. */
  roots(): OrgUnitRow[] {
    return [...this.byId.values()].filter((u) => !u.parent_id || !this.byId.has(u.parent_id) || u.parent_id === u.id);
  }

  /** Every unit below `id` (not `id` itself), each once even if the parents form a cycle. */
  descendants(id: string): OrgUnitRow[] {
    const seen = new Set([id]);
    const out: OrgUnitRow[] = [];
    const stack = [...(this.children.get(id) ?? [])].reverse();
    while (stack.length) {
      const u = stack.pop()!;
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      out.push(u);
      stack.push(...[...(this.children.get(u.id) ?? [])].reverse());
    }
    return out;
  }

  /** The stores (and branches) of a unit: its descendants that group nothing, or the unit itself when it has none. */
  stores(id: string): OrgUnitRow[] {
    const below = this.descendants(id).filter((u) => !GROUPINGS.has(u.type));
    if (below.length) return below;
    const self = this.byId.get(id);
    return self ? [self] : [];
  }

  node(id: string, seen = new Set<string>()): OrgTreeNode {
    const u = this.byId.get(id)!;
    seen.add(id);
    const kids = (this.children.get(id) ?? []).filter((c) => !seen.has(c.id));
    return {
      id: u.id,
      name: u.name,
      type: u.type,
      city: u.city,
      cityZh: cityName(u.city, "zh-CN"),
      cityEn: cityName(u.city, "en"),
      parentId: u.parent_id,
      children: kids.map((c) => this.node(c.id, seen)),
    };
  }
}

export async function loadOrgTree(db: Knex, tenantId: string): Promise<OrgTree> {
  const units: OrgUnitRow[] = await db("org_units")
    .where({ tenant_id: tenantId })
    .select("id", "name", "type", "city", "parent_id");
  return new OrgTree(units);
}

/** The unit, or a 404 naming it. */
export function unitOf(tree: OrgTree, id: string): OrgUnitRow {
  const unit = isUuid(id) ? tree.get(id) : undefined;
  if (!unit) throw fail("NOT_FOUND", { resource: "org-units", id }, { details: { resource: "org-units", id } });
  return unit;
}
