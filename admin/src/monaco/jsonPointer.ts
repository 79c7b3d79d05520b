/**
 * Locates a JSON pointer (RFC 6901) in JSON text, so server diagnostics such as
 * `/rules/0/conditions/all/1/value` become editor ranges. Missing tails fall back to the
 * deepest existing ancestor. Tolerant: returns null when the text does not parse.
 */
export interface Span {
  start: number;
  end: number;
}

interface Node extends Span {
  props?: Map<string, { key: Span; value: Node }>;
  items?: Node[];
}

function parse(text: string): Node | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const value = (): Node => {
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const props = new Map<string, { key: Span; value: Node }>();
      ws();
      if (text[i] === "}") {
        i++;
        return { start, end: i, props };
      }
      for (;;) {
        ws();
        const keyStart = i;
        const key = str();
        const keySpan = { start: keyStart, end: i };
        ws();
        if (text[i++] !== ":") throw new Error("expected :");
        props.set(key, { key: keySpan, value: value() });
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return { start, end: i, props };
        } else throw new Error("expected , or }");
      }
    }
    if (c === "[") {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { start, end: i, items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return { start, end: i, items };
        } else throw new Error("expected , or ]");
      }
    }
    if (c === '"') {
      str();
      return { start, end: i };
    }
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) throw new Error(`unexpected ${c}`);
    i += m[0].length;
    return { start, end: i };
  };
  try {
    return value();
  } catch {
    return null;
  }
}

export function pointerSegments(pointer: string): string[] {
  if (!pointer || pointer === "/") return [];
  return pointer
    .replace(/^#/, "")
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function locatePointer(text: string, pointer: string): Span | null {
  const root = parse(text);
  if (!root) return null;
  let node: Node = root;
  let span: Span = root;
  for (const seg of pointerSegments(pointer)) {
    if (node.props) {
      const p = node.props.get(seg);
      if (!p) break;
      node = p.value;
    } else if (node.items) {
      const item: Node | undefined = node.items[Number(seg)];
      if (!item) break;
      node = item;
    } else break;
    span = node;
  }
  // A whole object or array is a big squiggle; its first line is enough to point at it.
  if (node.props || node.items) {
    const nl = text.indexOf("\n", span.start);
    return { start: span.start, end: nl > span.start ? nl : span.end };
  }
  return { start: span.start, end: span.end };
}
