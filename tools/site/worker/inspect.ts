/**
 * console.log formatting in the page, close to Node's util.format / util.inspect for what cells print: numbers,
 * strings, arrays, typed arrays, plain objects, Maps, Sets, errors, functions, class instances. Pure, so it is
 * unit-tested in Node against util.inspect itself.
 */

const MAX_ITEMS = 100;
const BREAK = 72;

const quote = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
const keyText = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));
const numText = (x: number): string => (Object.is(x, -0) ? "-0" : String(x));

function wrap(open: string, items: string[], close: string, indent: string): string {
  if (items.length === 0) return `${open}${close}`;
  const flat = `${open} ${items.join(", ")} ${close}`;
  if (flat.length + indent.length <= BREAK && !flat.includes("\n")) return flat;
  const inner = indent + "  ";
  return `${open}\n${items.map((i) => inner + i).join(",\n")}\n${indent}${close}`;
}

function listItems(xs: ArrayLike<unknown>, depth: number, seen: Set<unknown>, indent: string): string[] {
  const n = Math.min(xs.length, MAX_ITEMS);
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(inspectValue(xs[i], depth + 1, seen, indent + "  "));
  if (xs.length > MAX_ITEMS) items.push(`... ${xs.length - MAX_ITEMS} more item${xs.length - MAX_ITEMS > 1 ? "s" : ""}`);
  return items;
}

function inspectObject(v: object, depth: number, seen: Set<unknown>, indent: string): string {
  if (seen.has(v)) return "[Circular *1]";
  if (v instanceof Error) return v.stack && v.stack.startsWith(`${v.name}`) ? v.stack : `${v.name}: ${v.message}`;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (v instanceof RegExp) return String(v);
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
  if (depth > 2) return Array.isArray(v) ? "[Array]" : `[${ctor && ctor !== "Object" ? ctor : "Object"}]`;
  seen.add(v);
  try {
    if (Array.isArray(v)) return wrap("[", listItems(v, depth, seen, indent), "]", indent);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const arr = v as unknown as ArrayLike<unknown>;
      return wrap(`${ctor}(${arr.length}) [`, listItems(arr, depth, seen, indent), "]", indent);
    }
    if (v instanceof Map) {
      const items = [...v].slice(0, MAX_ITEMS).map(([k, x]) => `${inspectValue(k, depth + 1, seen, indent)} => ${inspectValue(x, depth + 1, seen, indent + "  ")}`);
      return wrap(`Map(${v.size}) {`, items, "}", indent);
    }
    if (v instanceof Set) return wrap(`Set(${v.size}) {`, listItems([...v], depth, seen, indent), "}", indent);
    if (v instanceof Promise) return "Promise { <pending> }";
    const items = Object.keys(v).map((k) => `${keyText(k)}: ${inspectValue((v as Record<string, unknown>)[k], depth + 1, seen, indent + "  ")}`);
    const prefix = ctor === undefined ? "[Object: null prototype] " : ctor !== "Object" ? `${ctor} ` : "";
    return wrap(`${prefix}{`, items, "}", indent);
  } finally {
    seen.delete(v);
  }
}

function inspectValue(v: unknown, depth: number, seen: Set<unknown>, indent: string): string {
  switch (typeof v) {
    case "string": return depth === 0 ? quote(v) : quote(v);
    case "number": return numText(v);
    case "bigint": return `${v}n`;
    case "boolean": return String(v);
    case "undefined": return "undefined";
    case "symbol": return v.toString();
    case "function": {
      const isClass = /^class\b/.test(Function.prototype.toString.call(v));
      return v.name ? `[${isClass ? "class" : "Function"}: ${v.name}]` : `[${isClass ? "class" : "Function"} (anonymous)]`;
    }
    default: return v === null ? "null" : inspectObject(v as object, depth, seen, indent);
  }
}

/** util.inspect(value) for the values cells print. */
export function inspect(value: unknown): string {
  return inspectValue(value, 0, new Set(), "");
}

/** util.format(...args): console.log's text (strings as they are, the rest inspected; %s %d %i %f %j %o %O %%). */
export function format(...args: unknown[]): string {
  if (args.length === 0) return "";
  let rest = args;
  let head = "";
  if (typeof args[0] === "string" && args[0].includes("%")) {
    let i = 1;
    head = args[0].replace(/%([sdifjoO%])/g, (m, c: string) => {
      if (c === "%") return "%";
      if (i >= args.length) return m;
      const a = args[i++];
      switch (c) {
        case "s": return typeof a === "string" ? a : typeof a === "object" && a !== null ? inspect(a) : String(a);
        case "d": case "i": return typeof a === "object" ? "NaN" : String(c === "i" ? Math.trunc(Number(a)) : Number(a));
        case "f": return String(parseFloat(String(a)));
        case "j": return JSON.stringify(a);
        default: return inspect(a);
      }
    });
    rest = args.slice(i);
    return [head, ...rest.map((a) => (typeof a === "string" ? a : inspect(a)))].join(" ");
  }
  return rest.map((a) => (typeof a === "string" ? a : inspect(a))).join(" ");
}
