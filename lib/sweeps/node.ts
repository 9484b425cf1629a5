/**
 * The sweep system in Node: the memo (lib/sweeps/memo.ts) on the file store data/sweeps/<name>.jsonl, computed on
 * worker threads, with provenance (library version, git commit, Node, machine, date) for each session of records;
 * shards for batch schedulers and their merge; compaction; terminal progress. Node only.
 * Names: `lambda` = λ = γ/(1−β)², `gamma` = γ, `beta` = β (momentum), `alpha` = α (init scale); the regression vector is `w`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { arch, availableParallelism, cpus, platform } from "node:os";
import { join } from "node:path";
import { checkChoice, checkInteger } from "../core/validate";
import { fileBackend, checkStoreDir, storeFile } from "./file-backend";
import { normalizeGrid, parseShard, type GridSpec } from "./grid";
import { canonicalLines, compactStore, memoSweep, readStores, shardStore, type StoreBackend, type SweepProgress, type SweepResult } from "./memo";
import type { Json } from "./method";
import { defaultStoreDir, nodeFileLoader, repositoryRoot } from "./node-files";
import { threadPoolExecutor } from "./pool";
import type { Session } from "./record";

export interface SweepOptions {
  /** Worker threads (default: all cores); 0 computes in this thread. */
  workers?: number;
  /** One slice of the grid: "i/N" or { index, count }. */
  shard?: { index: number; count: number } | string;
  /** Recompute every point even if stored. */
  force?: boolean;
  /** Store folder (default data/sweeps of this repository, or $MOMENTUM_DLN_SWEEPS). */
  dir?: string;
  /** Progress: a callback, or "bar" / "lines" on stderr, or "none" (default). */
  progress?: "none" | "bar" | "lines" | ((p: SweepProgress) => void);
  /** Extra provenance for the session (e.g. the command line). */
  provenance?: Record<string, Json>;
}

let base: Session | null = null;

/** Provenance shared by the sessions of this process: library, git commit and dirtiness, Node, platform, CPUs. */
export function baseProvenance(): Session {
  if (base) return base;
  const root = repositoryRoot();
  let library: Json = { name: "unknown", version: "unknown" };
  try {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name?: string; version?: string };
    library = { name: pkg.name ?? "unknown", version: pkg.version ?? "unknown" };
  } catch {
    // keep "unknown"
  }
  let git: Json = null;
  try {
    const run = (args: string[]): string => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    git = { commit: run(["rev-parse", "HEAD"]), dirty: run(["status", "--porcelain", "--untracked-files=no", "--", "lib"]) !== "" };
  } catch {
    git = null; // not a git checkout
  }
  const c = cpus();
  base = { library, git, node: process.version, platform: `${platform()} ${arch()}`, cpus: { count: c.length, model: c[0]?.model ?? "unknown" } };
  return base;
}

function fmtTime(sec: number): string {
  if (!Number.isFinite(sec)) return "?";
  const s = Math.round(sec);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** One line of progress: "name: 12/40 runs computed (30%), 5 cached, 2.1 runs/s, ~13 s left". */
export function progressLine(p: SweepProgress): string {
  const pct = p.total ? Math.floor((100 * p.done) / p.total) : 100;
  const tail = p.final ? `done in ${fmtTime(p.elapsedSec)}` : `~${fmtTime(p.etaSec)} left`;
  return `${p.name}: ${p.done}/${p.total} runs computed (${pct}%), ${p.cached} cached, ${p.rate.toPrecision(3)} runs/s, ${tail}`;
}

/** A progress callback writing to stderr: a redrawn bar ("bar") or a line every 5 s ("lines"). */
export function terminalProgress(kind: "bar" | "lines"): (p: SweepProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (kind === "bar") {
      if (!p.final && now - last < 100) return;
      last = now;
      const fill = p.total ? Math.round((30 * p.done) / p.total) : 30;
      process.stderr.write(`\r[${"#".repeat(fill)}${".".repeat(30 - fill)}] ${progressLine(p)}\x1b[K${p.final ? "\n" : ""}`);
    } else if (p.final || now - last >= 5000) {
      last = now;
      process.stderr.write(`${progressLine(p)}\n`);
    }
  };
}

function progressOf(o: SweepOptions["progress"]): ((p: SweepProgress) => void) | undefined {
  if (typeof o === "function") return o;
  const k = checkChoice("progress", o ?? "none", ["none", "bar", "lines"] as const);
  return k === "none" ? undefined : terminalProgress(k);
}

function checkOptions(options: SweepOptions): void {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const allowed = ["workers", "shard", "force", "dir", "progress", "provenance"];
  for (const k of Object.keys(options)) if (!allowed.includes(k)) throw new RangeError(`unknown sweep option "${k}" (allowed: ${allowed.join(", ")})`);
}

/**
 * Get a grid's results from the store, computing (on worker threads) and storing what is missing. Each finished run
 * is appended to data/sweeps/<name>.jsonl (or the shard's file) at once, so an interrupted sweep loses nothing.
 * @param spec the grid (see GridSpec: name, method, problem, params, axes)
 * @param options workers, shard, force, dir, progress, provenance
 * @returns rows/records in grid order and a report (cached, computed, stale, untrusted, failed, notes)
 * @throws TypeError/RangeError for a bad grid, option or store folder, before anything runs
 * @example const r = await runSweep({ name: "demo", method: "flowLimit", axes: { seed: [0, 1], lambda: [0, 0.2] } })
 */
export async function runSweep(spec: GridSpec, options: SweepOptions = {}): Promise<SweepResult> {
  checkOptions(options);
  const shard = options.shard === undefined ? null : parseShard(options.shard);
  const workers = checkInteger("workers", options.workers ?? availableParallelism(), { min: 0, max: 1024 });
  const dir = options.dir ?? defaultStoreDir();
  normalizeGrid(spec); // a bad grid is reported before the folder is touched
  checkStoreDir(dir);
  const root = repositoryRoot();
  const start = new Date().toISOString();
  return memoSweep(spec, {
    backend: fileBackend(dir, { root }),
    execute: threadPoolExecutor(root, workers, (why) => process.stderr.write(`runSweep: ${why}; computing in this thread instead\n`)),
    progress: progressOf(options.progress),
    shard,
    force: options.force,
    loadFile: nodeFileLoader(root),
    session: () => ({ ...baseProvenance(), createdAt: start, workers, shard: shard ? `${shard.index}/${shard.count}` : null, ...(options.provenance ?? {}) }),
  });
}

/** The file backend of a folder (default: the repository's data/sweeps). */
export function sweepBackend(dir?: string): StoreBackend {
  return fileBackend(dir ?? defaultStoreDir(), { root: repositoryRoot() });
}

/** The file of a store (default folder unless `dir`). */
export function sweepFile(name: string, options: { dir?: string; shard?: { index: number; count: number } | null } = {}): string {
  return storeFile(options.dir ?? defaultStoreDir(), shardStore(name, options.shard));
}

/**
 * Rewrite a store canonically: header, sessions, trusted current records sorted by their inputs (untrusted lines and
 * stale records dropped). Equal results give equal record lines, however they were scheduled.
 * @returns records kept, lines dropped
 */
export async function compactSweep(name: string, options: { dir?: string } = {}): Promise<{ records: number; dropped: number }> {
  return compactStore(sweepBackend(options.dir), name);
}

/**
 * Merge the shard stores <name>.shard-<i>-of-<N> (all i) into <name>: the merged records equal an unsharded run's,
 * byte for byte.
 * @throws RangeError naming missing shards or mixed shard counts
 */
export async function mergeShards(name: string, options: { dir?: string } = {}): Promise<{ shards: number; records: number }> {
  const b = sweepBackend(options.dir);
  const shards = await b.list(`${name}.shard-`);
  const re = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.shard-(\\d+)-of-(\\d+)$`);
  const parsed = shards.map((s) => re.exec(s)).filter((m): m is RegExpExecArray => m !== null);
  if (parsed.length === 0) throw new RangeError(`no shard stores ${name}.shard-<i>-of-<N>.jsonl in ${options.dir ?? defaultStoreDir()}`);
  const counts = new Set(parsed.map((m) => Number(m[2])));
  if (counts.size !== 1) throw new RangeError(`shards of ${name} with different counts N: ${Array.from(counts).join(", ")}`);
  const N = parsed[0] ? Number(parsed[0][2]) : 0;
  const have = new Set(parsed.map((m) => Number(m[1])));
  const missing = Array.from({ length: N }, (_, i) => i).filter((i) => !have.has(i));
  if (missing.length) throw new RangeError(`missing shard(s) ${missing.map((i) => `${i}/${N}`).join(", ")} of ${name}`);
  const names = parsed.sort((a, c) => Number(a[1]) - Number(c[1])).map((m) => m[0]);
  const c = await readStores(b, [name, ...names]);
  await b.replace(name, canonicalLines(name, c));
  return { shards: names.length, records: c.records.size };
}

/** What a store holds (for `show`): records by method and status, sessions, untrusted lines. */
export async function describeStore(name: string, options: { dir?: string } = {}): Promise<{ file: string; records: number; byStatus: Record<string, number>; stale: number; untrusted: number; sessions: number; notes: string[] }> {
  const b = sweepBackend(options.dir);
  if ((await b.read(name)) === null) throw new RangeError(`no sweep store ${b.describe(name)}`);
  const c = await readStores(b, [name]);
  const byStatus: Record<string, number> = {};
  for (const r of c.records.values()) byStatus[`${r.method} ${r.status}`] = (byStatus[`${r.method} ${r.status}`] ?? 0) + 1;
  return { file: b.describe(name), records: c.records.size, byStatus, stale: c.staleById.size, untrusted: c.untrusted, sessions: c.sessions.length, notes: c.notes };
}
