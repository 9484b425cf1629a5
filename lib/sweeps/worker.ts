/**
 * The compute side of lib/sweep.ts: the grid spec, its Cartesian product in a fixed order, per-run seeds
 * derived from grid coordinates, and `executeUnit`, which runs a list of grid points and returns their records.
 * It runs unchanged in the main thread (workers: 0, tslab fallback) and in worker threads (entry
 * lib/sweeps/worker-entry.mjs, which registers tsx and calls {@link serveWorker}). Nothing here depends on which
 * thread or batch a run lands in, so results are identical for any number of workers or shards.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parentPort } from "node:worker_threads";
import { runMomentumBatched, type BatchedOutcome, type BatchedRun } from "../dynamics/batched";
import { momentumFlow } from "../dynamics/flows";
import { lambdaOf, paramsForLambda } from "../model/momentum";
import { DivergenceError, IterationLimitError, runMomentum, type RunResult, type StopRule } from "../dynamics/optimizers";
import { recoveryError, sparseRegression, testLoss, type Problem, type SparseRegressionOptions } from "../model/problems";
import { loadProblem } from "../model/problem-files";
import { checkChoice, checkInteger, checkNumber } from "../core/validate";

/** Axes of a grid, in enumeration order (the first varies slowest, the last fastest). */
export const AXIS_ORDER = ["seed", "batchSize", "alpha", "lambda", "gamma", "beta", "batchSeed"] as const;
export type AxisName = (typeof AXIS_ORDER)[number];

/** What a run record can hold besides the always-present fields. */
export const RECORD_KEYS = ["wError", "testLoss", "deltaSummary", "deltaRatio", "w"] as const;
export type RecordKey = (typeof RECORD_KEYS)[number];

/**
 * A grid of runs (JSON-ready). Every axis is a list (a single number is taken as a one-element list).
 * - `seed`: problem seeds (sparse problems only); `batchSeed`: replicate index of the mini-batch sampler
 * - mgd: give two of `lambda` (λ), `gamma` (γ), `beta` (β) — or `gamma` alone for GD (β = 0); mgf: `lambda` only
 * - `alpha` (α, init scale, default 0.1); `batchSize` (default: full batch; SMGD when < n; mgd only)
 */
export interface SweepSpec {
  /** Result file name: data/sweeps/<name>.json (letters, digits, '.', '_', '-'). */
  name: string;
  /** "mgd" (default: MGD/SMGD iterations) or "mgf" (the momentum flow, dopri5). */
  method?: "mgd" | "mgf";
  /** A sparse problem (options of sparseRegression without seed: the seed is an axis) or a data file. */
  problem?: { sparse?: Omit<SparseRegressionOptions, "seed"> } | { file: string };
  axes: Partial<Record<AxisName, number | number[]>>;
  /** Stop rule: mgd as runMomentum (time is continuous, t = k·γ/(1−β)); mgf needs time (T) and may add loss. */
  stop: StopRule;
  /** Safety cap for mgd (default 1e7): a run that reaches it is recorded with status "limit". */
  maxIterations?: number;
  /** Extra fields of each record (default ["wError", "testLoss", "deltaSummary"]). */
  record?: RecordKey[];
  /**
   * How SMGD sampler seeds derive from a run's coordinates: "paired" (default) from (seed, batchSeed) only, so
   * runs that differ only in λ, α, γ, β, batchSize share their batch stream (common random numbers);
   * "independent" from every coordinate.
   */
  seeding?: "paired" | "independent";
  /** Max full-batch mgd runs advanced together on one problem (lib/batched.ts; default 16, 1 = no batching). */
  batch?: number;
  /** dopri5 tolerances for mgf (defaults 1e-8, 1e-12). */
  rtol?: number;
  atol?: number;
}

/** A spec with every default filled in and every axis a sorted-as-given list; its JSON is hashed for caching. */
export interface NormalizedSpec {
  name: string;
  method: "mgd" | "mgf";
  problem: { sparse: Omit<SparseRegressionOptions, "seed"> } | { file: string };
  axes: Record<AxisName, (number | null)[]>;
  stop: StopRule;
  maxIterations: number;
  record: RecordKey[];
  seeding: "paired" | "independent";
  batch: number;
  rtol: number;
  atol: number;
}

/** Δ∞/Δ₀ summary over coordinates (Δ₀ = 2α²). */
export interface DeltaSummary {
  min: number;
  median: number;
  max: number;
  /** Mean over supp(w*) (null without a planted w*). */
  support: number | null;
  /** Mean off supp(w*). */
  offSupport: number | null;
}

/** One run of a sweep. Coordinates first, then the derived parameters, then what was measured. */
export interface RunRecord {
  /** Index of the run in the grid (mixed radix over AXIS_ORDER). */
  index: number;
  seed: number | null;
  batchSize: number | null;
  alpha: number;
  lambda: number;
  gamma: number | null;
  beta: number | null;
  batchSeed: number | null;
  /** Seed of the SMGD sampler (null for full-batch and mgf runs). */
  samplerSeed: number | null;
  /** "ok"; "diverged" (DivergenceError); "limit" (maxIterations reached); "failed" (any other error). */
  status: "ok" | "diverged" | "limit" | "failed";
  /** mgd: iterations K; mgf: accepted solver steps. */
  iterations: number;
  /** Continuous time reached. */
  time: number;
  /** Final training loss L(w). */
  loss: number | null;
  stopReason: "iterations" | "time" | "loss" | null;
  wError?: number | null;
  testLoss?: number | null;
  deltaSummary?: DeltaSummary | null;
  deltaRatio?: number[] | null;
  w?: number[] | null;
  /** Diverged runs: iteration of the blow-up and the heavy-ball stability bound 2(1+β)/L_max. */
  divergedAt?: number;
  bound?: number;
  message?: string;
}

const NAME_RE = /^[A-Za-z0-9._-]+$/;

function list(name: string, v: unknown): number[] {
  const arr = typeof v === "number" ? [v] : v;
  if (!Array.isArray(arr) || arr.length === 0) throw new TypeError(`axes.${name} must be a number or a non-empty array of numbers, got ${JSON.stringify(v)}`);
  arr.forEach((x, i) => checkNumber(`axes.${name}[${i}]`, x));
  if (new Set(arr).size !== arr.length) throw new RangeError(`axes.${name} has repeated values: ${JSON.stringify(arr)}`);
  return arr.slice();
}

/**
 * Fill in defaults and validate a spec (every run's parameters are checked here, before anything runs).
 * @throws TypeError/RangeError naming the bad field.
 */
export function normalizeSpec(spec: SweepSpec): NormalizedSpec {
  if (spec === null || typeof spec !== "object") throw new TypeError("spec must be an object { name, axes, stop, … }");
  const allowed = ["name", "method", "problem", "axes", "stop", "maxIterations", "record", "seeding", "batch", "rtol", "atol", "description"];
  for (const k of Object.keys(spec)) if (!allowed.includes(k)) throw new RangeError(`spec has unknown field "${k}" (allowed: ${allowed.join(", ")})`);
  if (typeof spec.name !== "string" || !NAME_RE.test(spec.name)) throw new TypeError(`name must be a string of letters, digits, '.', '_', '-', got ${JSON.stringify(spec.name)}`);
  const method = checkChoice("method", spec.method ?? "mgd", ["mgd", "mgf"] as const);
  let problem: NormalizedSpec["problem"];
  const pr = (spec.problem ?? { sparse: {} }) as Record<string, unknown>;
  if (pr === null || typeof pr !== "object") throw new TypeError('problem must be { sparse: {...} } or { file: "data/…json" }');
  if ("file" in pr) {
    if (typeof pr.file !== "string") throw new TypeError(`problem.file must be a path string, got ${JSON.stringify(pr.file)}`);
    if (Object.keys(pr).length !== 1) throw new RangeError("problem must have exactly one of sparse or file");
    problem = { file: pr.file };
  } else {
    const sp = (pr.sparse ?? {}) as Record<string, unknown>;
    if (Object.keys(pr).some((k) => k !== "sparse")) throw new RangeError(`problem must be { sparse: {...} } or { file }, got keys ${Object.keys(pr).join(", ")}`);
    if ("seed" in sp) throw new RangeError("problem.sparse.seed is not allowed: the problem seed is the grid axis axes.seed");
    for (const k of Object.keys(sp)) if (!["n", "d", "k", "noise", "nTest", "scale"].includes(k)) throw new RangeError(`problem.sparse has unknown option "${k}" (allowed: n, d, k, noise, nTest, scale)`);
    const d = checkInteger("problem.sparse.d", sp.d ?? 100, { min: 1 });
    problem = {
      sparse: {
        n: checkInteger("problem.sparse.n", sp.n ?? 40, { min: 1 }),
        d,
        k: checkInteger("problem.sparse.k", sp.k ?? 5, { min: 0, max: d }),
        noise: checkNumber("problem.sparse.noise", sp.noise ?? 0, { min: 0 }),
        nTest: checkInteger("problem.sparse.nTest", sp.nTest ?? 1000, { min: 0 }),
        scale: checkNumber("problem.sparse.scale", sp.scale ?? 1, { min: 0, minOpen: true }),
      },
    };
  }
  const a = spec.axes;
  if (a === null || typeof a !== "object") throw new TypeError("axes must be an object such as { lambda: [0.02, 0.2], alpha: [0.1] }");
  for (const k of Object.keys(a)) if (!(AXIS_ORDER as readonly string[]).includes(k)) throw new RangeError(`axes has unknown axis "${k}" (allowed: ${AXIS_ORDER.join(", ")})`);
  const has = (k: AxisName): boolean => a[k] !== undefined;
  const axes = {} as Record<AxisName, (number | null)[]>;
  if ("file" in problem && has("seed")) throw new RangeError("axes.seed needs a sparse problem: a problem file has fixed data");
  axes.seed = "file" in problem ? [null] : has("seed") ? list("seed", a.seed).map((s, i) => checkInteger(`axes.seed[${i}]`, s, { min: 0, max: 2 ** 32 - 1 })) : [0];
  axes.alpha = has("alpha") ? list("alpha", a.alpha).map((x, i) => checkNumber(`axes.alpha[${i}]`, x, { min: 0, minOpen: true })) : [0.1];
  if (method === "mgf") {
    for (const k of ["gamma", "beta", "batchSize", "batchSeed"] as const) if (has(k)) throw new RangeError(`axes.${k} does not apply to method "mgf" (its only momentum parameter is lambda)`);
    axes.lambda = has("lambda") ? list("lambda", a.lambda).map((x, i) => checkNumber(`axes.lambda[${i}]`, x, { min: 0 })) : [0];
    axes.gamma = [null];
    axes.beta = [null];
    axes.batchSize = [null];
    axes.batchSeed = [null];
  } else {
    const given = (["lambda", "gamma", "beta"] as const).filter(has);
    if (given.length === 3) throw new RangeError("give two of axes.lambda, axes.gamma, axes.beta (the third follows from λ = γ/(1−β)²), not all three");
    if (given.length === 0 || (given.length === 1 && given[0] !== "gamma")) {
      throw new RangeError(`method "mgd" needs two of axes.lambda, axes.gamma, axes.beta (or gamma alone for GD), got ${given.join(", ") || "none"}`);
    }
    axes.lambda = has("lambda") ? list("lambda", a.lambda) : [null];
    axes.gamma = has("gamma") ? list("gamma", a.gamma) : [null];
    axes.beta = has("beta") ? list("beta", a.beta) : given.length === 1 ? [0] : [null];
    axes.batchSize = has("batchSize") ? list("batchSize", a.batchSize).map((x, i) => checkInteger(`axes.batchSize[${i}]`, x, { min: 1 })) : [null];
    axes.batchSeed = has("batchSeed") ? list("batchSeed", a.batchSeed).map((x, i) => checkInteger(`axes.batchSeed[${i}]`, x, { min: 0 })) : [0];
    // Check every (λ, γ, β) combination now rather than in a worker.
    for (const l of axes.lambda) for (const g of axes.gamma) for (const b of axes.beta) momentumParams(l, g, b);
  }
  const stop = spec.stop;
  if (stop === null || typeof stop !== "object") throw new TypeError("stop must be an object { time?, iterations?, loss? }");
  for (const k of Object.keys(stop)) if (!["time", "iterations", "loss"].includes(k)) throw new RangeError(`stop has unknown rule "${k}" (allowed: time, iterations, loss)`);
  if (stop.time !== undefined) checkNumber("stop.time", stop.time, { min: 0, minOpen: true });
  if (stop.iterations !== undefined) checkInteger("stop.iterations", stop.iterations, { min: 0 });
  if (stop.loss !== undefined) checkNumber("stop.loss", stop.loss, { min: 0, minOpen: true });
  if (method === "mgf" && (stop.time === undefined || stop.iterations !== undefined)) throw new RangeError('method "mgf" needs stop.time (the horizon T) and takes no stop.iterations');
  if (stop.time === undefined && stop.iterations === undefined && stop.loss === undefined) throw new RangeError("stop needs at least one rule: time, iterations or loss");
  const record = spec.record ?? ["wError", "testLoss", "deltaSummary"];
  if (!Array.isArray(record)) throw new TypeError(`record must be an array of ${RECORD_KEYS.join(", ")}`);
  record.forEach((r, i) => checkChoice(`record[${i}]`, r, RECORD_KEYS));
  const canon: StopRule = {};
  if (stop.iterations !== undefined) canon.iterations = stop.iterations;
  if (stop.time !== undefined) canon.time = stop.time;
  if (stop.loss !== undefined) canon.loss = stop.loss;
  return {
    name: spec.name,
    method,
    problem,
    axes,
    stop: canon,
    maxIterations: checkInteger("maxIterations", spec.maxIterations ?? 1e7, { min: 1 }),
    record: RECORD_KEYS.filter((k) => record.includes(k)),
    seeding: checkChoice("seeding", spec.seeding ?? "paired", ["paired", "independent"] as const),
    batch: checkInteger("batch", spec.batch ?? 16, { min: 1, max: 4096 }),
    rtol: checkNumber("rtol", spec.rtol ?? 1e-8, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    atol: checkNumber("atol", spec.atol ?? 1e-12, { min: 0, minOpen: true }),
  };
}

function momentumParams(lambda: number | null, gamma: number | null, beta: number | null): { gamma: number; beta: number; lambda: number } {
  if (lambda !== null && beta !== null) return paramsForLambda({ lambda, beta });
  if (lambda !== null && gamma !== null) return paramsForLambda({ lambda, gamma });
  const g = checkNumber("gamma", gamma, { min: 0, minOpen: true });
  const b = beta ?? 0;
  return { gamma: g, beta: b, lambda: lambdaOf(g, b) }; // lambdaOf validates β
}

/** Number of runs in the grid. */
export function gridSize(spec: NormalizedSpec): number {
  return AXIS_ORDER.reduce((acc, k) => acc * spec.axes[k].length, 1);
}

/** The axis values of run `index` (mixed radix, AXIS_ORDER, last axis fastest). */
export function gridPoint(spec: NormalizedSpec, index: number): Record<AxisName, number | null> {
  const out = {} as Record<AxisName, number | null>;
  let rest = index;
  for (let a = AXIS_ORDER.length - 1; a >= 0; a--) {
    const k = AXIS_ORDER[a];
    const vals = spec.axes[k];
    out[k] = vals[rest % vals.length];
    rest = Math.floor(rest / vals.length);
  }
  return out;
}

/** FNV-1a over a string → unsigned 32-bit integer (seeds from coordinates, independent of scheduling). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Seed of the SMGD sampler of a run: a hash of its coordinates (see SweepSpec.seeding). */
export function samplerSeed(spec: NormalizedSpec, pt: Record<AxisName, number | null>): number {
  const coords = spec.seeding === "paired" ? { seed: pt.seed, batchSeed: pt.batchSeed } : pt;
  return hash32(`sampler:${JSON.stringify(AXIS_ORDER.filter((k) => k in coords).map((k) => (coords as Record<string, unknown>)[k]))}`);
}

// ---------------------------------------------------------------------------------------------------------
// Problems are rebuilt from the spec in each thread and cached (a sweep usually has few problem seeds).

const problemCache = new Map<string, Problem>();

/** The repository root: the nearest ancestor of `from` (default: cwd) holding package.json and lib/sweeps/worker-entry.mjs. */
export function findRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "lib", "sweeps", "worker-entry.mjs"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root (a folder with package.json and lib/sweeps/worker-entry.mjs) above ${from}`);
    dir = up;
  }
}

/** The problem of a grid point (cached per thread). A file path is relative to the repository root. */
export function problemFor(spec: NormalizedSpec, seed: number | null, root?: string): Problem {
  const key = "file" in spec.problem ? `file:${spec.problem.file}` : `sparse:${JSON.stringify(spec.problem.sparse)}:${seed}`;
  let p = problemCache.get(key);
  if (!p) {
    if ("file" in spec.problem) {
      const f = spec.problem.file;
      p = loadProblem(isAbsolute(f) ? f : join(root ?? findRoot(), f));
    } else {
      p = sparseRegression({ ...spec.problem.sparse, seed: seed ?? 0 });
    }
    if (problemCache.size >= 8) problemCache.delete(problemCache.keys().next().value as string);
    problemCache.set(key, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------------

function median(a: Float64Array): number {
  const s = Float64Array.from(a).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function baseRecord(spec: NormalizedSpec, index: number, pt: Record<AxisName, number | null>, p: Problem): RunRecord {
  let gamma: number | null = null;
  let beta: number | null = null;
  let lambda = pt.lambda ?? 0;
  if (spec.method === "mgd") {
    const m = momentumParams(pt.lambda, pt.gamma, pt.beta);
    gamma = m.gamma;
    beta = m.beta;
    lambda = m.lambda;
  }
  const stochastic = spec.method === "mgd" && pt.batchSize !== null && pt.batchSize < p.n;
  return {
    index,
    seed: pt.seed,
    batchSize: pt.batchSize,
    alpha: pt.alpha as number,
    lambda,
    gamma,
    beta,
    batchSeed: pt.batchSeed,
    samplerSeed: stochastic ? samplerSeed(spec, pt) : null,
    status: "ok",
    iterations: 0,
    time: 0,
    loss: null,
    stopReason: null,
  };
}

function fillFinal(spec: NormalizedSpec, rec: RunRecord, p: Problem, w: Float64Array, u: Float64Array, v: Float64Array): void {
  const want = new Set(spec.record);
  if (want.has("wError")) rec.wError = p.wStar ? finiteOrNull(recoveryError(p, w)) : null;
  if (want.has("testLoss")) rec.testLoss = p.test ? finiteOrNull(testLoss(p, w)) : null;
  if (want.has("deltaSummary") || want.has("deltaRatio")) {
    const d = p.d;
    const ratio = new Float64Array(d);
    const D0 = 2 * rec.alpha * rec.alpha;
    for (let j = 0; j < d; j++) ratio[j] = (u[j] * u[j] - v[j] * v[j]) / D0;
    if (want.has("deltaSummary")) {
      let on = 0;
      let nOn = 0;
      let off = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < d; j++) {
        lo = Math.min(lo, ratio[j]);
        hi = Math.max(hi, ratio[j]);
        if (p.wStar && p.wStar[j] !== 0) {
          on += ratio[j];
          nOn++;
        } else off += ratio[j];
      }
      rec.deltaSummary = {
        min: lo,
        median: median(ratio),
        max: hi,
        support: p.wStar && nOn > 0 ? on / nOn : null,
        offSupport: p.wStar && d - nOn > 0 ? off / (d - nOn) : null,
      };
    }
    if (want.has("deltaRatio")) rec.deltaRatio = Array.from(ratio);
  }
  if (want.has("w")) rec.w = Array.from(w);
}

function fromRun(spec: NormalizedSpec, rec: RunRecord, p: Problem, r: RunResult): RunRecord {
  rec.iterations = r.iterations;
  rec.time = r.time;
  rec.loss = r.loss;
  rec.stopReason = r.stopReason;
  fillFinal(spec, rec, p, r.w, r.u!, r.v!);
  return rec;
}

function fromError(rec: RunRecord, e: unknown): RunRecord {
  if (e instanceof DivergenceError) {
    rec.status = "diverged";
    rec.iterations = e.iteration;
    rec.time = e.iteration * ((rec.gamma ?? 0) / (1 - (rec.beta ?? 0)));
    rec.loss = finiteOrNull(e.loss);
    rec.divergedAt = e.iteration;
    rec.bound = e.bound;
  } else if (e instanceof IterationLimitError) {
    rec.status = "limit";
    rec.iterations = e.iteration;
    rec.time = e.iteration * ((rec.gamma ?? 0) / (1 - (rec.beta ?? 0)));
    rec.loss = finiteOrNull(e.loss);
  } else {
    rec.status = "failed";
  }
  rec.message = e instanceof Error ? e.message : String(e);
  return rec;
}

/**
 * Work units of a list of run indices: full-batch mgd runs on the same problem seed go together in chunks of
 * at most spec.batch (in index order); every other run is a unit of its own. Depends only on the list.
 */
export function planUnits(spec: NormalizedSpec, indices: number[], n: number): number[][] {
  const units: number[][] = [];
  const open = new Map<string, number[]>();
  for (const i of indices) {
    const pt = gridPoint(spec, i);
    const full = spec.method === "mgd" && (pt.batchSize === null || pt.batchSize >= n);
    if (!full || spec.batch === 1) {
      units.push([i]);
      continue;
    }
    const key = String(pt.seed);
    let u = open.get(key);
    if (!u) {
      u = [];
      open.set(key, u);
      units.push(u);
    }
    u.push(i);
    if (u.length >= spec.batch) open.delete(key);
  }
  return units;
}

/**
 * Run the grid points `indices` (a unit from planUnits) and return their records in the same order.
 * Never throws for a run that diverges or fails: that is recorded in the run's status.
 */
export function executeUnit(spec: NormalizedSpec, indices: number[], root?: string): RunRecord[] {
  const pts = indices.map((i) => gridPoint(spec, i));
  const p = problemFor(spec, pts[0].seed, root);
  const recs = indices.map((i, q) => baseRecord(spec, i, pts[q], p));
  if (spec.method === "mgf") {
    return recs.map((rec) => {
      try {
        const T = spec.stop.time as number;
        const r = momentumFlow(p, { lambda: rec.lambda, alpha: rec.alpha, T, times: [T], stopLoss: spec.stop.loss, rtol: spec.rtol, atol: spec.atol });
        const f = r.final;
        rec.iterations = r.stats.steps;
        rec.time = f.t;
        rec.loss = f.loss;
        rec.stopReason = f.t < T ? "loss" : "time";
        fillFinal(spec, rec, p, f.w, f.u, f.v);
        return rec;
      } catch (e) {
        return fromError(rec, e);
      }
    });
  }
  const full = recs.every((r) => r.samplerSeed === null && (r.batchSize === null || r.batchSize >= p.n));
  if (full && recs.length > 1) {
    const runs: BatchedRun[] = recs.map((r) => ({ gamma: r.gamma as number, beta: r.beta as number, alpha: r.alpha }));
    let out: BatchedOutcome[];
    try {
      out = runMomentumBatched(p, runs, { stop: spec.stop, maxIterations: spec.maxIterations });
    } catch (e) {
      return recs.map((r) => fromError(r, e));
    }
    return recs.map((r, q) => {
      const o = out[q];
      return o.result ? fromRun(spec, r, p, o.result) : fromError(r, o.error);
    });
  }
  return recs.map((rec) => {
    try {
      const bs = rec.batchSize === null ? p.n : rec.batchSize;
      if (bs > p.n) throw new RangeError(`batchSize = ${bs} exceeds the number of samples n = ${p.n}`);
      const r = runMomentum(p, {
        gamma: rec.gamma as number,
        beta: rec.beta as number,
        alpha: rec.alpha,
        batchSize: bs,
        seed: rec.samplerSeed ?? 0,
        stop: spec.stop,
        maxIterations: spec.maxIterations,
      });
      return fromRun(spec, rec, p, r);
    } catch (e) {
      return fromError(rec, e);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Worker protocol. main → worker: { type: "unit", id, indices } | { type: "exit" };
// worker → main: { type: "result", id, records, ms } | { type: "error", id, message }.

export interface WorkerInit {
  sweepWorker: true;
  spec: NormalizedSpec;
  root: string;
}

/** The message loop of a sweep worker thread (called by lib/sweeps/worker-entry.mjs). */
export function serveWorker(init: WorkerInit): void {
  const port = parentPort;
  if (!port) throw new Error("serveWorker must run in a worker thread");
  port.on("message", (msg: { type: string; id: number; indices: number[] }) => {
    if (msg.type === "exit") {
      port.close();
      return;
    }
    const t0 = performance.now();
    try {
      const records = executeUnit(init.spec, msg.indices, init.root);
      port.postMessage({ type: "result", id: msg.id, records, ms: performance.now() - t0 });
    } catch (e) {
      port.postMessage({ type: "error", id: msg.id, message: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
  });
  port.postMessage({ type: "ready" });
}
