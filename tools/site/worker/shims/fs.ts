/**
 * `fs` in the page: an in-memory file system seeded with the files the site ships (data/, package.json, the
 * notebooks reduced to their titles, sources and claims records). Reads and writes are synchronous, as the
 * library expects; writes live as long as the page (the claims records are also handed to the page, see main.ts).
 */
import { posix } from "./path";
import { CWD } from "../globals";

const files = new Map<string, string | Uint8Array>();
const dirs = new Set<string>(["/"]);
let writeHook: (path: string, data: string | Uint8Array) => void = () => {};

const abs = (p: unknown): string => {
  if (p instanceof URL) return decodeURIComponent(p.pathname);
  if (typeof p !== "string") throw new TypeError(`path must be a string, got ${typeof p}`);
  return posix.resolve(CWD, p);
};

function addDirs(path: string): void {
  for (let d = posix.dirname(path); !dirs.has(d); d = posix.dirname(d)) dirs.add(d);
}

function nodeError(code: string, what: string, syscall: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${what}, ${syscall} '${path}'`), { code, syscall, path, errno: -2 });
}

/** Put files into the file system (paths absolute, e.g. /repo/data/x.json). */
export function seed(entries: Record<string, string | Uint8Array>): void {
  for (const [p, data] of Object.entries(entries)) {
    files.set(p, data);
    addDirs(p);
  }
}

/** Called after every write (the worker forwards some of them to the page). */
export function onWrite(hook: (path: string, data: string | Uint8Array) => void): void {
  writeHook = hook;
}

const encodingOf = (o: unknown): string | undefined => (typeof o === "string" ? o : (o as { encoding?: string } | undefined)?.encoding ?? undefined);

export function readFileSync(p: unknown, options?: unknown): string | Uint8Array {
  const path = abs(p);
  const data = files.get(path);
  if (data === undefined) throw dirs.has(path) ? nodeError("EISDIR", "illegal operation on a directory", "read", path) : nodeError("ENOENT", "no such file or directory", "open", path);
  const enc = encodingOf(options);
  if (enc) return typeof data === "string" ? data : new TextDecoder().decode(data);
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

export function writeFileSync(p: unknown, data: unknown): void {
  const path = abs(p);
  if (!dirs.has(posix.dirname(path))) throw nodeError("ENOENT", "no such file or directory", "open", path);
  const value = typeof data === "string" ? data : data instanceof Uint8Array ? data : String(data);
  files.set(path, value);
  writeHook(path, value);
}

export function appendFileSync(p: unknown, data: unknown): void {
  const path = abs(p);
  const old = files.has(path) ? (readFileSync(path, "utf8") as string) : "";
  writeFileSync(path, old + String(data));
}

export function existsSync(p: unknown): boolean {
  try {
    const path = abs(p);
    return files.has(path) || dirs.has(path);
  } catch {
    return false;
  }
}

export function mkdirSync(p: unknown, options?: { recursive?: boolean }): string | undefined {
  const path = abs(p);
  if (dirs.has(path)) {
    if (options?.recursive) return undefined;
    throw nodeError("EEXIST", "file already exists", "mkdir", path);
  }
  if (!options?.recursive && !dirs.has(posix.dirname(path))) throw nodeError("ENOENT", "no such file or directory", "mkdir", path);
  dirs.add(path);
  addDirs(path);
  return path;
}

interface Dirent { name: string; isFile(): boolean; isDirectory(): boolean }

export function readdirSync(p: unknown, options?: { withFileTypes?: boolean }): (string | Dirent)[] {
  const path = abs(p);
  if (!dirs.has(path)) throw nodeError("ENOENT", "no such file or directory", "scandir", path);
  const prefix = path === "/" ? "/" : `${path}/`;
  const names = new Map<string, boolean>();
  for (const f of files.keys()) if (f.startsWith(prefix) && !f.slice(prefix.length).includes("/")) names.set(f.slice(prefix.length), false);
  for (const d of dirs) if (d.startsWith(prefix) && d !== path && !d.slice(prefix.length).includes("/")) names.set(d.slice(prefix.length), true);
  const sorted = [...names.keys()].sort();
  if (!options?.withFileTypes) return sorted;
  return sorted.map((name) => ({ name, isFile: () => !names.get(name), isDirectory: () => !!names.get(name) }));
}

export function statSync(p: unknown, options?: { throwIfNoEntry?: boolean }) {
  const path = abs(p);
  const data = files.get(path);
  if (data === undefined && !dirs.has(path)) {
    if (options?.throwIfNoEntry === false) return undefined;
    throw nodeError("ENOENT", "no such file or directory", "stat", path);
  }
  const size = data === undefined ? 0 : typeof data === "string" ? new TextEncoder().encode(data).length : data.length;
  const mtime = new Date(0);
  return { size, mtime, mtimeMs: 0, isFile: () => data !== undefined, isDirectory: () => data === undefined };
}

export function renameSync(from: unknown, to: unknown): void {
  const a = abs(from), b = abs(to);
  const data = files.get(a);
  if (data === undefined) throw nodeError("ENOENT", "no such file or directory", "rename", a);
  files.delete(a);
  files.set(b, data);
  addDirs(b);
  writeHook(b, data);
}

/** The page's file system has no links: a path's real path is the path itself, if it exists. */
export function realpathSync(p: unknown): string {
  const path = abs(p);
  if (!files.has(path) && !dirs.has(path)) throw nodeError("ENOENT", "no such file or directory", "realpath", path);
  return path;
}

export function unlinkSync(p: unknown): void {
  const path = abs(p);
  if (!files.delete(path)) throw nodeError("ENOENT", "no such file or directory", "unlink", path);
}

export function rmSync(p: unknown, options?: { recursive?: boolean; force?: boolean }): void {
  const path = abs(p);
  if (files.delete(path)) return;
  if (dirs.has(path) && options?.recursive) {
    for (const f of [...files.keys()]) if (f.startsWith(`${path}/`)) files.delete(f);
    for (const d of [...dirs]) if (d === path || d.startsWith(`${path}/`)) dirs.delete(d);
    return;
  }
  if (!options?.force) throw nodeError("ENOENT", "no such file or directory", "rm", path);
}

const fs = { readFileSync, writeFileSync, appendFileSync, existsSync, mkdirSync, readdirSync, statSync, renameSync, realpathSync, unlinkSync, rmSync };
export default fs;
