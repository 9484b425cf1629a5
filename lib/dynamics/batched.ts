/**
 * Batched full-batch MGD on the diagonal linear network: R runs that share the data X advance together, each
 * with its own step size γ (`gamma`), momentum β (`beta`) and init scale α (`alpha`). One iteration is two
 * matrix–matrix passes over X for all runs at once,
 *
 *   residuals  Res (R×n) = W·Xᵀ − Y,      gradients  G (R×d) = Res·X,
 *
 * tiled over the coordinates so that a tile of X is loaded once and reused by every run (X is read twice per
 * iteration however large R is, instead of once per run). Every sum is evaluated in exactly the order of
 * lib/optimizers.ts's single-run kernel (residuals left to right over j, gradients over blocks of eight rows
 * with the same bracketing), so each run is bit-for-bit the run `runMomentum` would produce; a sweep may
 * therefore group runs into batches any way it likes without changing a single digit.
 *
 * Stochastic runs (SMGD) are not batched: each run needs its own mini-batches, so the runs would not share
 * rows; they go through `runMomentum` one at a time.
 */
import { initDLN } from "../model/dln";
import { iterationsForTime } from "../model/momentum";
import { curvatureEstimate, DivergenceError, IterationLimitError, type RunResult, type StopRule } from "./optimizers";
import type { Problem } from "../model/problems";
import { checkInteger, checkNumber, checkVector, positiveScalarOrVector } from "../core/validate";

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

// Coordinate tile: a tile of eight rows of X (8·J doubles) and the runs' tiles of W or G stay in L1.
const TILE = 256;

interface Engine {
  n: number;
  d: number;
  R: number;
  gamma: Float64Array;
  beta: Float64Array;
  /** w = u ⊙ v of every run (R×d). */
  w: Float64Array;
  /** Σ r_i² of each run at the last pass. */
  ss: Float64Array;
  /** Residual pass then gradient pass over the active runs act[0..m). */
  pass(act: Int32Array, m: number): void;
  /** The momentum update of run r; returns false if its parameters became non-finite. */
  update(r: number): boolean;
  /** Copies of run r's current (u, v). */
  current(r: number): { u: Float64Array; v: Float64Array };
}

function makeEngine(p: Problem, runs: BatchedRun[]): { engine: Engine; u0: Float64Array[]; v0: Float64Array[] } {
  if (p === null || typeof p !== "object") throw new TypeError("p must be a Problem (see sparseRegression, makeProblem)");
  const n = checkInteger("p.n", p.n, { min: 1 });
  const d = checkInteger("p.d", p.d, { min: 1 });
  const X = checkVector("p.X", p.X, n * d);
  const y = checkVector("p.y", p.y, n);
  if (!Array.isArray(runs) || runs.length === 0) throw new TypeError("runs must be a non-empty array of { gamma, beta?, alpha? }");
  const R = runs.length;
  const gamma = new Float64Array(R);
  const beta = new Float64Array(R);
  const u = new Float64Array(R * d);
  const v = new Float64Array(R * d);
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
    positiveScalarOrVector(`runs[${r}].alpha`, alpha, d);
    const s = initDLN(alpha, d);
    u.set(s.u, r * d);
    v.set(s.v, r * d);
    u0.push(s.u);
    v0.push(s.v);
  });
  const up = Float64Array.from(u);
  const vp = Float64Array.from(v);
  const w = new Float64Array(R * d);
  for (let q = 0; q < R * d; q++) w[q] = u[q] * v[q];
  const res = new Float64Array(R * n);
  const G = new Float64Array(R * d);
  const ss = new Float64Array(R);
  // Per-run views swap instead of copying: cur/prev offsets live in these flags (0: u is current, 1: up is).
  const flip = new Uint8Array(R);

  const residuals = (act: Int32Array, m: number): void => {
    for (let q = 0; q < m; q++) res.fill(0, act[q] * n, act[q] * n + n);
    for (let j0 = 0; j0 < d; j0 += TILE) {
      const j1 = Math.min(d, j0 + TILE);
      let i = 0;
      for (; i + 3 < n; i += 4) {
        const b0 = i * d;
        const b1 = b0 + d;
        const b2 = b1 + d;
        const b3 = b2 + d;
        let q = 0;
        // Two runs × four rows: each loaded x is used twice, each loaded w four times.
        for (; q + 1 < m; q += 2) {
          const ra = act[q];
          const rb = act[q + 1];
          const wa = ra * d;
          const wb = rb * d;
          const oa = ra * n + i;
          const ob = rb * n + i;
          let a0 = res[oa];
          let a1 = res[oa + 1];
          let a2 = res[oa + 2];
          let a3 = res[oa + 3];
          let c0 = res[ob];
          let c1 = res[ob + 1];
          let c2 = res[ob + 2];
          let c3 = res[ob + 3];
          for (let j = j0; j < j1; j++) {
            const x0 = X[b0 + j];
            const x1 = X[b1 + j];
            const x2 = X[b2 + j];
            const x3 = X[b3 + j];
            const ea = w[wa + j];
            const eb = w[wb + j];
            a0 += x0 * ea;
            a1 += x1 * ea;
            a2 += x2 * ea;
            a3 += x3 * ea;
            c0 += x0 * eb;
            c1 += x1 * eb;
            c2 += x2 * eb;
            c3 += x3 * eb;
          }
          res[oa] = a0;
          res[oa + 1] = a1;
          res[oa + 2] = a2;
          res[oa + 3] = a3;
          res[ob] = c0;
          res[ob + 1] = c1;
          res[ob + 2] = c2;
          res[ob + 3] = c3;
        }
        for (; q < m; q++) {
          const ra = act[q];
          const wa = ra * d;
          const oa = ra * n + i;
          let a0 = res[oa];
          let a1 = res[oa + 1];
          let a2 = res[oa + 2];
          let a3 = res[oa + 3];
          for (let j = j0; j < j1; j++) {
            const ea = w[wa + j];
            a0 += X[b0 + j] * ea;
            a1 += X[b1 + j] * ea;
            a2 += X[b2 + j] * ea;
            a3 += X[b3 + j] * ea;
          }
          res[oa] = a0;
          res[oa + 1] = a1;
          res[oa + 2] = a2;
          res[oa + 3] = a3;
        }
      }
      for (; i < n; i++) {
        const b = i * d;
        for (let q = 0; q < m; q++) {
          const ra = act[q];
          const wa = ra * d;
          let s = res[ra * n + i];
          for (let j = j0; j < j1; j++) s += X[b + j] * w[wa + j];
          res[ra * n + i] = s;
        }
      }
    }
    // r = s − y and Σr² with lib/optimizers.ts's bracketing.
    for (let q = 0; q < m; q++) {
      const o = act[q] * n;
      let s2 = 0;
      let i = 0;
      for (; i + 7 < n; i += 8) {
        const r0 = (res[o + i] -= y[i]);
        const r1 = (res[o + i + 1] -= y[i + 1]);
        const r2 = (res[o + i + 2] -= y[i + 2]);
        const r3 = (res[o + i + 3] -= y[i + 3]);
        const r4 = (res[o + i + 4] -= y[i + 4]);
        const r5 = (res[o + i + 5] -= y[i + 5]);
        const r6 = (res[o + i + 6] -= y[i + 6]);
        const r7 = (res[o + i + 7] -= y[i + 7]);
        s2 += r0 * r0 + r1 * r1 + (r2 * r2 + r3 * r3) + (r4 * r4 + r5 * r5 + (r6 * r6 + r7 * r7));
      }
      for (; i < n; i++) {
        const r = (res[o + i] -= y[i]);
        s2 += r * r;
      }
      ss[act[q]] = s2;
    }
  };

  const gradients = (act: Int32Array, m: number): void => {
    for (let q = 0; q < m; q++) G.fill(0, act[q] * d, act[q] * d + d);
    for (let j0 = 0; j0 < d; j0 += TILE) {
      const j1 = Math.min(d, j0 + TILE);
      let i = 0;
      for (; i + 7 < n; i += 8) {
        const b0 = i * d;
        const b1 = b0 + d;
        const b2 = b1 + d;
        const b3 = b2 + d;
        const b4 = b3 + d;
        const b5 = b4 + d;
        const b6 = b5 + d;
        const b7 = b6 + d;
        let q = 0;
        // Two runs per sweep over j: each loaded x serves both.
        for (; q + 1 < m; q += 2) {
          const ra = act[q];
          const rb = act[q + 1];
          const o = ra * n + i;
          const ob = rb * n + i;
          const r0 = res[o];
          const r1 = res[o + 1];
          const r2 = res[o + 2];
          const r3 = res[o + 3];
          const r4 = res[o + 4];
          const r5 = res[o + 5];
          const r6 = res[o + 6];
          const r7 = res[o + 7];
          const t0 = res[ob];
          const t1 = res[ob + 1];
          const t2 = res[ob + 2];
          const t3 = res[ob + 3];
          const t4 = res[ob + 4];
          const t5 = res[ob + 5];
          const t6 = res[ob + 6];
          const t7 = res[ob + 7];
          const ga = ra * d;
          const gb = rb * d;
          for (let j = j0; j < j1; j++) {
            const x0 = X[b0 + j];
            const x1 = X[b1 + j];
            const x2 = X[b2 + j];
            const x3 = X[b3 + j];
            const x4 = X[b4 + j];
            const x5 = X[b5 + j];
            const x6 = X[b6 + j];
            const x7 = X[b7 + j];
            G[ga + j] += x0 * r0 + x1 * r1 + (x2 * r2 + x3 * r3) + (x4 * r4 + x5 * r5 + (x6 * r6 + x7 * r7));
            G[gb + j] += x0 * t0 + x1 * t1 + (x2 * t2 + x3 * t3) + (x4 * t4 + x5 * t5 + (x6 * t6 + x7 * t7));
          }
        }
        for (; q < m; q++) {
          const ra = act[q];
          const o = ra * n + i;
          const r0 = res[o];
          const r1 = res[o + 1];
          const r2 = res[o + 2];
          const r3 = res[o + 3];
          const r4 = res[o + 4];
          const r5 = res[o + 5];
          const r6 = res[o + 6];
          const r7 = res[o + 7];
          const ga = ra * d;
          for (let j = j0; j < j1; j++) {
            G[ga + j] += X[b0 + j] * r0 + X[b1 + j] * r1 + (X[b2 + j] * r2 + X[b3 + j] * r3) + (X[b4 + j] * r4 + X[b5 + j] * r5 + (X[b6 + j] * r6 + X[b7 + j] * r7));
          }
        }
      }
      for (; i < n; i++) {
        const b = i * d;
        for (let q = 0; q < m; q++) {
          const ra = act[q];
          const r = res[ra * n + i];
          const ga = ra * d;
          for (let j = j0; j < j1; j++) G[ga + j] += X[b + j] * r;
        }
      }
    }
  };

  const update = (r: number): boolean => {
    const c = gamma[r] / n;
    const b = beta[r];
    const o = r * d;
    // cur = (u, v) when flip = 0, else (up, vp); θ_{k+1} overwrites θ_{k−1}.
    const cu = flip[r] === 0 ? u : up;
    const cv = flip[r] === 0 ? v : vp;
    const pu = flip[r] === 0 ? up : u;
    const pv = flip[r] === 0 ? vp : v;
    let chk = 0;
    for (let j = 0; j < d; j++) {
      const gj = c * G[o + j];
      const uj = cu[o + j];
      const vj = cv[o + j];
      const un = uj + b * (uj - pu[o + j]) - gj * vj;
      const vn = vj + b * (vj - pv[o + j]) - gj * uj;
      pu[o + j] = un;
      pv[o + j] = vn;
      w[o + j] = un * vn;
      chk += un + vn;
    }
    flip[r] ^= 1;
    return Number.isFinite(chk);
  };

  const current = (r: number): { u: Float64Array; v: Float64Array } => {
    const o = r * d;
    return flip[r] === 0 ? { u: u.slice(o, o + d), v: v.slice(o, o + d) } : { u: up.slice(o, o + d), v: vp.slice(o, o + d) };
  };
  const pass = (act: Int32Array, m: number): void => {
    residuals(act, m);
    gradients(act, m);
  };
  return { engine: { n, d, R, gamma, beta, w, ss, pass, update, current }, u0, v0 };
}

function divergence(p: Problem, run: BatchedRun, e: Engine, r: number, iteration: number, loss: number, why: string): DivergenceError {
  const gamma = e.gamma[r];
  const beta = e.beta[r];
  return new DivergenceError({
    iteration,
    loss,
    gamma,
    beta,
    lambda: gamma / ((1 - beta) * (1 - beta)),
    why,
    curvature: curvatureEstimate(p, { alpha: run.alpha ?? 0.1 }),
  });
}

/**
 * A batched stepper over R full-batch MGD runs of the DLN sharing p (for benchmarks and custom loops).
 * @param p the problem (X row-major n×d, y)
 * @param runs per-run gamma (γ > 0), beta (β ∈ [0, 1)), alpha (α > 0)
 * @throws TypeError/RangeError naming the bad run option.
 * @example const s = createBatchedStepper(p, [{ gamma: 0.002, beta: 0.9 }, { gamma: 0.02, beta: 0.5 }]); s.step(1000); s.w(1)
 */
export function createBatchedStepper(p: Problem, runs: BatchedRun[]): BatchedStepper {
  const { engine: e } = makeEngine(p, runs);
  const R = e.R;
  const act = new Int32Array(R);
  for (let r = 0; r < R; r++) act[r] = r;
  let m = R;
  let k = 0;
  const n = e.n;
  const errors: (DivergenceError | undefined)[] = new Array(R).fill(undefined);
  const divergeAt = new Float64Array(R);
  e.pass(act, m);
  for (let r = 0; r < R; r++) divergeAt[r] = 1e6 * Math.max(e.ss[r] / (2 * n), 1);
  let fresh = true; // e.ss holds the losses of the current iterate
  return {
    runs: R,
    get k() {
      return k;
    },
    errors,
    step(count: number): number {
      checkInteger("count", count, { min: 0 });
      for (let it = 0; it < count && m > 0; it++) {
        if (!fresh) e.pass(act, m);
        fresh = false;
        let keep = 0;
        for (let q = 0; q < m; q++) {
          const r = act[q];
          const lk = e.ss[r] / (2 * n);
          if (!(lk <= divergeAt[r])) {
            errors[r] = divergence(p, runs[r], e, r, k, lk, Number.isFinite(lk) ? `loss exceeds 1e6·max(L(w₀), 1) = ${divergeAt[r].toPrecision(3)}` : "loss is not finite");
          } else if (!e.update(r)) {
            errors[r] = divergence(p, runs[r], e, r, k + 1, NaN, "the parameters are not finite");
          } else act[keep++] = r;
        }
        m = keep;
        k++;
      }
      return m;
    },
    loss(r: number): number {
      checkInteger("r", r, { min: 0, max: R - 1 });
      if (!fresh) {
        const one = Int32Array.of(r);
        e.pass(one, 1);
      }
      return e.ss[r] / (2 * n);
    },
    w(r: number): Float64Array {
      checkInteger("r", r, { min: 0, max: R - 1 });
      return e.w.slice(r * e.d, (r + 1) * e.d);
    },
  };
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
  const stop = opts.stop;
  if (stop === undefined || stop === null || typeof stop !== "object") throw new TypeError("stop must be given: { iterations?, time?, loss? } with at least one rule");
  for (const key of Object.keys(stop)) if (!["iterations", "time", "loss"].includes(key)) throw new RangeError(`stop rule has unknown key "${key}" (allowed: iterations, time, loss)`);
  if (stop.iterations === undefined && stop.time === undefined && stop.loss === undefined) throw new RangeError("stop needs at least one rule: iterations, time (continuous) or loss");
  const maxIterations = checkInteger("maxIterations", opts.maxIterations ?? 1e7, { min: 1 });
  const itersK = stop.iterations === undefined ? Infinity : checkInteger("stop.iterations", stop.iterations, { min: 0 });
  const lossBelow = stop.loss === undefined ? -Infinity : checkNumber("stop.loss", stop.loss, { min: 0, minOpen: true });
  const { engine: e } = makeEngine(p, runs);
  const { R, n, d } = e;
  const timeK = new Float64Array(R).fill(Infinity);
  if (stop.time !== undefined) {
    const T = checkNumber("stop.time", stop.time, { min: 0 });
    for (let r = 0; r < R; r++) timeK[r] = iterationsForTime(T, e.gamma[r], e.beta[r]);
  }
  for (let r = 0; r < R; r++) {
    if (itersK > maxIterations && itersK !== Infinity) throw new RangeError(`stop.iterations = ${itersK} exceeds maxIterations = ${maxIterations}; raise maxIterations`);
    if (timeK[r] > maxIterations && timeK[r] !== Infinity) {
      throw new RangeError(`runs[${r}]: stop.time = ${stop.time} needs ${timeK[r]} iterations at h = γ/(1−β) = ${e.gamma[r] / (1 - e.beta[r])}, more than maxIterations = ${maxIterations}; raise maxIterations`);
    }
  }
  const outcomes: BatchedOutcome[] = new Array(R);
  const first = new Float64Array(R);
  const w0: Float64Array[] = [];
  for (let r = 0; r < R; r++) w0.push(e.w.slice(r * d, (r + 1) * d));
  const divergeAt = new Float64Array(R);
  const act = new Int32Array(R);
  for (let r = 0; r < R; r++) act[r] = r;
  let m = R;
  const finish = (r: number, k: number, loss: number, stopReason: RunResult["stopReason"]): void => {
    const gamma = e.gamma[r];
    const beta = e.beta[r];
    const h = gamma / (1 - beta);
    const { u, v } = e.current(r);
    const w = e.w.slice(r * d, (r + 1) * d);
    const delta = new Float64Array(d);
    for (let j = 0; j < d; j++) delta[j] = u[j] * u[j] - v[j] * v[j];
    const points = [{ k: 0, t: 0, loss: first[r], w: w0[r] }];
    if (k !== 0) points.push({ k, t: k * h, loss, w: Float64Array.from(w) });
    outcomes[r] = {
      ok: true,
      result: {
        model: "dln",
        gamma,
        beta,
        lambda: gamma / ((1 - beta) * (1 - beta)),
        h,
        batchSize: n,
        seed: 0,
        iterations: k,
        time: k * h,
        loss,
        stopReason,
        w,
        u,
        v,
        delta,
        points,
        final: points[points.length - 1],
        wallMs: 0,
      },
    };
  };
  for (let k = 0; m > 0; k++) {
    e.pass(act, m);
    let keep = 0;
    for (let q = 0; q < m; q++) {
      const r = act[q];
      const lk = e.ss[r] / (2 * n);
      if (k === 0) {
        if (!Number.isFinite(lk)) throw new RangeError(`the initial loss is not finite (${lk}); check the data and the init`);
        first[r] = lk;
        divergeAt[r] = 1e6 * Math.max(lk, 1);
      }
      // The order of runMomentum's checks: loss, time, iterations, the iteration cap, then divergence.
      if (lk < lossBelow) finish(r, k, lk, "loss");
      else if (k >= timeK[r]) finish(r, k, lk, "time");
      else if (k >= itersK) finish(r, k, lk, "iterations");
      else if (k >= maxIterations) outcomes[r] = { ok: false, error: new IterationLimitError(k, k * (e.gamma[r] / (1 - e.beta[r])), lk, stop) };
      else if (!(lk <= divergeAt[r])) {
        outcomes[r] = { ok: false, error: divergence(p, runs[r], e, r, k, lk, Number.isFinite(lk) ? `loss exceeds 1e6·max(L(w₀), 1) = ${divergeAt[r].toPrecision(3)}` : "loss is not finite") };
      } else if (!e.update(r)) {
        outcomes[r] = { ok: false, error: divergence(p, runs[r], e, r, k + 1, NaN, "the parameters are not finite") };
      } else act[keep++] = r;
    }
    m = keep;
  }
  const wall = performance.now() - t0;
  for (const o of outcomes) if (o.ok) o.result.wallMs = wall;
  return outcomes;
}
