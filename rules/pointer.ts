// JSON pointers (RFC 6901) as used in diagnostics and diffs.

export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join("");
}

export function join(base: string, ...tokens: (string | number)[]): string {
  return base + pointer(...tokens);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export const hasOwn = (obj: object, key: string): boolean => Object.hasOwn(obj, key);

/** A rule's label in results and test cases: its name, or `#<index>` when unnamed. */
export function ruleLabel(rule: { name?: unknown }, index: number): string {
  return typeof rule.name === "string" && rule.name !== "" ? rule.name : `#${index}`;
}
