/**
 * The sweep store in the site's pages: the site's bundler puts this file in place of file-backend.ts (same exports,
 * see test/file-backend-browser.test.ts). A page has no durable files and nothing to fsync: a folder's stores are one
 * in-memory backend (memory-backend.ts) seeded from the <name>.jsonl files the site ships in that folder (data/sweeps),
 * so stored points come at once, and points a reader's edit asks for are computed in the page's worker and kept in
 * its memory. Each append is also handed to `globalThis.__notebookStoreAppend` when the worker installs one (the page
 * keeps those lines for its next visit).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { StoreBackend } from "./memo";
import { memoryBackend } from "./memory-backend";

type AppendHook = (file: string, lines: string[]) => void;

/** The stores of each folder (by absolute path), for the page's lifetime. */
const folders = new Map<string, StoreBackend>();

/** The path of a store file. */
export function storeFile(dir: string, name: string): string {
  return join(dir, `${name}.jsonl`);
}

/**
 * Check a store folder before any computation (a page's stores live in memory, so any folder path will do).
 * @throws RangeError naming the folder if it is not a path
 */
export function checkStoreDir(dir: string): void {
  if (typeof dir !== "string" || dir === "") throw new RangeError(`cannot write sweep results to ${JSON.stringify(dir)}: not a folder path`);
}

/** The shipped store texts of a folder: <name>.jsonl → text. */
function shippedStores(dir: string): Record<string, string> {
  const seed: Record<string, string> = {};
  if (!existsSync(dir)) return seed;
  for (const f of readdirSync(dir)) if (f.endsWith(".jsonl")) seed[f.slice(0, -".jsonl".length)] = readFileSync(join(dir, f), "utf8");
  return seed;
}

function folderStore(dir: string): StoreBackend {
  let b = folders.get(dir);
  if (!b) {
    b = memoryBackend(shippedStores(dir));
    folders.set(dir, b);
  }
  return b;
}

/**
 * The stores of `dir` in the page: seeded from the shipped files on first use, appended and replaced in memory.
 * @param dir the store folder (relative to the page's working folder, or absolute)
 * @param options.root messages name files relative to it when inside it
 * @throws TypeError if dir is not a non-empty string
 * @example const b = fileBackend("/repo/data/sweeps"); await b.read("05-sparse-recovery")
 */
export function fileBackend(dir: string, options: { root?: string } = {}): StoreBackend {
  if (typeof dir !== "string" || dir === "") throw new TypeError(`dir must be a folder path, got ${JSON.stringify(dir)}`);
  const mem = folderStore(resolve(dir));
  const hook = (): AppendHook | undefined => (globalThis as { __notebookStoreAppend?: AppendHook }).__notebookStoreAppend;
  return {
    read: (name) => mem.read(name),
    async append(name, lines) {
      await mem.append(name, lines);
      hook()?.(storeFile(resolve(dir), name), lines.slice());
    },
    replace: (name, lines) => mem.replace(name, lines),
    list: (prefix) => mem.list(prefix),
    describe(name) {
      const f = storeFile(dir, name);
      const rel = options.root ? relative(options.root, f) : f;
      return rel.startsWith("..") ? f : rel;
    },
  };
}
