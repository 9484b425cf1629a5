/**
 * Node-only helpers of the sweep system: the repository root (from this module's own location, never the cwd),
 * the default store folder, and the loader of problem files. Node only.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { loadProblem } from "../model/problem-files";
import { digest } from "./hash";
import type { ProblemFileLoader } from "./problem-spec";

declare const __dirname: string | undefined;

/** This module's folder: __dirname where the loader defines it (tslab, vitest, tsx), else from a stack frame (node --import tsx). */
function moduleDir(): string {
  if (typeof __dirname === "string") return __dirname;
  const m = /(?:file:\/\/)?((?:\/|[A-Za-z]:\\)[^\s()]*?)[\\/]node-files\.ts:\d+/.exec(new Error().stack ?? "");
  if (!m) throw new Error("cannot locate lib/sweeps/node-files.ts from its own stack frame");
  return decodeURIComponent(m[1]);
}

/**
 * The repository root: the nearest folder with a package.json two or more folders above the real path of this module
 * (lib/sweeps in the sources, build/lib/sweeps in the kernel's build), so a notebook copied to any folder, whose lib
 * link points here, finds the same store.
 * @throws Error if no such folder exists
 */
export function repositoryRoot(): string {
  const here = realpathSync(moduleDir());
  for (let dir = resolve(here, "..", ".."); ; dir = resolve(dir, "..")) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "lib", "sweeps"))) return dir;
    if (resolve(dir, "..") === dir) throw new Error(`cannot find the repository root (a folder with package.json and lib/sweeps) above ${here}`);
  }
}

/** Default store folder: $MOMENTUM_DLN_SWEEPS if set, else <repository root>/data/sweeps. */
export function defaultStoreDir(): string {
  const env = process.env.MOMENTUM_DLN_SWEEPS;
  return env && env.trim() !== "" ? resolve(env) : join(repositoryRoot(), "data", "sweeps");
}

/** Problem files relative to the repository root (or absolute), hashed by content. */
export function nodeFileLoader(root: string = repositoryRoot()): ProblemFileLoader {
  return (file) => {
    const path = isAbsolute(file) ? file : join(root, file);
    if (!existsSync(path)) throw new RangeError(`problem.file ${JSON.stringify(file)} not found (looked at ${path})`);
    return { problem: loadProblem(path), hash: digest(readFileSync(path, "utf8")) };
  };
}
