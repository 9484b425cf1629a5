/** Module specifiers of cells, normalised (pure: unit-tested in Node). */

/** "./lib/index" → "lib/index"; "./lib" → "lib/index"; "node:fs" → "fs". Other specifiers are returned as they are. */
export function normalizeSpecifier(id: string): string {
  if (id.startsWith("node:")) return id.slice(5);
  const m = /^(?:\.\/)?lib(\/.*)?$/.exec(id.replace(/\.(js|ts)$/, ""));
  if (!m) return id;
  const rest = (m[1] ?? "").replace(/\/$/, "");
  return rest === "" ? "lib/index" : `lib${rest}`;
}
