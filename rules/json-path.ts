// Paths into object facts. json-rules-engine resolves `path` with jsonpath-plus; Ordo accepts
// the plain subset ($.a.b, $.a[0].b, $['a b']) and compiles it to property steps once.
// Wildcards, filters and recursive descent are refused by validation: filters evaluate code,
// and a consultant's rule should point at one value.

const SEGMENT = /^(?:\.([A-Za-z_][A-Za-z0-9_]*|\d+)|\[(\d+)\]|\['([A-Za-z0-9_ -]+)'\]|\["([A-Za-z0-9_ -]+)"\])/;
const FIRST = /^([A-Za-z_][A-Za-z0-9_]*)/;

/** The property steps of a supported path, or undefined when the path is not supported. */
export function parsePath(path: string): string[] | undefined {
  let rest = path;
  const steps: string[] = [];
  if (rest.startsWith("$")) rest = rest.slice(1);
  else {
    const first = FIRST.exec(rest);
    if (!first) return undefined;
    steps.push(first[1]);
    rest = rest.slice(first[0].length);
  }
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return undefined;
    steps.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    rest = rest.slice(m[0].length);
  }
  return steps.length > 0 ? steps : undefined;
}

/**
 * Applies the path like json-rules-engine's almanac: only to non-null objects (other values are
 * returned unchanged); a step follows an own property of any truthy value (as jsonpath-plus does,
 * so "$.name.length" works on strings); no match gives undefined.
 */
export function compilePath(path: string): (value: unknown) => unknown {
  const steps = parsePath(path);
  if (!steps) throw new Error(`Unsupported path "${path}"`);
  return (value) => {
    if (value === null || typeof value !== "object") return value;
    let current: any = value;
    for (let i = 0; i < steps.length; i++) {
      if (current && Object.hasOwn(current, steps[i])) current = current[steps[i]];
      else return undefined;
    }
    return current;
  };
}
