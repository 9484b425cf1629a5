/**
 * GD, MGD (heavy ball), SGD and SMGD as one stepper, on the diagonal linear network (parameters (u, v),
 * F(u, v) = L(u ⊙ v)) or on plain linear regression (parameter w, F = L(w)), with L(w) = ‖Xw − y‖²/(2n):
 *
 *   θ_{k+1} = θ_k − γ ∇F(θ_k) + β (θ_k − θ_{k−1}),   θ_{−1} = θ_0,
 *
 * β = 0 is GD; a batch size below n replaces ∇L by the mean over a batch of distinct samples (SGD/SMGD).
 * Names: `gamma` = γ, `beta` = β (momentum), `lambda` = λ = γ/(1−β)², `h` = γ/(1−β) (continuous time per
 * iteration, t_k = k·h), `alpha` = α (init scale), `delta` = Δ = u² − v². The regression vector is `w`.
 * The formulas for λ, h, Δ, u₀ = √2α, the loss and the stop rules live in lib/model (momentum.ts, dln.ts); the
 * hot loop is in mgd-kernels.ts (WebAssembly with a bit-identical TypeScript reference).
 */
import { createRng } from "../core/random";
import { checkChoice, checkInteger, checkNumber, positiveScalarOrVector } from "../core/validate";
import { balancedness, lossFromSquaredResiduals, type DlnState } from "../model/dln";
import { checkStopRule, lambdaOf, stopTimeIterations, timeStep, type StopRule } from "../model/momentum";
import type { Problem } from "../model/problems";
import { curvatureOf, DivergenceError, IterationLimitError } from "./divergence";
import { createRunBuffers, type RunBuffers } from "./mgd-kernels";
import { checkKeys, checkProblem, divergenceLimit, initialState, lossDivergenceReason, type Model, type StartState } from "./run-setup";
import { snapshotPlan, type SnapshotSchedule } from "./snapshots";
import type { PathPoint, Trajectory } from "./trajectory";

export { curvatureEstimate, DivergenceError, IterationLimitError, type CurvatureEstimate } from "./divergence";
export type { Model } from "./run-setup";
export type { SnapshotSchedule } from "./snapshots";
export type { StopRule } from "../model/momentum";

/** What a snapshot stores besides k, t and the loss: w = u⊙v (or the linear parameter), u, v, Δ = u² − v². */
export type RecordField = "w" | "u" | "v" | "delta";

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

const STEPPER_KEYS = ["model", "alpha", "init", "gamma", "beta", "batchSize", "seed"] as const;
const RUN_KEYS = [...STEPPER_KEYS, "stop", "maxIterations", "snapshots", "record"] as const;

/** The checked options of a stepper. */
interface StepperConfig {
  model: Model;
  gamma: number;
  beta: number;
  lambda: number;
  h: number;
  batchSize: number;
  seed: number;
  start: StartState;
}

/** A stepper's state: its buffers, its iteration count, the cached full-batch loss and the divergence limit. */
interface RunState {
  p: Problem;
  cfg: StepperConfig;
  buf: RunBuffers;
  k: number;
  cachedLoss: number;
  cachedAt: number;
  limit: number;
  uniform: () => number;
}

function stepperConfig(p: Problem, opts: StepperOptions, keys: readonly string[]): StepperConfig {
  checkProblem(p);
  if (opts === null || typeof opts !== "object") throw new TypeError("options must be an object with at least gamma");
  checkKeys("option", opts, keys);
  const model = checkChoice("model", opts.model ?? "dln", ["dln", "linear"] as const);
  const gamma = checkNumber("gamma", opts.gamma, { min: 0, minOpen: true });
  const beta = checkNumber("beta", opts.beta ?? 0, { min: 0, max: 1, maxOpen: true });
  const batchSize = checkInteger("batchSize", opts.batchSize ?? p.n, { min: 1, max: p.n });
  const seed = checkInteger("seed", opts.seed ?? 0, { min: 0, max: 2 ** 32 - 1 });
  if (opts.alpha !== undefined) positiveScalarOrVector("alpha", opts.alpha, p.d);
  const start = initialState(p, model, opts.alpha, opts.init);
  return { model, gamma, beta, lambda: lambdaOf(gamma, beta), h: timeStep(gamma, beta), batchSize, seed, start };
}

function diverged(s: RunState, iteration: number, loss: number, why: string): DivergenceError {
  const { cfg, p } = s;
  const curvature = curvatureOf(p, cfg.model, cfg.start.u, cfg.start.v, cfg.start.w);
  return new DivergenceError({ iteration, loss, gamma: cfg.gamma, beta: cfg.beta, lambda: cfg.lambda, why, curvature });
}

/** The full-batch loss L(w_k), computed at most once per iterate. */
function currentLoss(s: RunState): number {
  if (s.cachedAt !== s.k) {
    s.cachedLoss = lossFromSquaredResiduals(s.buf.pass("all", s.p.n, false), s.p.n);
    s.cachedAt = s.k;
  }
  return s.cachedLoss;
}

/** The momentum update with c = γ/m from the gradient just computed; k advances. */
function advance(s: RunState, m: number): void {
  const finite = s.buf.update(s.cfg.gamma / m, s.cfg.beta);
  s.k++;
  if (!finite) throw diverged(s, s.k, NaN, "the parameters are not finite");
}

/** One full-batch iteration, unless the loss at the current iterate is below lossBelow (then false). */
function fullBatchIteration(s: RunState, lossBelow: number): boolean {
  const n = s.p.n;
  const lk = lossFromSquaredResiduals(s.buf.pass("all", n, true), n);
  s.cachedLoss = lk;
  s.cachedAt = s.k;
  if (lk < lossBelow) return false;
  if (!(lk <= s.limit)) throw diverged(s, s.k, lk, lossDivergenceReason(lk, s.limit));
  advance(s, n);
  return true;
}

/** The first m entries of pool become a uniform sample of distinct rows (a partial Fisher–Yates shuffle). */
function sampleBatch(pool: Int32Array, m: number, n: number, uniform: () => number): void {
  for (let a = 0; a < m; a++) {
    const b = a + Math.floor(uniform() * (n - a));
    const tmp = pool[a];
    pool[a] = pool[b];
    pool[b] = tmp;
  }
}

/** One mini-batch iteration, unless a loss check finds the full-batch loss below lossBelow (then false). */
function miniBatchIteration(s: RunState, lossBelow: number): boolean {
  if (lossBelow > -Infinity && currentLoss(s) < lossBelow) return false;
  const m = s.cfg.batchSize;
  sampleBatch(s.buf.pool, m, s.p.n, s.uniform);
  const batchLoss = lossFromSquaredResiduals(s.buf.pass("pool", m, true), m);
  if (!(batchLoss <= s.limit)) {
    const full = currentLoss(s);
    if (!(full <= s.limit)) throw diverged(s, s.k, full, lossDivergenceReason(full, s.limit));
  }
  advance(s, m);
  return true;
}

function snapshotOf(s: RunState, record: RecordField[] = ["w"]): Snapshot {
  const { buf, cfg } = s;
  const out: Snapshot = { k: s.k, t: s.k * cfg.h, loss: currentLoss(s), w: Float64Array.from(buf.w) };
  // The step loop checks the loss before each update; the state it ends on is checked here.
  if (!(out.loss <= s.limit)) throw diverged(s, s.k, out.loss, lossDivergenceReason(out.loss, s.limit));
  for (const f of record) {
    if (f === "w") continue;
    else if (cfg.model !== "dln") throw new RangeError(`record "${f}" needs model "dln" (model is "linear")`);
    else if (f === "u") out.u = Float64Array.from(buf.u);
    else if (f === "v") out.v = Float64Array.from(buf.v);
    else if (f === "delta") out.delta = balancedness(buf.u, buf.v);
    else throw new RangeError(`record entries must be "w", "u", "v" or "delta", got ${JSON.stringify(f)}`);
  }
  return out;
}

function stateOf(s: RunState): StepperState {
  const { buf } = s;
  const out: StepperState = { k: s.k, t: s.k * s.cfg.h, loss: currentLoss(s), w: Float64Array.from(buf.w) };
  if (s.cfg.model === "dln") {
    out.u = Float64Array.from(buf.u);
    out.v = Float64Array.from(buf.v);
    out.uPrev = Float64Array.from(buf.uPrev);
    out.vPrev = Float64Array.from(buf.vPrev);
    out.delta = balancedness(buf.u, buf.v);
  } else {
    out.wPrev = Float64Array.from(buf.wPrev);
  }
  return out;
}

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
  const cfg = stepperConfig(p, opts, keys);
  const stochastic = cfg.batchSize < p.n;
  const s: RunState = {
    p,
    cfg,
    buf: createRunBuffers(p.X, p.y, p.n, p.d, cfg.start),
    k: 0,
    cachedLoss: NaN,
    cachedAt: -1,
    limit: Infinity,
    uniform: stochastic ? createRng(cfg.seed).uniform : () => 0,
  };
  const loss0 = currentLoss(s);
  if (!Number.isFinite(loss0)) throw new RangeError(`the initial loss is not finite (${loss0}); check the data and the init`);
  s.limit = divergenceLimit(loss0);
  const iteration = stochastic ? miniBatchIteration : fullBatchIteration;
  const step = (count: number, lossBelow: number = -Infinity): number => {
    checkInteger("count", count, { min: 0 });
    if (typeof lossBelow !== "number" || Number.isNaN(lossBelow)) throw new TypeError(`lossBelow must be a number, got ${String(lossBelow)}`);
    for (let it = 0; it < count; it++) if (!iteration(s, lossBelow)) return it;
    return count;
  };
  return {
    model: cfg.model,
    gamma: cfg.gamma,
    beta: cfg.beta,
    lambda: cfg.lambda,
    h: cfg.h,
    batchSize: cfg.batchSize,
    seed: cfg.seed,
    get k() {
      return s.k;
    },
    get t() {
      return s.k * cfg.h;
    },
    loss: () => currentLoss(s),
    step,
    state: () => stateOf(s),
    snapshot: (record?: RecordField[]) => snapshotOf(s, record),
  };
}

/** The checked run-level options of runMomentum (the stepper checks its own). */
function runOptions(opts: MomentumOptions, stepper: MomentumStepper): { maxIterations: number; stopK: number; itersK: number; timeK: number; lossBelow: number; record: RecordField[] } {
  const maxIterations = checkInteger("maxIterations", opts.maxIterations ?? 1e7, { min: 1 });
  const limits = checkStopRule(opts.stop, maxIterations);
  const timeK = stopTimeIterations(limits.time, stepper.gamma, stepper.beta, maxIterations);
  const record = opts.record ?? ["w"];
  if (!Array.isArray(record)) throw new TypeError('record must be an array such as ["w", "delta"]');
  for (const f of record) {
    checkChoice("record entry", f, ["w", "u", "v", "delta"] as const);
    if (stepper.model === "linear" && f !== "w") throw new RangeError(`record "${f}" needs model "dln" (model is "linear")`);
  }
  return { maxIterations, stopK: Math.min(limits.iterations, timeK), itersK: limits.iterations, timeK, lossBelow: limits.loss, record };
}

/** Step until the stop rule, taking the planned snapshots; returns the stop reason. */
function runToStop(stepper: MomentumStepper, o: ReturnType<typeof runOptions>, next: (k: number) => number, points: Snapshot[], stop: StopRule): RunResult["stopReason"] {
  let nextK = next(0);
  for (;;) {
    const k = stepper.k;
    if (o.lossBelow > -Infinity && stepper.loss() < o.lossBelow) return "loss";
    if (k >= o.timeK) return "time";
    if (k >= o.itersK) return "iterations";
    if (k >= o.maxIterations) throw new IterationLimitError(k, stepper.t, stepper.loss(), stop);
    const target = Math.min(o.stopK, nextK, o.maxIterations);
    const done = stepper.step(target - k, o.lossBelow);
    if (done < target - k) return "loss";
    if (stepper.k === nextK) {
      points.push(stepper.snapshot(o.record));
      nextK = next(stepper.k);
    }
  }
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
  const o = runOptions(opts, stepper);
  const next = snapshotPlan(opts.snapshots, o.stopK, stepper.gamma, stepper.beta);
  const points: Snapshot[] = [stepper.snapshot(o.record)];
  const stopReason = runToStop(stepper, o, next, points, opts.stop);
  if (points[points.length - 1].k !== stepper.k) points.push(stepper.snapshot(o.record));
  const s = stepper.state();
  const result: RunResult = {
    model: stepper.model,
    gamma: stepper.gamma,
    beta: stepper.beta,
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
