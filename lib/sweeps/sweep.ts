/**
 * Sweeps: a grid of runs (λ × α × seeds × …, see {@link SweepSpec}) run in parallel on worker threads,
 * sliced into shards for batch schedulers, and stored with provenance in data/sweeps/<name>.json.
 * Results never depend on scheduling: each run's seeds come from its grid coordinates, full-batch runs are
 * batched with a kernel that is bit-identical to the single-run one, and records are ordered by grid index,
 * so 1 worker, 8 workers or 3 merged shards give the same bytes in `runs`.
 * Names: `lambda` = λ = γ/(1−β)², `gamma` = γ (step), `beta` = β (momentum), `alpha` = α (init scale),
 * Δ = u² − v² (balancedness); the regression vector is `w`.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, arch, platform } from "node:os";
import { isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { display, inKernel } from "../notebook/display";
import {
  AXIS_ORDER,
  executeUnit,
  findRoot,
  gridSize,
  normalizeSpec,
  planUnits,
  problemFor,
  type AxisName,
  type NormalizedSpec,
  type RunRecord,
  type SweepSpec,
  type WorkerInit,
} from "./worker";
import { checkChoice, checkInteger } from "../core/validate";

export { AXIS_ORDER, RECORD_KEYS, gridPoint, gridSize, hash32, normalizeSpec, samplerSeed } from "./worker";
export type { AxisName, DeltaSummary, NormalizedSpec, RecordKey, RunRecord, SweepSpec } from "./worker";

export const SWEEP_FORMAT = "momentum-dln/sweep@1";

/** Where and how a result was made (not part of the comparable results). */
export interface SweepProvenance {
  library: { name: string; version: string };
  /** `git rev-parse HEAD` and whether the tree had uncommitted changes (null outside a git checkout). */
  git: { commit: string; dirty: boolean } | null;
  node: string;
  platform: string;
  cpus: { count: number; model: string };
  createdAt: string;
  /** Worker threads used (0 = in-process). */
  workers: number;
  /** Wall time of the sweep (ms) and runs per second. */
  wallMs: number;
  runsPerSecond: number;
  /** Merged results: the provenance of each shard. */
  shards?: SweepProvenance[];
}

export interface SweepResult {
  format: typeof SWEEP_FORMAT;
  name: string;
  /** sha256 (16 hex digits) of the normalized config without its name: equal hashes mean equal computations. */
  configHash: string;
  /** Runs in the whole grid. */
  total: number;
  /** This file holds only the runs with index ≡ shard.index (mod shard.count). */
  shard: { index: number; count: number } | null;
  config: NormalizedSpec;
  provenance: SweepProvenance;
  /** One record per run, ordered by grid index. */
  runs: RunRecord[];
  /** Set (not stored) when runSweep returned a cached file instead of computing. */
  cached?: boolean;
}

/** Progress of a running sweep. */
export interface SweepProgress {
  name: string;
  done: number;
  total: number;
  elapsedSec: number;
  /** Runs per second so far. */
  rate: number;
  /** Estimated seconds left. */
  etaSec: number;
}

export interface SweepOptions {
  /** Worker threads (default: all cores, os.availableParallelism()); 0 runs in this thread. */
  workers?: number;
  /** Run one slice: `{ index, count }` or "i/N" (0 ≤ i < N): the runs with grid index ≡ i (mod N). */
  shard?: { index: number; count: number } | string;
  /** Recompute even if a result with the same config hash exists (default false). */
  force?: boolean;
  /** Folder of result files (default <repo>/data/sweeps). */
  dir?: string;
  /** Write the result file (default true). */
  save?: boolean;
  /** "auto" (default: notebook display in tslab, a bar on a TTY, plain lines otherwise), "none", or a callback. */
  progress?: "auto" | "none" | "bar" | "lines" | "notebook" | ((p: SweepProgress) => void);
}

// ---------------------------------------------------------------------------------------------------------

function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(",")}]`;
  if (x !== null && typeof x === "object") {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(x);
}

/** The cache key of a normalized spec (its name excluded). */
export function configHash(spec: NormalizedSpec): string {
  const { name: _name, ...rest } = spec;
  return createHash("sha256").update(`${SWEEP_FORMAT}\n${canonical(rest)}`).digest("hex").slice(0, 16);
}

/** Parse "i/N" (0 ≤ i < N) or check `{ index, count }`. */
export function parseShard(s: { index: number; count: number } | string): { index: number; count: number } {
  let index: unknown;
  let count: unknown;
  if (typeof s === "string") {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s);
    if (!m) throw new RangeError(`shard must look like "i/N" with 0 ≤ i < N (e.g. "0/4"), got ${JSON.stringify(s)}`);
    index = Number(m[1]);
    count = Number(m[2]);
  } else if (s !== null && typeof s === "object") {
    index = s.index;
    count = s.count;
  } else throw new TypeError(`shard must be "i/N" or { index, count }, got ${typeof s}`);
  const c = checkInteger("shard count N", count, { min: 1 });
  return { index: checkInteger("shard index i", index, { min: 0, max: c - 1 }), count: c };
}

function sweepDir(dir?: string): string {
  return dir ?? join(findRoot(), "data", "sweeps");
}

/** File of a result: <dir>/<name>.json, or <dir>/<name>.shard-<i>-of-<N>.json for a shard. */
export function sweepPath(name: string, options: { dir?: string; shard?: { index: number; count: number } | null } = {}): string {
  const s = options.shard;
  return join(sweepDir(options.dir), s ? `${name}.shard-${s.index}-of-${s.count}.json` : `${name}.json`);
}

let provenanceBase: Omit<SweepProvenance, "createdAt" | "workers" | "wallMs" | "runsPerSecond"> | null = null;

function baseProvenance(): Omit<SweepProvenance, "createdAt" | "workers" | "wallMs" | "runsPerSecond"> {
  if (provenanceBase) return provenanceBase;
  let library = { name: "unknown", version: "unknown" };
  let git: SweepProvenance["git"] = null;
  try {
    const root = findRoot();
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name?: string; version?: string };
    library = { name: pkg.name ?? "unknown", version: pkg.version ?? "unknown" };
    try {
      const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() !== "";
      git = { commit, dirty };
    } catch {
      git = null; // no git, or not a checkout
    }
  } catch {
    // outside the repository: keep "unknown"
  }
  const c = cpus();
  provenanceBase = { library, git, node: process.version, platform: `${platform()} ${arch()}`, cpus: { count: c.length, model: c[0]?.model ?? "unknown" } };
  return provenanceBase;
}

/** The result as text: a header, then one run per line (diff-friendly; `runs` is byte-comparable). */
export function serializeSweep(r: SweepResult): string {
  const head = ["format", "name", "configHash", "total", "shard", "config", "provenance"] as const;
  const lines = head.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(r[k])},`);
  const runs = r.runs.map((x) => JSON.stringify(x)).join(",\n");
  return `{\n${lines.join("\n")}\n"runs": [\n${runs}\n]\n}\n`;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Read a stored sweep by name (from data/sweeps) or by path.
 * @example const s = loadSweep("lambda-alpha"); s.runs.filter((r) => r.status === "ok").length
 * @throws RangeError if the file is missing or not a sweep result.
 */
export function loadSweep(nameOrPath: string, options: { dir?: string } = {}): SweepResult {
  if (typeof nameOrPath !== "string" || nameOrPath === "") throw new TypeError(`name must be a sweep name or a path, got ${JSON.stringify(nameOrPath)}`);
  const path = nameOrPath.endsWith(".json") ? (isAbsolute(nameOrPath) ? nameOrPath : join(process.cwd(), nameOrPath)) : sweepPath(nameOrPath, options);
  if (!existsSync(path)) throw new RangeError(`no sweep result at ${path}; compute it with \`npm run sweep -- <grid.json>\` or runSweep(spec)`);
  const r = JSON.parse(readFileSync(path, "utf8")) as SweepResult;
  if (!r || r.format !== SWEEP_FORMAT) throw new RangeError(`${path} is not a sweep result (format ${JSON.stringify(r?.format)}, expected "${SWEEP_FORMAT}")`);
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// Progress.

function fmtTime(sec: number): string {
  if (!Number.isFinite(sec)) return "?";
  const s = Math.round(sec);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function progressLine(p: SweepProgress): string {
  const pct = p.total ? Math.floor((100 * p.done) / p.total) : 100;
  return `${p.name}: ${p.done}/${p.total} runs (${pct}%), ${p.rate.toPrecision(3)} runs/s, ${p.done === p.total ? `done in ${fmtTime(p.elapsedSec)}` : `~${fmtTime(p.etaSec)} left`}`;
}

type Reporter = (p: SweepProgress, final: boolean) => void;

function makeReporter(mode: SweepOptions["progress"]): Reporter {
  if (typeof mode === "function") return (p) => mode(p);
  const m = checkChoice("progress", mode ?? "auto", ["auto", "none", "bar", "lines", "notebook"] as const);
  const kind = m === "auto" ? (inKernel() ? "notebook" : process.stderr.isTTY ? "bar" : "lines") : m;
  if (kind === "none") return () => {};
  let last = 0;
  if (kind === "bar") {
    return (p, final) => {
      const now = performance.now();
      if (!final && now - last < 100) return;
      last = now;
      const width = 30;
      const fill = p.total ? Math.round((width * p.done) / p.total) : width;
      process.stderr.write(`\r[${"#".repeat(fill)}${".".repeat(width - fill)}] ${progressLine(p)}\x1b[K${final ? "\n" : ""}`);
    };
  }
  if (kind === "lines") {
    let printed = false;
    return (p, final) => {
      const now = performance.now();
      if (final ? !printed && p.elapsedSec < 5 : now - last < 5000 || p.elapsedSec < 5) return;
      last = now;
      printed = true;
      process.stderr.write(`${progressLine(p)}\n`);
    };
  }
  const id = `sweep-${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
  let shown = false;
  return (p, final) => {
    const now = performance.now();
    if (!final && shown && now - last < 250) return;
    last = now;
    const text = progressLine(p);
    const html = `<div style="font-family:monospace"><progress value="${p.done}" max="${p.total}" style="width:20em"></progress> ${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</div>`;
    display({ "text/plain": text, "text/html": html }, { id, update: shown });
    shown = true;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Execution.

/** Path of the worker entry (plain JS; it loads the TypeScript worker through tsx). */
function workerEntry(root: string): URL {
  return pathToFileURL(join(root, "lib", "sweeps", "worker-entry.mjs"));
}

class WorkerStartError extends Error {}

async function runPool(
  spec: NormalizedSpec,
  units: number[][],
  workers: number,
  root: string,
  onUnit: (records: RunRecord[]) => void,
): Promise<void> {
  const entry = workerEntry(root);
  const init: WorkerInit = { sweepWorker: true, spec, root };
  const pool: Worker[] = [];
  let next = 0;
  let pending = units.length;
  let started = false;
  await new Promise<void>((resolvePool, reject) => {
    let failed = false;
    const fail = (e: Error): void => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(e);
    };
    const feed = (w: Worker): void => {
      if (next < units.length) {
        const id = next++;
        w.postMessage({ type: "unit", id, indices: units[id] });
      } else w.postMessage({ type: "exit" });
    };
    const count = Math.min(workers, units.length);
    if (count === 0) return resolvePool();
    for (let q = 0; q < count; q++) {
      const w = new Worker(entry, { workerData: init, execArgv: [] });
      pool.push(w);
      w.on("message", (msg: { type: string; id: number; records?: RunRecord[]; message?: string }) => {
        if (msg.type === "ready") {
          started = true;
          feed(w);
        } else if (msg.type === "result") {
          onUnit(msg.records as RunRecord[]);
          if (--pending === 0) {
            for (const x of pool) x.postMessage({ type: "exit" });
            resolvePool();
          } else feed(w);
        } else if (msg.type === "error") fail(new Error(`sweep worker failed on unit ${msg.id}: ${msg.message}`));
      });
      w.on("error", (e) => fail(started ? e : new WorkerStartError(`a sweep worker could not start (${e.message})`)));
      w.on("exit", (code) => {
        if (code !== 0 && pending > 0) fail(new Error(`a sweep worker exited with code ${code}`));
      });
    }
  });
}

/**
 * Run a grid (or one shard of it) and store the result with provenance.
 * @param spec the grid: problem, method, axes, stop rule, what to record (see {@link SweepSpec})
 * @param options workers (default: all cores; 0 = this thread), shard ("i/N"), force, dir, save, progress
 * @returns the result; a cached file with the same config hash is returned as is (cached: true) unless force
 * @throws TypeError/RangeError for a bad spec or option (before anything runs).
 * @example
 * const s = await runSweep({ name: "demo", axes: { lambda: [0.02, 0.2], beta: 0.9, alpha: [0.01, 0.1], seed: [0, 1] }, stop: { time: 200 } });
 * sweepRows(s).map((r) => [r.lambda, r.alpha, r.wError])
 */
export async function runSweep(spec: SweepSpec, options: SweepOptions = {}): Promise<SweepResult> {
  const t0 = performance.now();
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  for (const k of Object.keys(options)) if (!["workers", "shard", "force", "dir", "save", "progress"].includes(k)) throw new RangeError(`unknown sweep option "${k}" (allowed: workers, shard, force, dir, save, progress)`);
  const config = normalizeSpec(spec);
  const hash = configHash(config);
  const shard = options.shard === undefined ? null : parseShard(options.shard);
  const workers = checkInteger("workers", options.workers ?? availableParallelism(), { min: 0, max: 1024 });
  const save = options.save ?? true;
  const path = save ? sweepPath(config.name, { dir: options.dir, shard }) : "";
  if (save && !options.force && existsSync(path)) {
    try {
      const old = loadSweep(path);
      if (old.configHash === hash) return { ...old, cached: true };
    } catch {
      // unreadable: recompute
    }
  }
  const root = findRoot();
  const total = gridSize(config);
  const indices: number[] = [];
  for (let i = 0; i < total; i++) if (!shard || i % shard.count === shard.index) indices.push(i);
  const first = problemFor(config, config.axes.seed[0], root);
  for (const b of config.axes.batchSize) {
    if (b !== null && b > first.n) throw new RangeError(`axes.batchSize contains ${b}, more than the number of samples n = ${first.n}`);
  }
  const units = planUnits(config, indices, first.n);
  const byIndex = new Map<number, RunRecord>();
  const report = makeReporter(options.progress);
  const progress = (): SweepProgress => {
    const elapsedSec = (performance.now() - t0) / 1000;
    const done = byIndex.size;
    const rate = elapsedSec > 0 ? done / elapsedSec : 0;
    return { name: config.name, done, total: indices.length, elapsedSec, rate, etaSec: rate > 0 ? (indices.length - done) / rate : Infinity };
  };
  const onUnit = (records: RunRecord[]): void => {
    for (const r of records) byIndex.set(r.index, r);
    report(progress(), false);
  };
  let used = workers;
  if (workers > 0 && units.length > 0) {
    try {
      await runPool(config, units, workers, root, onUnit);
    } catch (e) {
      if (!(e instanceof WorkerStartError)) throw e;
      // Worker threads unavailable (no tsx?): run here, slower but the same numbers.
      process.stderr.write(`runSweep: ${e.message}; running the ${indices.length} runs in this thread instead\n`);
      used = 0;
      byIndex.clear();
    }
  }
  if (used === 0) {
    for (const u of units) {
      onUnit(executeUnit(config, u, root));
      await new Promise((r) => setImmediate(r)); // let a notebook display update
    }
  }
  report(progress(), true);
  const runs = indices.map((i) => {
    const r = byIndex.get(i);
    if (!r) throw new Error(`internal: run ${i} produced no record`);
    return r;
  });
  const wallMs = performance.now() - t0;
  const result: SweepResult = {
    format: SWEEP_FORMAT,
    name: config.name,
    configHash: hash,
    total,
    shard,
    config,
    provenance: { ...baseProvenance(), createdAt: new Date().toISOString(), workers: used, wallMs, runsPerSecond: runs.length / (wallMs / 1000) },
    runs,
  };
  if (save) {
    mkdirSync(sweepDir(options.dir), { recursive: true });
    writeAtomic(path, serializeSweep(result));
  }
  return result;
}

/**
 * Join the shard files of a sweep (<dir>/<name>.shard-<i>-of-<N>.json, all i) into <dir>/<name>.json. The
 * merged `runs` equal those of the unsharded run exactly.
 * @param name the sweep name, or an explicit list of shard file paths
 * @throws RangeError naming missing shards, mismatched configs or duplicate runs.
 */
export function mergeShards(name: string | string[], options: { dir?: string; save?: boolean } = {}): SweepResult {
  let files: string[];
  if (Array.isArray(name)) files = name;
  else {
    const dir = sweepDir(options.dir);
    const re = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.shard-(\\d+)-of-(\\d+)\\.json$`);
    files = existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).map((f) => join(dir, f)) : [];
    if (files.length === 0) throw new RangeError(`no shard files ${name}.shard-<i>-of-<N>.json in ${dir}`);
  }
  const shards = files.map((f) => loadSweep(f));
  const N = shards[0].shard?.count;
  if (N === undefined) throw new RangeError(`${files[0]} is not a shard (it has no shard field)`);
  const seen = new Set<number>();
  for (let s = 0; s < shards.length; s++) {
    const r = shards[s];
    if (!r.shard || r.shard.count !== N) throw new RangeError(`${files[s]} is shard ${JSON.stringify(r.shard)}, expected one of ${N} shards`);
    if (r.configHash !== shards[0].configHash) throw new RangeError(`${files[s]} has config hash ${r.configHash}, ${files[0]} has ${shards[0].configHash}: shards of different grids`);
    if (seen.has(r.shard.index)) throw new RangeError(`shard ${r.shard.index}/${N} appears twice`);
    seen.add(r.shard.index);
  }
  const missing: number[] = [];
  for (let i = 0; i < N; i++) if (!seen.has(i)) missing.push(i);
  if (missing.length) throw new RangeError(`missing shard(s) ${missing.map((i) => `${i}/${N}`).join(", ")} of ${shards[0].name}`);
  const total = shards[0].total;
  const runs: RunRecord[] = new Array(total);
  for (const r of shards) {
    for (const rec of r.runs) {
      if (rec.index % N !== r.shard!.index || runs[rec.index] !== undefined) throw new RangeError(`run ${rec.index} is in the wrong shard or duplicated`);
      runs[rec.index] = rec;
    }
  }
  for (let i = 0; i < total; i++) if (runs[i] === undefined) throw new RangeError(`run ${i} is missing from shard ${i % N}/${N}`);
  shards.sort((a, b) => a.shard!.index - b.shard!.index);
  const prov = shards.map((s) => s.provenance);
  const wallMs = prov.reduce((a, p) => a + p.wallMs, 0);
  const result: SweepResult = {
    format: SWEEP_FORMAT,
    name: shards[0].name,
    configHash: shards[0].configHash,
    total,
    shard: null,
    config: shards[0].config,
    provenance: { ...prov[0], createdAt: new Date().toISOString(), workers: Math.max(...prov.map((p) => p.workers)), wallMs, runsPerSecond: total / (wallMs / 1000), shards: prov },
    runs,
  };
  if (options.save ?? true) {
    const dir = options.dir;
    mkdirSync(sweepDir(dir), { recursive: true });
    writeAtomic(sweepPath(result.name, { dir }), serializeSweep(result));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Reading results in notebooks.

export type SweepRow = Record<string, string | number | boolean | null>;

/**
 * Flat rows for tables and charts: coordinates, derived parameters, status and the scalar measurements
 * (deltaSummary becomes deltaMin, deltaMedian, deltaMax, deltaSupport, deltaOffSupport; arrays are dropped).
 */
export function sweepRows(result: SweepResult): SweepRow[] {
  if (!result || !Array.isArray(result.runs)) throw new TypeError("result must be a SweepResult (runSweep, loadSweep)");
  return result.runs.map((r) => {
    const row: SweepRow = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === "deltaSummary") {
        const s = v as RunRecord["deltaSummary"];
        row.deltaMin = s?.min ?? null;
        row.deltaMedian = s?.median ?? null;
        row.deltaMax = s?.max ?? null;
        row.deltaSupport = s?.support ?? null;
        row.deltaOffSupport = s?.offSupport ?? null;
      } else if (v === null || typeof v !== "object") row[k] = v as string | number | null;
    }
    return row;
  });
}

/** Mean, standard deviation (n − 1), min, max of one field over the runs sharing the `by` coordinates. */
export interface AggregateRow {
  [axis: string]: number | null;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  /** Runs with a finite value. */
  n: number;
  /** Runs that diverged, hit the cap or failed (excluded from the statistics). */
  failed: number;
}

/**
 * Average a measurement over the axes not in `by` (seeds, batch seeds): the SMGD averages and seed means.
 * @param result a sweep
 * @param opts by: axes kept (e.g. ["lambda", "alpha"]); value: a numeric field of sweepRows (e.g. "testLoss")
 * @example aggregateSweep(s, { by: ["lambda", "batchSize"], value: "wError" })
 */
export function aggregateSweep(result: SweepResult, opts: { by: AxisName[]; value: string }): AggregateRow[] {
  if (!opts || !Array.isArray(opts.by)) throw new TypeError('opts must be { by: ["lambda", …], value: "testLoss" }');
  opts.by.forEach((k, i) => checkChoice(`by[${i}]`, k, AXIS_ORDER));
  const rows = sweepRows(result);
  if (rows.length && !(opts.value in rows[0])) throw new RangeError(`value ${JSON.stringify(opts.value)} is not a field of the rows (fields: ${Object.keys(rows[0]).join(", ")})`);
  const groups = new Map<string, { key: Record<string, number | null>; xs: number[]; failed: number }>();
  for (const r of rows) {
    const key: Record<string, number | null> = {};
    for (const k of opts.by) key[k] = r[k] as number | null;
    const id = JSON.stringify(opts.by.map((k) => key[k]));
    let g = groups.get(id);
    if (!g) {
      g = { key, xs: [], failed: 0 };
      groups.set(id, g);
    }
    const x = r[opts.value];
    if (r.status !== "ok") g.failed++;
    else if (typeof x === "number" && Number.isFinite(x)) g.xs.push(x);
  }
  return Array.from(groups.values()).map(({ key, xs, failed }) => {
    const n = xs.length;
    const mean = n ? xs.reduce((a, b) => a + b, 0) / n : null;
    const sd = n > 1 && mean !== null ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
    return { ...key, mean, sd, min: n ? Math.min(...xs) : null, max: n ? Math.max(...xs) : null, n, failed };
  });
}
