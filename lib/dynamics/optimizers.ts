/**
 * GD, MGD (heavy ball), SGD and SMGD as one stepper, on the diagonal linear network (parameters (u, v),
 * F(u, v) = L(u ⊙ v)) or on plain linear regression (parameter w, F = L(w)), with L(w) = ‖Xw − y‖²/(2n):
 *
 *   θ_{k+1} = θ_k − γ ∇F(θ_k) + β (θ_k − θ_{k−1}),   θ_{−1} = θ_0,
 *
 * β = 0 is GD; a batch size below n replaces ∇L by the mean over a batch of distinct samples (SGD/SMGD).
 * Names: `gamma` = γ, `beta` = β (momentum), `lambda` = λ = γ/(1−β)², `h` = γ/(1−β) (continuous time per
 * iteration, t_k = k·h), `alpha` = α (init scale), `delta` = Δ = u² − v². The regression vector is `w`.
 */
import { largestEigenvalueXtX } from "../core/linalg";
import { initDLN, type DlnState } from "../model/dln";
import { heavyBallStability, iterationsForTime } from "../model/momentum";
import type { Problem } from "../model/problems";
import type { PathPoint, Trajectory } from "./trajectory";
import { createRng } from "../core/random";
import { checkChoice, checkInteger, checkNumber, checkVector, positiveScalarOrVector } from "../core/validate";

export type Model = "dln" | "linear";
/** What a snapshot stores besides k, t and the loss: w = u⊙v (or the linear parameter), u, v, Δ = u² − v². */
export type RecordField = "w" | "u" | "v" | "delta";

/**
 * When to take snapshots. k = 0 and the final iterate are always included.
 * - `every`: k = 0, m, 2m, …
 * - `logSpaced`: `count` values of k log-spaced in [1, K] (rounded, duplicates dropped), where K is the horizon
 *   of the stop rule (`iterations` or `time`; needs one of them)
 * - `perDecade`: k = round(10^(i/m)), i = 0, 1, … (log-spaced without a horizon, for loss-stopped runs)
 * - `times`: continuous times t, each taken at the first iterate with k·h ≥ t (the same rounding as stop.time)
 * - `iterations`: explicit values of k
 */
export type SnapshotSchedule =
  | { every: number }
  | { logSpaced: number }
  | { perDecade: number }
  | { times: number[] }
  | { iterations: number[] };

/** When to stop: the first rule met wins (checked in the order loss, time, iterations). */
export interface StopRule {
  /** Stop after this many iterations. */
  iterations?: number;
  /** Stop at the first k with continuous time k·γ/(1−β) ≥ time. */
  time?: number;
  /** Stop at the first iterate whose full-batch loss L(w_k) is < loss. */
  loss?: number;
}

/** Options of the stepper (what to run), shared by {@link createMomentumStepper} and {@link runMomentum}. */
export interface StepperOptions {
  /** "dln" (default): w = u ⊙ v with F(u, v) = L(u⊙v); "linear": w itself, F = L(w). */
  model?: Model;
  /** DLN init scale α > 0 (number or per-coordinate), u₀ = √2α, v₀ = 0 (default 0.1). DLN only. */
  alpha?: number | Float64Array;
  /** Start point instead of alpha: `{ u, v }` for the DLN, `{ w }` for linear (default w = 0). Copied. */
  init?: DlnState | { w: Float64Array };
  /** Step size γ > 0. */
  gamma: number;
  /** Momentum β ∈ [0, 1) (default 0 = GD/SGD). */
  beta?: number;
  /** Mini-batch size in [1, n] (default n = full batch). Each batch has distinct samples. */
  batchSize?: number;
  /** Seed of the batch sampler (default 0); ignored for full batches. */
  seed?: number;
}

/** Options of {@link runMomentum}. */
export interface MomentumOptions extends StepperOptions {
  stop: StopRule;
  /** Safety cap on iterations (default 1e7). Hitting it before the stop rule throws IterationLimitError. */
  maxIterations?: number;
  /** Snapshot schedule (default: only k = 0 and the final iterate). */
  snapshots?: SnapshotSchedule;
  /** Arrays each snapshot stores besides w, which is always stored (default ["w"]); "u", "v", "delta" need the DLN. */
  record?: RecordField[];
}

/** A point of a run's path (t = k·h); w is always stored, u, v and Δ when `record` asks for them. */
export interface Snapshot extends PathPoint {
  /** Iteration index. */
  k: number;
  u?: Float64Array;
  v?: Float64Array;
  /** Δ_k = u_k² − v_k². */
  delta?: Float64Array;
}

export interface RunResult extends Trajectory<Snapshot> {
  model: Model;
  gamma: number;
  beta: number;
  /** λ = γ/(1−β)². */
  lambda: number;
  /** h = γ/(1−β). */
  h: number;
  batchSize: number;
  seed: number;
  /** Iterations performed, K. */
  iterations: number;
  /** Continuous time K·h. */
  time: number;
  /** Full-batch loss at the final iterate. */
  loss: number;
  stopReason: "iterations" | "time" | "loss";
  /** Final regression vector (u⊙v for the DLN). */
  w: Float64Array;
  u?: Float64Array;
  v?: Float64Array;
  /** Final Δ = u² − v² (DLN). */
  delta?: Float64Array;
  /** The snapshots: k = 0, the schedule's iterates, and the final iterate (also `final`). */
  points: Snapshot[];
  /** The last snapshot: the final iterate. */
  final: Snapshot;
  /** Wall-clock time of the run in milliseconds. */
  wallMs: number;
}

/** A copy of the stepper's current state. */
export interface StepperState {
  k: number;
  t: number;
  /** Full-batch loss L(w_k). */
  loss: number;
  w: Float64Array;
  /** Linear model: the previous iterate w_{k−1}. */
  wPrev?: Float64Array;
  u?: Float64Array;
  v?: Float64Array;
  /** DLN: the previous iterates u_{k−1}, v_{k−1} (equal to u₀, v₀ at k = 0). */
  uPrev?: Float64Array;
  vPrev?: Float64Array;
  delta?: Float64Array;
}

export interface MomentumStepper {
  readonly model: Model;
  readonly gamma: number;
  readonly beta: number;
  readonly lambda: number;
  readonly h: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Index k of the current iterate (iterations done so far). */
  readonly k: number;
  /** Continuous time k·h of the current iterate. */
  readonly t: number;
  /** Full-batch loss at the current iterate (cached; computed at most once per iterate). */
  loss(): number;
  /**
   * Perform up to `count` iterations. Before each one the full-batch loss at the current iterate is compared
   * with `lossBelow` (default −∞, no check): if it is smaller the stepper stops there.
   * @returns the number of iterations performed (< count only on a loss stop)
   * @throws DivergenceError if the loss or the parameters become non-finite or the loss exceeds 1e6·max(L(w₀), 1).
   */
  step(count: number, lossBelow?: number): number;
  /** A copy of the current state. */
  state(): StepperState;
  /** A snapshot of the current iterate with the given arrays (copies). */
  snapshot(record?: RecordField[]): Snapshot;
}

/** Thrown when a run blows up; the message names the iteration, γ, β, λ and the ≈ stability bound. */
export class DivergenceError extends Error {
  /** Iteration k of the first iterate found non-finite or too large. */
  readonly iteration: number;
  /** Its loss (may be NaN or ∞). */
  readonly loss: number;
  /** Heavy-ball stability bound 2(1+β)/L_max with the estimated curvature L_max. */
  readonly bound: number;
  readonly gamma: number;
  readonly beta: number;
  readonly lambda: number;
  /** Estimated curvature L_max and how it was estimated. */
  readonly curvature: CurvatureEstimate;
  constructor(info: { iteration: number; loss: number; gamma: number; beta: number; lambda: number; curvature: CurvatureEstimate; why: string }) {
    // A curvature beyond the double range (data of scale ≳ 1e154) leaves no stable step: say so, not "L must be finite".
    const L = info.curvature.L;
    const bound = L > 0 && Number.isFinite(L) ? heavyBallStability(info.beta, L) : L > 0 ? 0 : Infinity;
    const advice = Number.isFinite(L) ? "Try a smaller gamma." : "L_max overflows the double range: rescale the data.";
    super(
      `run diverged at iteration k = ${info.iteration}: ${info.why} (loss = ${info.loss}); γ = ${info.gamma}, β = ${info.beta}, ` +
        `λ = ${info.lambda}. Heavy-ball stability needs roughly γ < 2(1+β)/L_max ≈ ${bound.toPrecision(3)}, with L_max ≈ ` +
        `${L.toPrecision(3)} estimated as ${info.curvature.how}. ${advice}`,
    );
    this.name = "DivergenceError";
    this.iteration = info.iteration;
    this.loss = info.loss;
    this.bound = bound;
    this.gamma = info.gamma;
    this.beta = info.beta;
    this.lambda = info.lambda;
    this.curvature = info.curvature;
  }
}

/** Thrown by runMomentum when maxIterations is reached before the stop rule is met. */
export class IterationLimitError extends Error {
  readonly iteration: number;
  readonly loss: number;
  constructor(iteration: number, t: number, loss: number, stop: StopRule) {
    super(
      `maxIterations = ${iteration} reached without meeting the stop rule ${JSON.stringify(stop)}: at k = ${iteration}, ` +
        `t = ${t.toPrecision(6)}, loss = ${loss.toPrecision(6)}. Raise maxIterations, loosen stop.loss, or use a larger gamma.`,
    );
    this.name = "IterationLimitError";
    this.iteration = iteration;
    this.loss = loss;
  }
}

export interface CurvatureEstimate {
  /** Estimated largest Hessian eigenvalue of F along the run. */
  L: number;
  /** How L was estimated (a sentence for error messages). */
  how: string;
}

// ---------------------------------------------------------------------------------------------------------
// Hot kernel. Rows are streamed once per iteration, eight at a time: their residuals r_i = ⟨x_i, w⟩ − y_i
// share the loads of w (eight independent add chains), then g += Σ r_i x_i is added while the rows are in
// cache, with one load/store of g per eight rows. Each r_i is a plain left-to-right sum (the same in every
// block position), and the cached loss and the in-step loss share this kernel, so they agree bit for bit.

/**
 * Over the rows listed in rows[0..m): g = Σ r_i x_i (unscaled) if `grad`, and returns Σ r_i².
 */
function passRows(X: Float64Array, y: Float64Array, w: Float64Array, g: Float64Array, d: number, rows: Int32Array, m: number, grad: boolean): number {
  if (grad) g.fill(0);
  let ss = 0;
  let a = 0;
  for (; a + 7 < m; a += 8) {
    const i0 = rows[a];
    const i1 = rows[a + 1];
    const i2 = rows[a + 2];
    const i3 = rows[a + 3];
    const i4 = rows[a + 4];
    const i5 = rows[a + 5];
    const i6 = rows[a + 6];
    const i7 = rows[a + 7];
    const b0 = i0 * d;
    const b1 = i1 * d;
    const b2 = i2 * d;
    const b3 = i3 * d;
    const b4 = i4 * d;
    const b5 = i5 * d;
    const b6 = i6 * d;
    const b7 = i7 * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let j = 0; j < d; j++) {
      const wj = w[j];
      s0 += X[b0 + j] * wj;
      s1 += X[b1 + j] * wj;
      s2 += X[b2 + j] * wj;
      s3 += X[b3 + j] * wj;
      s4 += X[b4 + j] * wj;
      s5 += X[b5 + j] * wj;
      s6 += X[b6 + j] * wj;
      s7 += X[b7 + j] * wj;
    }
    const r0 = s0 - y[i0];
    const r1 = s1 - y[i1];
    const r2 = s2 - y[i2];
    const r3 = s3 - y[i3];
    const r4 = s4 - y[i4];
    const r5 = s5 - y[i5];
    const r6 = s6 - y[i6];
    const r7 = s7 - y[i7];
    ss += r0 * r0 + r1 * r1 + (r2 * r2 + r3 * r3) + (r4 * r4 + r5 * r5 + (r6 * r6 + r7 * r7));
    if (grad) {
      for (let j = 0; j < d; j++) {
        g[j] += X[b0 + j] * r0 + X[b1 + j] * r1 + (X[b2 + j] * r2 + X[b3 + j] * r3) + (X[b4 + j] * r4 + X[b5 + j] * r5 + (X[b6 + j] * r6 + X[b7 + j] * r7));
      }
    }
  }
  for (; a < m; a++) {
    const i = rows[a];
    const b = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += X[b + j] * w[j];
    const r = s - y[i];
    ss += r * r;
    if (grad) for (let j = 0; j < d; j++) g[j] += X[b + j] * r;
  }
  return ss;
}

/**
 * Heavy-ball step of the DLN: u⁺ = u + β(u − u⁻) − c·g⊙v, v⁺ = v + β(v − v⁻) − c·g⊙u, written over (u⁻, v⁻),
 * and w = u⁺⊙v⁺. Returns Σ(u⁺ + v⁺), which is non-finite iff some entry is (a free divergence check).
 */
function dlnUpdate(u: Float64Array, v: Float64Array, up: Float64Array, vp: Float64Array, w: Float64Array, g: Float64Array, c: number, beta: number, d: number): number {
  let chk = 0;
  for (let j = 0; j < d; j++) {
    const gj = c * g[j];
    const uj = u[j];
    const vj = v[j];
    const un = uj + beta * (uj - up[j]) - gj * vj;
    const vn = vj + beta * (vj - vp[j]) - gj * uj;
    up[j] = un;
    vp[j] = vn;
    w[j] = un * vn;
    chk += un + vn;
  }
  return chk;
}

/** Heavy-ball step of the linear model: w⁺ = w + β(w − w⁻) − c·g, written over w⁻; returns Σw⁺. */
function linearUpdate(w: Float64Array, wp: Float64Array, g: Float64Array, c: number, beta: number, d: number): number {
  let chk = 0;
  for (let j = 0; j < d; j++) {
    const wj = w[j];
    const wn = wj + beta * (wj - wp[j]) - c * g[j];
    wp[j] = wn;
    chk += wn;
  }
  return chk;
}

/** λ_max(D XᵀX D / n) with D = diag(√s2) (the Gauss–Newton curvature of the DLN). */
function scaledGramMax(X: Float64Array, n: number, d: number, s2: Float64Array): number {
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(Math.max(0, s2[j]));
  return largestEigenvalueXtX(X, n, d, { scale, iterations: 300, tol: 1e-10 });
}

function curvatureOf(p: Problem, model: Model, u0: Float64Array | null, v0: Float64Array | null, w0: Float64Array): CurvatureEstimate {
  if (model === "linear") {
    return { L: largestEigenvalueXtX(p.X, p.n, p.d), how: "the largest eigenvalue of XᵀX/n (the exact curvature of the quadratic loss)" };
  }
  const d = p.d;
  const s2 = new Float64Array(d);
  for (let j = 0; j < d; j++) s2[j] = u0![j] * u0![j] + v0![j] * v0![j];
  const g = new Float64Array(d);
  const all = new Int32Array(p.n);
  for (let i = 0; i < p.n; i++) all[i] = i;
  passRows(p.X, p.y, w0, g, d, all, p.n, true);
  let gmax = 0;
  for (let j = 0; j < d; j++) gmax = Math.max(gmax, Math.abs(g[j]) / p.n);
  const Linit = scaledGramMax(p.X, p.n, d, s2) + gmax;
  let how = `the DLN Hessian scale at the start, λmax(D₀XᵀXD₀/n) + max|∇L(w₀)| = ${Linit.toPrecision(3)} with D₀² = u₀² + v₀²`;
  let L = Linit;
  if (p.wStar) {
    for (let j = 0; j < d; j++) s2[j] = 2 * Math.abs(p.wStar[j]);
    const Lstar = scaledGramMax(p.X, p.n, d, s2);
    how += `, and at the balanced factorisation of the planted w* (u² = v² = |w*|), λmax(DXᵀXD/n) = ${Lstar.toPrecision(3)} with D² = 2|w*|; the larger is used`;
    L = Math.max(L, Lstar);
  } else {
    how += " (no planted w* to estimate the curvature at the interpolator, so this may underestimate it)";
  }
  return { L, how };
}

/**
 * An estimate of the largest curvature of F met along a run, as used in DivergenceError messages.
 * Linear model: λmax(XᵀX/n), exact. DLN: the Hessian of F is J·(XᵀX/n)·Jᵀ + [[0, diag g], [diag g, 0]] with
 * J = [diag v; diag u], whose top eigenvalue is ≤ λmax(D XᵀX D/n) + max|g| with D² = u² + v²; this is evaluated
 * at the start and at the balanced factorisation of the planted w* (if known), and the larger is returned.
 * @returns `{ L, how }`; heavyBallStability(beta, L) is then the ≈ largest stable γ.
 */
export function curvatureEstimate(p: Problem, opts: { model?: Model; alpha?: number | Float64Array; init?: DlnState | { w: Float64Array } } = {}): CurvatureEstimate {
  checkProblem(p);
  const model = checkChoice("model", opts.model ?? "dln", ["dln", "linear"] as const);
  const s = initialState(p, model, opts.alpha, opts.init);
  return curvatureOf(p, model, s.u, s.v, s.w);
}

// ---------------------------------------------------------------------------------------------------------
// Validation helpers.

function checkProblem(p: Problem): void {
  if (p === null || typeof p !== "object") throw new TypeError("p must be a Problem (see sparseRegression, makeProblem)");
  const n = checkInteger("p.n", p.n, { min: 1 });
  const d = checkInteger("p.d", p.d, { min: 1 });
  checkVector("p.X", p.X, n * d);
  checkVector("p.y", p.y, n);
}

function checkKeys(name: string, o: object, allowed: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) throw new RangeError(`unknown ${name} "${key}"; allowed: ${allowed.join(", ")}`);
  }
}

function initialState(
  p: Problem,
  model: Model,
  alpha: number | Float64Array | undefined,
  init: DlnState | { w: Float64Array } | undefined,
): { u: Float64Array | null; v: Float64Array | null; w: Float64Array } {
  const d = p.d;
  if (alpha !== undefined && init !== undefined) throw new RangeError("give alpha or init, not both");
  if (model === "linear") {
    if (alpha !== undefined) throw new RangeError('alpha is the DLN initialisation scale; model "linear" starts from init.w (default 0)');
    if (init === undefined) return { u: null, v: null, w: new Float64Array(d) };
    if (init === null || typeof init !== "object" || !("w" in init)) throw new TypeError('init must be { w: Float64Array } for model "linear"');
    return { u: null, v: null, w: Float64Array.from(checkVector("init.w", init.w, d)) };
  }
  let u: Float64Array;
  let v: Float64Array;
  if (init === undefined) {
    const s = initDLN(alpha ?? 0.1, d);
    u = s.u;
    v = s.v;
  } else {
    if (init === null || typeof init !== "object" || !("u" in init) || !("v" in init)) throw new TypeError('init must be { u, v } (Float64Arrays) for model "dln"');
    u = Float64Array.from(checkVector("init.u", init.u, d));
    v = Float64Array.from(checkVector("init.v", init.v, d));
  }
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) w[j] = u[j] * v[j];
  return { u, v, w };
}

const STEPPER_KEYS = ["model", "alpha", "init", "gamma", "beta", "batchSize", "seed"] as const;
const RUN_KEYS = [...STEPPER_KEYS, "stop", "maxIterations", "snapshots", "record"] as const;

// ---------------------------------------------------------------------------------------------------------

/**
 * A low-level MGD/SMGD stepper on p (for sweep runners and custom loops); see {@link runMomentum} for the
 * high-level run with stop rules and snapshots.
 * @param p the problem (X row-major n×d, y)
 * @param opts model, alpha/init, gamma (γ > 0), beta (β ∈ [0, 1)), batchSize ∈ [1, n], seed
 * @throws TypeError/RangeError naming the bad option.
 * @example const s = createMomentumStepper(p, { gamma: 0.002, beta: 0.9 }); s.step(1000); s.state().w
 */
export function createMomentumStepper(p: Problem, opts: StepperOptions): MomentumStepper {
  return makeStepper(p, opts, STEPPER_KEYS);
}

function makeStepper(p: Problem, opts: StepperOptions, keys: readonly string[]): MomentumStepper {
  checkProblem(p);
  if (opts === null || typeof opts !== "object") throw new TypeError("options must be an object with at least gamma");
  checkKeys("option", opts, keys);
  const model = checkChoice("model", opts.model ?? "dln", ["dln", "linear"] as const);
  const gamma = checkNumber("gamma", opts.gamma, { min: 0, minOpen: true });
  const beta = checkNumber("beta", opts.beta ?? 0, { min: 0, max: 1, maxOpen: true });
  const n = p.n;
  const d = p.d;
  const batchSize = checkInteger("batchSize", opts.batchSize ?? n, { min: 1, max: n });
  const seed = checkInteger("seed", opts.seed ?? 0, { min: 0, max: 2 ** 32 - 1 });
  if (opts.alpha !== undefined) positiveScalarOrVector("alpha", opts.alpha, d);
  const start = initialState(p, model, opts.alpha, opts.init);
  const lambda = gamma / ((1 - beta) * (1 - beta));
  const h = gamma / (1 - beta);
  const X = p.X;
  const y = p.y;
  const isDln = model === "dln";

  // Current and previous iterates; the update writes θ_{k+1} over θ_{k−1}, then the two are swapped.
  let u: Float64Array = isDln ? Float64Array.from(start.u!) : new Float64Array(0);
  let v: Float64Array = isDln ? Float64Array.from(start.v!) : new Float64Array(0);
  let up: Float64Array = Float64Array.from(u);
  let vp: Float64Array = Float64Array.from(v);
  let w: Float64Array = Float64Array.from(start.w); // DLN: u⊙v, kept in step; linear: the parameter
  let wp: Float64Array = isDln ? new Float64Array(0) : Float64Array.from(w);
  const g = new Float64Array(d);
  const stochastic = batchSize < n;
  const all = new Int32Array(n); // rows 0..n−1 (full batch)
  for (let i = 0; i < n; i++) all[i] = i;
  const pool = Int32Array.from(all); // partially shuffled in place; its first batchSize entries are the batch
  const fullLoss = (): number => passRows(X, y, w, g, d, all, n, false) / (2 * n);
  const uniform = stochastic ? createRng(seed).uniform : () => 0;

  let k = 0;
  let cachedLoss = fullLoss();
  let cachedAt = 0;
  const loss0 = cachedLoss;
  if (!Number.isFinite(loss0)) throw new RangeError(`the initial loss is not finite (${loss0}); check the data and the init`);
  const divergeAt = 1e6 * Math.max(loss0, 1);

  const diverge = (iteration: number, lossValue: number, why: string): DivergenceError =>
    new DivergenceError({ iteration, loss: lossValue, gamma, beta, lambda, why, curvature: curvatureOf(p, model, start.u, start.v, start.w) });

  const currentLoss = (): number => {
    if (cachedAt !== k) {
      cachedLoss = fullLoss();
      cachedAt = k;
    }
    return cachedLoss;
  };

  const step = (count: number, lossBelow: number = -Infinity): number => {
    checkInteger("count", count, { min: 0 });
    if (typeof lossBelow !== "number" || Number.isNaN(lossBelow)) throw new TypeError(`lossBelow must be a number, got ${String(lossBelow)}`);
    const checkLoss = lossBelow > -Infinity;
    const m = stochastic ? batchSize : n;
    const c = gamma / m;
    for (let it = 0; it < count; it++) {
      if (stochastic) {
        if (checkLoss && currentLoss() < lossBelow) return it;
        for (let a = 0; a < m; a++) {
          const b = a + Math.floor(uniform() * (n - a));
          const tmp = pool[a];
          pool[a] = pool[b];
          pool[b] = tmp;
        }
        const batchLoss = passRows(X, y, w, g, d, pool, m, true) / (2 * m);
        if (!(batchLoss <= divergeAt)) {
          const full = currentLoss();
          if (!(full <= divergeAt)) throw diverge(k, full, Number.isFinite(full) ? `loss exceeds 1e6·max(L(w₀), 1) = ${divergeAt.toPrecision(3)}` : "loss is not finite");
        }
      } else {
        const lk = passRows(X, y, w, g, d, all, n, true) / (2 * n);
        cachedLoss = lk;
        cachedAt = k;
        if (lk < lossBelow) return it;
        if (!(lk <= divergeAt)) throw diverge(k, lk, Number.isFinite(lk) ? `loss exceeds 1e6·max(L(w₀), 1) = ${divergeAt.toPrecision(3)}` : "loss is not finite");
      }
      let chk: number;
      if (isDln) {
        chk = dlnUpdate(u, v, up, vp, w, g, c, beta, d);
        const tu = u;
        u = up;
        up = tu;
        const tv = v;
        v = vp;
        vp = tv;
      } else {
        chk = linearUpdate(w, wp, g, c, beta, d);
        const tw = w;
        w = wp;
        wp = tw;
      }
      k++;
      if (!Number.isFinite(chk)) throw diverge(k, NaN, "the parameters are not finite");
    }
    return count;
  };

  const snapshot = (record: RecordField[] = ["w"]): Snapshot => {
    const s: Snapshot = { k, t: k * h, loss: currentLoss(), w: Float64Array.from(w) };
    // The step loop checks the loss before each update; the state it ends on is checked here.
    if (!(s.loss <= divergeAt)) throw diverge(k, s.loss, Number.isFinite(s.loss) ? `loss exceeds 1e6·max(L(w₀), 1) = ${divergeAt.toPrecision(3)}` : "loss is not finite");
    for (const f of record) {
      if (f === "w") continue;
      else if (!isDln) throw new RangeError(`record "${f}" needs model "dln" (model is "linear")`);
      else if (f === "u") s.u = Float64Array.from(u);
      else if (f === "v") s.v = Float64Array.from(v);
      else if (f === "delta") s.delta = deltaOf(u, v);
      else throw new RangeError(`record entries must be "w", "u", "v" or "delta", got ${JSON.stringify(f)}`);
    }
    return s;
  };

  return {
    model,
    gamma,
    beta,
    lambda,
    h,
    batchSize,
    seed,
    get k() {
      return k;
    },
    get t() {
      return k * h;
    },
    loss: currentLoss,
    step,
    state(): StepperState {
      const s: StepperState = { k, t: k * h, loss: currentLoss(), w: Float64Array.from(w) };
      if (isDln) {
        s.u = Float64Array.from(u);
        s.v = Float64Array.from(v);
        s.uPrev = Float64Array.from(up);
        s.vPrev = Float64Array.from(vp);
        s.delta = deltaOf(u, v);
      } else {
        s.wPrev = Float64Array.from(wp);
      }
      return s;
    },
    snapshot,
  };
}

function deltaOf(u: Float64Array, v: Float64Array): Float64Array {
  const out: Float64Array = new Float64Array(u.length);
  for (let j = 0; j < u.length; j++) out[j] = u[j] * u[j] - v[j] * v[j];
  return out;
}

/** Next snapshot index strictly after k (Infinity if none). */
type NextSnapshot = (k: number) => number;

function sortedList(ks: number[]): NextSnapshot {
  const list = Array.from(new Set(ks)).sort((a, b) => a - b);
  let i = 0;
  return (k) => {
    while (i < list.length && list[i] <= k) i++;
    return i < list.length ? list[i] : Infinity;
  };
}

function snapshotPlan(schedule: SnapshotSchedule | undefined, horizon: number, gamma: number, beta: number): NextSnapshot {
  if (schedule === undefined) return () => Infinity;
  if (schedule === null || typeof schedule !== "object") throw new TypeError("snapshots must be an object such as { every: 100 }");
  const keys = Object.keys(schedule);
  const kinds = ["every", "logSpaced", "perDecade", "times", "iterations"];
  if (keys.length !== 1 || !kinds.includes(keys[0])) {
    throw new RangeError(`snapshots must have exactly one of ${kinds.join(", ")}, got {${keys.join(", ")}}`);
  }
  const s = schedule as Record<string, unknown>;
  if ("every" in s) {
    const m = checkInteger("snapshots.every", s.every, { min: 1 });
    return (k) => (Math.floor(k / m) + 1) * m;
  }
  if ("logSpaced" in s) {
    const count = checkInteger("snapshots.logSpaced", s.logSpaced, { min: 2 });
    if (!Number.isFinite(horizon)) {
      throw new RangeError("snapshots.logSpaced needs a horizon: give stop.iterations or stop.time, or use snapshots.perDecade for a loss-stopped run");
    }
    const ks: number[] = [];
    for (let i = 0; i < count; i++) ks.push(Math.round(Math.pow(Math.max(horizon, 1), i / (count - 1))));
    return sortedList(ks);
  }
  if ("perDecade" in s) {
    const m = checkInteger("snapshots.perDecade", s.perDecade, { min: 1 });
    return (k) => {
      // Smallest round(10^(i/m)) > k.
      let i = k < 1 ? 0 : Math.max(0, Math.floor(m * Math.log10(k)) - 1);
      while (Math.round(Math.pow(10, i / m)) <= k) i++;
      return Math.round(Math.pow(10, i / m));
    };
  }
  const listName = "times" in s ? "times" : "iterations";
  const list = s[listName];
  if (!Array.isArray(list)) throw new TypeError(`snapshots.${listName} must be an array of numbers`);
  const ks = list.map((x, i) =>
    listName === "times"
      ? iterationsForTime(checkNumber(`snapshots.times[${i}]`, x, { min: 0 }), gamma, beta)
      : checkInteger(`snapshots.iterations[${i}]`, x, { min: 0 }),
  );
  return sortedList(ks);
}

/**
 * Run GD / MGD / SGD / SMGD on the DLN (default) or on plain linear regression until the stop rule.
 * @param p the problem
 * @param opts see {@link MomentumOptions}: gamma (γ), beta (β), stop ({ iterations | time | loss }), snapshots, …
 * @returns the final state, the snapshots (k = 0 and the final iterate always included) and the stop reason
 * @throws TypeError/RangeError naming a bad option; DivergenceError if the run blows up; IterationLimitError
 *   if maxIterations is reached first.
 * @example runMomentum(sparseRegression(), { gamma: 0.002, beta: 0.9, stop: { time: 200 } }).w
 */
export function runMomentum(p: Problem, opts: MomentumOptions): RunResult {
  const t0 = performance.now();
  if (opts === null || typeof opts !== "object") throw new TypeError("options must be an object with gamma and stop");
  checkKeys("option", opts, RUN_KEYS);
  const stepper = makeStepper(p, opts, RUN_KEYS);
  const { gamma, beta } = stepper;
  const stop = opts.stop;
  if (stop === undefined || stop === null || typeof stop !== "object") {
    throw new TypeError("stop must be given: { iterations?, time?, loss? } with at least one rule");
  }
  checkKeys("stop rule", stop, ["iterations", "time", "loss"]);
  if (stop.iterations === undefined && stop.time === undefined && stop.loss === undefined) {
    throw new RangeError("stop needs at least one rule: iterations, time (continuous) or loss");
  }
  const maxIterations = checkInteger("maxIterations", opts.maxIterations ?? 1e7, { min: 1 });
  const itersK = stop.iterations === undefined ? Infinity : checkInteger("stop.iterations", stop.iterations, { min: 0 });
  const timeK = stop.time === undefined ? Infinity : iterationsForTime(checkNumber("stop.time", stop.time, { min: 0 }), gamma, beta);
  const lossBelow = stop.loss === undefined ? -Infinity : checkNumber("stop.loss", stop.loss, { min: 0, minOpen: true });
  if (itersK > maxIterations && itersK !== Infinity) {
    throw new RangeError(`stop.iterations = ${itersK} exceeds maxIterations = ${maxIterations}; raise maxIterations`);
  }
  if (timeK > maxIterations && timeK !== Infinity) {
    throw new RangeError(`stop.time = ${stop.time} needs ${timeK} iterations at h = γ/(1−β) = ${stepper.h}, more than maxIterations = ${maxIterations}; raise maxIterations`);
  }
  const record = opts.record ?? ["w"];
  if (!Array.isArray(record)) throw new TypeError('record must be an array such as ["w", "delta"]');
  for (const f of record) {
    checkChoice("record entry", f, ["w", "u", "v", "delta"] as const);
    if (stepper.model === "linear" && f !== "w") throw new RangeError(`record "${f}" needs model "dln" (model is "linear")`);
  }
  const stopK = Math.min(itersK, timeK);
  const next = snapshotPlan(opts.snapshots, stopK, gamma, beta);
  const points: Snapshot[] = [stepper.snapshot(record)];
  let nextK = next(0);
  let stopReason: RunResult["stopReason"];
  for (;;) {
    const k = stepper.k;
    if (lossBelow > -Infinity && stepper.loss() < lossBelow) {
      stopReason = "loss";
      break;
    }
    if (k >= timeK) {
      stopReason = "time";
      break;
    }
    if (k >= itersK) {
      stopReason = "iterations";
      break;
    }
    if (k >= maxIterations) throw new IterationLimitError(k, stepper.t, stepper.loss(), stop);
    const target = Math.min(stopK, nextK, maxIterations);
    const done = stepper.step(target - k, lossBelow);
    if (done < target - k) {
      stopReason = "loss";
      break;
    }
    if (stepper.k === nextK) {
      points.push(stepper.snapshot(record));
      nextK = next(stepper.k);
    }
  }
  if (points[points.length - 1].k !== stepper.k) points.push(stepper.snapshot(record));
  const s = stepper.state();
  const result: RunResult = {
    model: stepper.model,
    gamma,
    beta,
    lambda: stepper.lambda,
    h: stepper.h,
    batchSize: stepper.batchSize,
    seed: stepper.seed,
    iterations: s.k,
    time: s.t,
    loss: s.loss,
    stopReason,
    w: s.w,
    points,
    final: points[points.length - 1],
    wallMs: 0,
  };
  if (stepper.model === "dln") {
    result.u = s.u;
    result.v = s.v;
    result.delta = s.delta;
  }
  result.wallMs = performance.now() - t0;
  return result;
}
