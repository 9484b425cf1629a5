/**
 * What a cell can import in the page: the library (./lib/index and every ./lib/<module>), the page's file system
 * as `fs`, `path`, and the `tslab` display helpers. The library modules come from the bundle's generated table.
 */
import libModules from "virtual:lib-modules";
import * as fs from "./shims/fs";
import * as path from "./shims/path";
import * as tslab from "./tslab";
import { normalizeSpecifier } from "./specifiers";

type Namespace = Record<string, unknown>;

const BUILTINS: Record<string, Namespace> = { fs, path, tslab };
/** Names the library exports only as types (importing one binds nothing, as in TypeScript): set by the bundler. */
declare const __LIB_TYPE_NAMES__: string[];
const typeNames = new Set<string>(typeof __LIB_TYPE_NAMES__ === "undefined" ? [] : __LIB_TYPE_NAMES__);

export class ModuleNotFoundError extends Error {
  constructor(id: string) {
    super(`Cannot find module '${id}'. In the page a cell can import "./lib/index" (or "./lib/<module>"), "fs" (the page's files), "path" and "tslab".`);
    this.name = "Error";
  }
}

function lookup(id: string): Namespace {
  const key = normalizeSpecifier(id);
  const mod = BUILTINS[key] ?? (libModules as Record<string, Namespace>)[key] ?? (libModules as Record<string, Namespace>)[`${key}/index`];
  if (!mod) throw new ModuleNotFoundError(id);
  return mod;
}

/** `import … from id` in a cell; `names` are the named imports, checked so a typo is an error that names it. */
export function importModule(id: string, names?: string[]): Namespace {
  const mod = lookup(id);
  for (const n of names ?? []) {
    if (n === "default" && !(n in mod)) return { default: mod };
    if (!(n in mod) && !typeNames.has(n)) throw new SyntaxError(`Module '"${id}"' has no exported member '${n}'.`);
  }
  return mod;
}

/** `require(id)` in a cell (tslab offers require too). */
export const requireModule = (id: string): Namespace => lookup(id);
