/**
 * Batched full-batch MGD on the diagonal linear network: R runs that share the data X advance together, each
 * with its own step size γ (`gamma`), momentum β (`beta`) and init scale α (`alpha`). One iteration is two
 * matrix–matrix passes over X for all runs at once,
 *
 *   residuals  Res (R×n) = W·Xᵀ − Y,      gradients  G (R×d) = Res·X,
 *
 * so X is read twice per iteration however large R is (batched-kernels.ts; two runs per 128-bit SIMD lane pair).
 * Every sum is evaluated in exactly the order of the single-run kernel, so each run is bit for bit the run
 * `runMomentum` would produce; a sweep may group runs into batches any way it likes without changing a digit.
 * Runs that stop or diverge leave the batch (the last active run moves into their slot), so the passes only
 * cover active runs.
 *
 * Stochastic runs (SMGD) are not batched: each run needs its own mini-batches, so the runs would not share
 * rows; they go through `runMomentum` one at a time.
 */
import { checkInteger, checkNumber, checkVector, positiveScalarOrVector } from "../core/validate";
import { balancedness, initDLN, lossFromSquaredResiduals } from "../model/dln";
import { checkStopRule, lambdaOf, stopTimeIterations, timeStep, type StopRule } from "../model/momentum";
import type { Problem } from "../model/problems";
import { createBatchBuffers, type BatchBuffers } from "./batched-kernels";
import { curvatureEstimate, DivergenceError, IterationLimitError } from "./divergence";
import { passRows } from "./mgd-kernels";
import type { RunResult } from "./optimizers";
import { divergenceLimit, lossDivergenceReason } from "./run-setup";

/** One run of a batch: step size γ, momentum β, init scale α (u₀ = √2α, v₀ = 0). */
export interface BatchedRun {
  /** Step size γ > 0. */
  gamma: number;
  /** Momentum β ∈ [0, 1) (default 0). */
  beta?: number;
  /** Init scale α > 0, number or per coordinate (default 0.1). */
  alpha?: number | Float64Array;
}

/** Outcome of one run of {@link runMomentumBatched}: the result, or the error runMomentum would have thrown. */
export type BatchedOutcome =
  | { ok: true; result: RunResult; error?: undefined }
  | { ok: false; error: DivergenceError | IterationLimitError; result?: undefined };

/** A low-level batched stepper (all runs advance together until they stop or diverge). */
export interface BatchedStepper {
  /** Number of runs R. */
  readonly runs: number;
  /** Iterations done by the runs still active. */
  readonly k: number;
  /**
   * Advance every active run by `count` iterations (no stop rules; a run that diverges is frozen and its error
   * kept in `errors`).
   * @returns the number of runs still active
   */
  step(count: number): number;
  /** Full-batch loss L(w_k) of run r at its current iterate. */
  loss(r: number): number;
  /** A copy of run r's w = u ⊙ v. */
  w(r: number): Float64Array;
  /** Errors of frozen runs (undefined for active ones). */
  readonly errors: (DivergenceError | undefined)[];
}

/** R runs in the slots of their buffers; slotOf[r] = −1 once run r has left. */
interface Batch {
  p: Problem;
  runs: BatchedRun[];
  R: number;
  gamma: Float64Array;
  beta: Float64Array;
  buf: BatchBuffers;
  slotOf: Int32Array;
  runAt: Int32Array;
  /** Active runs (they fill slots 0..active−1). */
  active: number;
}

function checkRuns(p: Problem, runs: BatchedRun[]): { gamma: Float64Array; beta: Float64Array; u0: Float64Array[]; v0: Float64Array[] } {
  if (!Array.isArray(runs) || runs.length === 0) throw new TypeError("runs must be a non-empty array of { gamma, beta?, alpha? }");
  const gamma = new Float64Array(runs.length);
  const beta = new Float64Array(runs.length);
  const u0: Float64Array[] = [];
  const v0: Float64Array[] = [];
  runs.forEach((run, r) => {
    if (run === null || typeof run !== "object") throw new TypeError(`runs[${r}] must be an object { gamma, beta?, alpha? }`);
    for (const key of Object.keys(run)) {
      if (!["gamma", "beta", "alpha"].includes(key)) throw new RangeError(`runs[${r}] has unknown option "${key}" (allowed: gamma, beta, alpha)`);
    }
    gamma[r] = checkNumber(`runs[${r}].gamma`, run.gamma, { min: 0, minOpen: true });
    beta[r] = checkNumber(`runs[${r}].beta`, run.beta ?? 0, { min: 0, max: 1, maxOpen: true });
    const alpha = run.alpha ?? 0.1;
    positiveScalarOrVector(`runs[${r}].alpha`, alpha, p.d);
    const s = initDLN(alpha, p.d);
    u0.push(s.u);
    v0.push(s.v);
  });
  return { gamma, beta, u0, v0 };
}

function createBatch(p: Problem, runs: BatchedRun[]): Batch {
  if (p === null || typeof p !== "object") throw new TypeError("p must be a Problem (see sparseRegression, makeProblem)");
  const n = checkInteger("p.n", p.n, { min: 1 });
  const d = checkInteger("p.d", p.d, { min: 1 });
  checkVector("p.X", p.X, n * d);
  checkVector("p.y", p.y, n);
  const { gamma, beta, u0, v0 } = checkRuns(p, runs);
  const R = runs.length;
  const buf = createBatchBuffers(p.X, p.y, n, d, R);
  const slotOf = new Int32Array(R);
  const runAt = new Int32Array(2 * buf.pairs).fill(-1);
  for (let r = 0; r < R; r++) {
    buf.load(r, u0[r], v0[r]);
    slotOf[r] = r;
    runAt[r] = r;
  }
  return { p, runs, R, gamma, beta, buf, slotOf, runAt, active: R };
}

/** Pairs holding active runs. */
function activePairs(b: Batch): number {
  return (b.active + 1) >> 1;
}

/** The loss of active run r at the last residual pass. */
function lossOf(b: Batch, r: number): number {
  return lossFromSquaredResiduals(b.buf.ss[b.slotOf[r]], b.p.n);
}

/** Run r leaves the batch: the last active run moves into its slot. */
function retire(b: Batch, r: number): void {
  const s = b.slotOf[r];
  const last = b.active - 1;
  if (s !== last) {
    b.buf.move(last, s);
    const moved = b.runAt[last];
    b.runAt[s] = moved;
    b.slotOf[moved] = s;
  } else b.buf.clear(s);
  b.runAt[last] = -1;
  b.slotOf[r] = -1;
  b.active--;
}

/** One momentum update of every active run (c = γ/n each); returns the runs whose new entries are not all finite. */
function updateAll(b: Batch): number[] {
  const n = b.p.n;
  const lane = (s: number): [number, number] => {
    const r = b.runAt[s];
    return r < 0 ? [0, 0] : [b.gamma[r] / n, b.beta[r]];
  };
  for (let q = 0; q < activePairs(b); q++) {
    const [c0, b0] = lane(2 * q);
    const [c1, b1] = lane(2 * q + 1);
    b.buf.update(q, c0, c1, b0, b1);
  }
  b.buf.swap();
  const bad: number[] = [];
  for (let s = 0; s < b.active; s++) if (b.buf.flags[s] !== 0) bad.push(b.runAt[s]);
  return bad;
}

/** The DivergenceError runMomentum would throw for run r. */
function divergence(b: Batch, r: number, iteration: number, loss: number, why: string): DivergenceError {
  const gamma = b.gamma[r];
  const beta = b.beta[r];
  const curvature = curvatureEstimate(b.p, { alpha: b.runs[r].alpha ?? 0.1 });
  return new DivergenceError({ iteration, loss, gamma, beta, lambda: lambdaOf(gamma, beta), why, curvature });
}

/** Active runs, in slot order (a copy: retiring runs while iterating over it is safe). */
function activeRuns(b: Batch): number[] {
  return Array.from(b.runAt.subarray(0, b.active));
}

/**
 * A batched stepper over R full-batch MGD runs of the DLN sharing p (for benchmarks and custom loops).
 * @param p the problem (X row-major n×d, y)
 * @param runs per-run gamma (γ > 0), beta (β ∈ [0, 1)), alpha (α > 0)
 * @throws TypeError/RangeError naming the bad run option.
 * @example const s = createBatchedStepper(p, [{ gamma: 0.002, beta: 0.9 }, { gamma: 0.02, beta: 0.5 }]); s.step(1000); s.w(1)
 */
export function createBatchedStepper(p: Problem, runs: BatchedRun[]): BatchedStepper {
  const b = createBatch(p, runs);
  const errors: (DivergenceError | undefined)[] = new Array(b.R).fill(undefined);
  const frozen: (Float64Array | undefined)[] = new Array(b.R).fill(undefined);
  const limit = new Float64Array(b.R);
  let k = 0;
  let fresh = 0; // 2: residuals and gradients hold the current iterate; 1: residuals only; 0: neither
  b.buf.residuals(activePairs(b));
  for (let r = 0; r < b.R; r++) limit[r] = divergenceLimit(lossOf(b, r));
  fresh = 1;
  const step = (count: number): number => {
    checkInteger("count", count, { min: 0 });
    for (let it = 0; it < count && b.active > 0; it++) {
      if (fresh < 1) b.buf.residuals(activePairs(b));
      if (fresh < 2) b.buf.gradients(activePairs(b));
      const leaving: number[] = [];
      for (const r of activeRuns(b)) {
        const lk = lossOf(b, r);
        if (lk <= limit[r]) continue;
        errors[r] = divergence(b, r, k, lk, lossDivergenceReason(lk, limit[r]));
        frozen[r] = b.buf.read(b.slotOf[r]).w;
        leaving.push(r);
      }
      for (const r of updateAll(b)) {
        if (errors[r] !== undefined) continue;
        errors[r] = divergence(b, r, k + 1, NaN, "the parameters are not finite");
        frozen[r] = b.buf.read(b.slotOf[r]).w;
        leaving.push(r);
      }
      for (const r of leaving) retire(b, r);
      fresh = 0;
      k++;
    }
    return b.active;
  };
  return {
    runs: b.R,
    get k() {
      return k;
    },
    errors,
    step,
    loss(r: number): number {
      checkInteger("r", r, { min: 0, max: b.R - 1 });
      const w = frozen[r];
      if (w !== undefined) return lossFromSquaredResiduals(passRows(p.X, p.y, w, new Float64Array(p.d), p.d, Int32Array.from({ length: p.n }, (_, i) => i), p.n, false), p.n);
      if (fresh < 1) {
        b.buf.residuals(activePairs(b));
        fresh = 1;
      }
      return lossOf(b, r);
    },
    w(r: number): Float64Array {
      checkInteger("r", r, { min: 0, max: b.R - 1 });
      return frozen[r]?.slice() ?? b.buf.read(b.slotOf[r]).w;
    },
  };
}

/** The checked options of runMomentumBatched and each run's iteration count for the time rule. */
function batchedLimits(b: Batch, opts: { stop: StopRule; maxIterations?: number }): { maxIterations: number; itersK: number; lossBelow: number; timeK: Float64Array } {
  if (opts === null || typeof opts !== "object") throw new TypeError("options must be an object with stop");
  const maxIterations = checkInteger("maxIterations", opts.maxIterations ?? 1e7, { min: 1 });
  const limits = checkStopRule(opts.stop, maxIterations);
  const timeK = new Float64Array(b.R);
  for (let r = 0; r < b.R; r++) timeK[r] = stopTimeIterations(limits.time, b.gamma[r], b.beta[r], maxIterations, `runs[${r}]: `);
  return { maxIterations, itersK: limits.iterations, lossBelow: limits.loss, timeK };
}

/** Run r's RunResult at iteration k (snapshots k = 0 and the final iterate). */
function resultOf(b: Batch, r: number, k: number, loss: number, first: { loss: number; w: Float64Array }, stopReason: RunResult["stopReason"]): RunResult {
  const gamma = b.gamma[r];
  const beta = b.beta[r];
  const h = timeStep(gamma, beta);
  const { u, v, w } = b.buf.read(b.slotOf[r]);
  const points = [{ k: 0, t: 0, loss: first.loss, w: first.w }];
  if (k !== 0) points.push({ k, t: k * h, loss, w: Float64Array.from(w) });
  return {
    model: "dln", gamma, beta, lambda: lambdaOf(gamma, beta), h, batchSize: b.p.n, seed: 0, iterations: k, time: k * h, loss, stopReason,
    w, u, v, delta: balancedness(u, v), points, final: points[points.length - 1], wallMs: 0,
  };
}

/**
 * The outcome of run r at iteration k with loss lk, or undefined if it goes on; runMomentum's checks in its
 * order: loss, time, iterations, the iteration cap, then divergence.
 */
function checkRun(
  b: Batch, r: number, k: number, lk: number, o: ReturnType<typeof batchedLimits>, limit: number, first: { loss: number; w: Float64Array }, stop: StopRule,
): BatchedOutcome | undefined {
  const finish = (reason: RunResult["stopReason"]): BatchedOutcome => ({ ok: true, result: resultOf(b, r, k, lk, first, reason) });
  if (lk < o.lossBelow) return finish("loss");
  if (k >= o.timeK[r]) return finish("time");
  if (k >= o.itersK) return finish("iterations");
  if (k >= o.maxIterations) return { ok: false, error: new IterationLimitError(k, k * timeStep(b.gamma[r], b.beta[r]), lk, stop) };
  if (!(lk <= limit)) return { ok: false, error: divergence(b, r, k, lk, lossDivergenceReason(lk, limit)) };
  return undefined;
}

/**
 * Run R full-batch MGD runs of the DLN on the same problem together until the shared stop rule; the result of
 * run r is bit-for-bit what `runMomentum(p, { ...runs[r], stop, maxIterations })` returns (snapshots k = 0 and
 * the final iterate, record ["w"]; wallMs is the wall time of the whole batch).
 * @param p the problem
 * @param runs per-run gamma (γ), beta (β), alpha (α)
 * @param opts stop ({ iterations?, time?, loss? }: the first met wins, time in units of each run's own
 *   h = γ/(1−β)), maxIterations (default 1e7)
 * @returns one outcome per run: `{ ok: true, result }` or `{ ok: false, error }` (DivergenceError or
 *   IterationLimitError, as runMomentum would throw)
 * @throws TypeError/RangeError for bad options.
 * @example runMomentumBatched(sparseRegression(), [{ gamma: 0.002, beta: 0.9 }, { gamma: 0.008, beta: 0.8 }], { stop: { time: 200 } })
 */
export function runMomentumBatched(p: Problem, runs: BatchedRun[], opts: { stop: StopRule; maxIterations?: number }): BatchedOutcome[] {
  const t0 = performance.now();
  if (opts === null || typeof opts !== "object") throw new TypeError("options must be an object with stop");
  checkStopRule(opts.stop, Infinity); // the stop rule's own checks come before the runs'
  const b = createBatch(p, runs);
  const o = batchedLimits(b, opts);
  const outcomes: BatchedOutcome[] = new Array(b.R);
  const first: { loss: number; w: Float64Array }[] = [];
  const limit = new Float64Array(b.R);
  for (let k = 0; b.active > 0; k++) {
    b.buf.residuals(activePairs(b));
    b.buf.gradients(activePairs(b));
    const leaving: number[] = [];
    for (const r of activeRuns(b)) {
      const lk = lossOf(b, r);
      if (k === 0) {
        if (!Number.isFinite(lk)) throw new RangeError(`the initial loss is not finite (${lk}); check the data and the init`);
        first[r] = { loss: lk, w: b.buf.read(b.slotOf[r]).w };
        limit[r] = divergenceLimit(lk);
      }
      const outcome = checkRun(b, r, k, lk, o, limit[r], first[r], opts.stop);
      if (outcome) {
        outcomes[r] = outcome;
        leaving.push(r);
      }
    }
    // Runs that just left are updated too (their slots are recycled below): the passes stay in whole pairs.
    for (const r of updateAll(b)) {
      if (outcomes[r] !== undefined) continue;
      outcomes[r] = { ok: false, error: divergence(b, r, k + 1, NaN, "the parameters are not finite") };
      leaving.push(r);
    }
    for (const r of leaving) retire(b, r);
  }
  const wall = performance.now() - t0;
  for (const o2 of outcomes) if (o2.ok) o2.result.wallMs = wall;
  return outcomes;
}
