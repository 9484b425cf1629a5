/**
 * Continuous-time flows on the diagonal linear network w = u ⊙ v (the paper's β):
 * gradient flow (GF, λ = 0) and momentum gradient flow (MGF_λ: λẅ + ẇ + ∇F(w) = 0, ẇ(0) = 0), and the same
 * two flows on plain linear regression (w itself is the parameter). Solved with dopri5 (lib/ode), sampled by
 * dense output at the requested times.
 *
 * MGF is integrated as the first-order system z = (u, v, p_u, p_v):
 *   u̇ = p_u, v̇ = p_v, ṗ_u = (−p_u − g⊙v)/λ, ṗ_v = (−p_v − g⊙u)/λ, with g = ∇L(u⊙v) = Xᵀ(Xw − y)/n.
 * λ = 0 uses the first-order GF system u̇ = −g⊙v, v̇ = −g⊙u instead (the λ → 0 limit). For tiny λ > 0 the
 * momentum relaxes on the time scale λ, so the explicit solver takes steps of order λ (the system is
 * stiff-ish): cost grows like 1/λ; use λ = 0 for the GF limit itself.
 *
 * With `integrals: true` the running integrals needed by the balancedness identities (science.md §3.1) are
 * appended to the state: ∫g, ∫g², ∫(ȧ² + ḃ²), ∫(ȧ² − ḃ²) with ȧ = (u̇+v̇)/(u+v), ḃ = (u̇−v̇)/(u−v). They
 * are meaningful only while u ± v keep their sign, so sign changes are detected and reported.
 */
import { lossAndGradient } from "../model/dln";
import type { DlnState } from "../model/dln";
import { matVec } from "../core/linalg";
import { dopri5 } from "./ode";
import type { Rhs, StepHook } from "./ode";
import type { Problem } from "../model/problems";
import { checkNumber, checkVector, positiveScalarOrVector } from "../core/validate";
import type { PathPoint, Trajectory } from "./trajectory";

export interface FlowOptions {
  /** λ = γ/(1−β)² ≥ 0, the mass of MGF; 0 = gradient flow (default 0). */
  lambda?: number;
  /** Initialisation scale α > 0 (u₀ = √2α, v₀ = 0), scalar or per coordinate (default 0.1). Ignored if `init` is given. */
  alpha?: number | Float64Array;
  /** Explicit initial (u₀, v₀); the initial velocity is always 0. */
  init?: DlnState;
  /** Final time T > 0. */
  T: number;
  /** Non-decreasing sample times in [0, T] (default 201 evenly spaced, 0 and T included). */
  times?: number[];
  /** Relative tolerance of dopri5 (default 1e-8). */
  rtol?: number;
  /** Absolute tolerance of dopri5 (default 1e-12). */
  atol?: number;
  /** Also integrate ∫g, ∫g², ∫(ȧ²+ḃ²), ∫(ȧ²−ḃ²) (default false). */
  integrals?: boolean;
  /** Stop at the first accepted step where the training loss is < stopLoss. */
  stopLoss?: number;
}

/** Running integrals from 0 to t, per coordinate. */
export interface FlowIntegrals {
  /** ∫₀ᵗ g ds with g = ∇L(w_s). */
  g: Float64Array;
  /** ∫₀ᵗ g² ds (elementwise square). */
  g2: Float64Array;
  /** ∫₀ᵗ (ȧ² + ḃ²) ds, ȧ = (u̇+v̇)/(u+v), ḃ = (u̇−v̇)/(u−v). */
  sumSq: Float64Array;
  /** ∫₀ᵗ (ȧ² − ḃ²) ds. */
  diffSq: Float64Array;
}

/** A point of a flow's path, with the velocities (and the running integrals when asked for). */
export interface FlowSample extends PathPoint {
  u: Float64Array;
  v: Float64Array;
  /** u̇ (for GF: −g⊙v). */
  du: Float64Array;
  /** v̇ (for GF: −g⊙u). */
  dv: Float64Array;
  integrals?: FlowIntegrals;
}

/** The first time coordinate `coordinate` of u+v or u−v changed sign (relative to its initial sign). */
export interface SignChange {
  coordinate: number;
  time: number;
  which: "u+v" | "u-v";
}

export interface FlowResult extends Trajectory<FlowSample> {
  lambda: number;
  /** The requested sample times reached (all of them unless stopLoss stopped the run). */
  points: FlowSample[];
  /** The state at the end: T, or the stop time when stopLoss triggered. */
  final: FlowSample;
  /** At most one entry per (coordinate, which), sorted by time. Two crossings within one solver step are not seen. */
  signChanges: SignChange[];
  /** Solver counts, and the wall time of the whole call (solve + building the samples) in ms. */
  stats: { steps: number; rejected: number; fevals: number; wallMs: number };
}

function sampleTimes(T: number, times: number[] | undefined): number[] {
  if (times === undefined) return Array.from({ length: 201 }, (_, i) => (i === 200 ? T : (T * i) / 200));
  if (!Array.isArray(times) || times.length === 0) throw new RangeError(`times must be a non-empty array of numbers in [0, T], got ${Array.isArray(times) ? "array(0)" : typeof times}`);
  for (let i = 0; i < times.length; i++) {
    checkNumber(`times[${i}]`, times[i], { min: 0, max: T });
    if (i > 0 && times[i] < times[i - 1]) throw new RangeError(`times must be sorted, got times[${i - 1}] = ${times[i - 1]} > times[${i}] = ${times[i]}`);
  }
  return times;
}

/** Solver times: the samples with 0 prepended and T appended when missing. */
function solverTimes(T: number, times: number[]): { all: number[]; first: number; count: number } {
  const all = times.slice();
  let first = 0;
  if (all[0] !== 0) {
    all.unshift(0);
    first = 1;
  }
  if (all[all.length - 1] !== T) all.push(T);
  return { all, first, count: times.length };
}

function tolerances(opts: { rtol?: number; atol?: number }): { rtol: number; atol: number } {
  return {
    rtol: checkNumber("rtol", opts.rtol ?? 1e-8, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    atol: checkNumber("atol", opts.atol ?? 1e-12, { min: 0, minOpen: true }),
  };
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

function withContext<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof Error && !(e instanceof RangeError) && !(e instanceof TypeError)) {
      throw new Error(`${what}: ${e.message}`);
    }
    throw e;
  }
}

function runDlnFlow(p: Problem, lambda: number, opts: FlowOptions, caller: string): FlowResult {
  if (typeof opts !== "object" || opts === null) throw new TypeError(`${caller}: options must be an object with at least T`);
  const d = p.d;
  const T = checkNumber("T", opts.T, { min: 0, minOpen: true });
  const times = sampleTimes(T, opts.times);
  const { rtol, atol } = tolerances(opts);
  const stopLoss = opts.stopLoss === undefined ? undefined : checkNumber("stopLoss", opts.stopLoss, { min: 0, minOpen: true });
  const withIntegrals = opts.integrals ?? false;
  if (typeof withIntegrals !== "boolean") throw new TypeError(`integrals must be a boolean, got ${typeof withIntegrals}`);
  let u0: Float64Array, v0: Float64Array;
  if (opts.init !== undefined) {
    if (typeof opts.init !== "object" || opts.init === null) throw new TypeError("init must be a DlnState {u, v}");
    u0 = checkVector("init.u", opts.init.u, d);
    v0 = checkVector("init.v", opts.init.v, d);
  } else {
    const a = positiveScalarOrVector("alpha", opts.alpha ?? 0.1, d);
    u0 = new Float64Array(d);
    for (let j = 0; j < d; j++) u0[j] = Math.SQRT2 * a[j];
    v0 = new Float64Array(d);
  }

  const momentum = lambda > 0;
  const base = momentum ? 4 * d : 2 * d;
  const iG = base, iG2 = base + d, iS = base + 2 * d, iD = base + 3 * d;
  const m = withIntegrals ? base + 4 * d : base;
  const z0 = new Float64Array(m);
  z0.set(u0, 0);
  z0.set(v0, d);

  // Scratch for the right-hand side: nothing is allocated per evaluation.
  const w = new Float64Array(d);
  const g = new Float64Array(d);
  const r = new Float64Array(p.n);
  const invLambda = momentum ? 1 / lambda : 0;
  const rhs: Rhs = (t, z, dz) => {
    for (let j = 0; j < d; j++) w[j] = z[j] * z[d + j];
    lossAndGradient(p, w, g, r);
    if (momentum) {
      for (let j = 0; j < d; j++) {
        const u = z[j], v = z[d + j], pu = z[2 * d + j], pv = z[3 * d + j];
        dz[j] = pu;
        dz[d + j] = pv;
        dz[2 * d + j] = (-pu - g[j] * v) * invLambda;
        dz[3 * d + j] = (-pv - g[j] * u) * invLambda;
        if (withIntegrals) {
          const s = u + v, dd = u - v;
          // ȧ = ṡ/s, ḃ = ḋ/d; guarded only against an exact zero (the identities are void past a crossing anyway).
          const ad = Math.abs(s) > 1e-150 ? (pu + pv) / s : 0;
          const bd = Math.abs(dd) > 1e-150 ? (pu - pv) / dd : 0;
          dz[iG + j] = g[j];
          dz[iG2 + j] = g[j] * g[j];
          dz[iS + j] = ad * ad + bd * bd;
          dz[iD + j] = ad * ad - bd * bd;
        }
      }
    } else {
      for (let j = 0; j < d; j++) {
        const gj = g[j];
        dz[j] = -gj * z[d + j];
        dz[d + j] = -gj * z[j];
        if (withIntegrals) {
          // Under GF ȧ = −g and ḃ = g exactly.
          dz[iG + j] = gj;
          dz[iG2 + j] = gj * gj;
          dz[iS + j] = 2 * gj * gj;
          dz[iD + j] = 0;
        }
      }
    }
  };

  // Sign tracking of s = u+v and d = u−v against their initial signs (a zero start adopts the first nonzero sign).
  const signS = new Int8Array(d), signD = new Int8Array(d);
  for (let j = 0; j < d; j++) {
    signS[j] = Math.sign(u0[j] + v0[j]);
    signD[j] = Math.sign(u0[j] - v0[j]);
  }
  const doneS = new Uint8Array(d), doneD = new Uint8Array(d);
  const signChanges: SignChange[] = [];
  const zq = new Float64Array(m);
  const rStop = new Float64Array(p.n);
  const locate = (j: number, plus: boolean, s0: number, tA: number, tB: number, interp: (tq: number, out: Float64Array) => void): number => {
    let a = tA, b = tB;
    for (let it = 0; it < 60 && b - a > 1e-14 * Math.max(1, Math.abs(b)); it++) {
      const mid = 0.5 * (a + b);
      interp(mid, zq);
      const val = plus ? zq[j] + zq[d + j] : zq[j] - zq[d + j];
      if (Math.sign(val) === s0) a = mid;
      else b = mid;
    }
    return b;
  };
  const onStep: StepHook = (t, z, tPrev, interp) => {
    const found: SignChange[] = [];
    for (let j = 0; j < d; j++) {
      const s = Math.sign(z[j] + z[d + j]);
      const dd = Math.sign(z[j] - z[d + j]);
      if (signS[j] === 0) signS[j] = s;
      else if (!doneS[j] && s !== 0 && s !== signS[j]) {
        doneS[j] = 1;
        found.push({ coordinate: j, time: locate(j, true, signS[j], tPrev, t, interp), which: "u+v" });
      }
      if (signD[j] === 0) signD[j] = dd;
      else if (!doneD[j] && dd !== 0 && dd !== signD[j]) {
        doneD[j] = 1;
        found.push({ coordinate: j, time: locate(j, false, signD[j], tPrev, t, interp), which: "u-v" });
      }
    }
    if (found.length > 0) {
      found.sort((x, y) => x.time - y.time || x.coordinate - y.coordinate);
      for (const f of found) signChanges.push(f);
    }
    if (stopLoss !== undefined) {
      for (let j = 0; j < d; j++) w[j] = z[j] * z[d + j];
      matVec(p.X, p.n, d, w, rStop);
      let loss = 0;
      for (let i = 0; i < p.n; i++) loss += (rStop[i] - p.y[i]) ** 2;
      if (loss / (2 * p.n) < stopLoss) return true;
    }
    return false;
  };

  const st = solverTimes(T, times);
  const start = now();
  const res = withContext(`${caller}(λ = ${lambda})`, () =>
    dopri5(rhs, z0, st.all, { rtol, atol, errorDims: base, onStep }),
  );
  const sgBuf = new Float64Array(d);
  const rBuf = new Float64Array(p.n);
  const makeSample = (t: number, z: Float64Array): FlowSample => {
    const u = z.slice(0, d), v = z.slice(d, 2 * d);
    const ww = new Float64Array(d);
    for (let j = 0; j < d; j++) ww[j] = u[j] * v[j];
    const loss = lossAndGradient(p, ww, sgBuf, rBuf);
    let du: Float64Array, dv: Float64Array;
    if (momentum) {
      du = z.slice(2 * d, 3 * d);
      dv = z.slice(3 * d, 4 * d);
    } else {
      du = new Float64Array(d);
      dv = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        du[j] = -sgBuf[j] * v[j];
        dv[j] = -sgBuf[j] * u[j];
      }
    }
    const sample: FlowSample = { t, w: ww, u, v, du, dv, loss };
    if (withIntegrals) {
      sample.integrals = { g: z.slice(iG, iG + d), g2: z.slice(iG2, iG2 + d), sumSq: z.slice(iS, iS + d), diffSq: z.slice(iD, iD + d) };
    }
    return sample;
  };
  const samples: FlowSample[] = [];
  for (let k = st.first; k < Math.min(res.t.length, st.first + st.count); k++) samples.push(makeSample(res.t[k], res.y[k]));
  const final = makeSample(res.tEnd, res.yEnd);
  signChanges.sort((x, y) => x.time - y.time || x.coordinate - y.coordinate);
  return { lambda, points: samples, final, signChanges, stats: { ...res.stats, wallMs: now() - start } };
}

/**
 * Momentum gradient flow MGF_λ on the DLN: λẅ + ẇ + ∇F(w) = 0 with w = (u, v), w(0) = (u₀, v₀), ẇ(0) = 0.
 * λ = 0 gives gradient flow (solved as the first-order system).
 * @param p regression problem
 * @param opts lambda (λ = γ/(1−β)² ≥ 0), alpha (α), init, T, times, rtol, atol, integrals, stopLoss
 * @returns samples at the requested times, the final state, the first sign changes of u ± v, solver stats
 * @throws RangeError/TypeError for bad options; Error naming t if the solver fails (blow-up, maxSteps).
 * @example
 * const r = momentumFlow(sparseRegression(), { lambda: 0.2, T: 200 });
 * r.final.loss // < 1e-6
 */
export function momentumFlow(p: Problem, opts: FlowOptions): FlowResult {
  if (typeof opts !== "object" || opts === null) throw new TypeError("momentumFlow: options must be an object with at least T");
  const lambda = checkNumber("lambda", opts.lambda ?? 0, { min: 0 });
  return runDlnFlow(p, lambda, opts, "momentumFlow");
}

/**
 * Gradient flow on the DLN: u̇ = −g⊙v, v̇ = −g⊙u (conserves Δ = u² − v²).
 * @param p regression problem
 * @param opts alpha (α), init, T, times, rtol, atol, integrals, stopLoss
 * @throws RangeError/TypeError for bad options (including a nonzero `lambda`: use momentumFlow).
 * @example gradientFlow(toyProblem(), { T: 100 }).final.w // ≈ (0.965, 0.069)
 */
export function gradientFlow(p: Problem, opts: Omit<FlowOptions, "lambda">): FlowResult {
  if (typeof opts !== "object" || opts === null) throw new TypeError("gradientFlow: options must be an object with at least T");
  const l = (opts as FlowOptions).lambda;
  if (l !== undefined && l !== 0) throw new RangeError(`gradientFlow has λ = 0; got lambda = ${l} (use momentumFlow for λ > 0)`);
  return runDlnFlow(p, 0, opts, "gradientFlow");
}

/** A point of a flow on plain linear regression (no network: no u, v). */
export type LinearFlowSample = PathPoint;

/**
 * MGF_λ on plain linear regression (no network): λẅ + ẇ + ∇L(w) = 0, w(0) = w₀, ẇ(0) = 0; λ = 0 is GF ẇ = −∇L(w).
 * From w₀ = 0 it converges to the minimum-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y for every λ (momentum does not change
 * the implicit bias of plain least squares).
 * @param p regression problem
 * @param opts lambda (λ ≥ 0, default 0), w0 (default 0), T, times (default 201 evenly spaced), rtol, atol
 * @throws RangeError/TypeError for bad options; Error naming t if the solver fails.
 */
export function linearMomentumFlow(
  p: Problem,
  opts: { lambda?: number; w0?: Float64Array; T: number; times?: number[]; rtol?: number; atol?: number },
): Trajectory<LinearFlowSample> {
  if (typeof opts !== "object" || opts === null) throw new TypeError("linearMomentumFlow: options must be an object with at least T");
  const d = p.d;
  const lambda = checkNumber("lambda", opts.lambda ?? 0, { min: 0 });
  const T = checkNumber("T", opts.T, { min: 0, minOpen: true });
  const times = sampleTimes(T, opts.times);
  const { rtol, atol } = tolerances(opts);
  const w0 = opts.w0 === undefined ? new Float64Array(d) : checkVector("w0", opts.w0, d);
  const momentum = lambda > 0;
  const z0 = new Float64Array(momentum ? 2 * d : d);
  z0.set(w0);
  const g = new Float64Array(d);
  const r = new Float64Array(p.n);
  const wBuf = new Float64Array(d);
  const inv = momentum ? 1 / lambda : 0;
  const rhs: Rhs = (t, z, dz) => {
    for (let j = 0; j < d; j++) wBuf[j] = z[j];
    lossAndGradient(p, wBuf, g, r);
    if (momentum) {
      for (let j = 0; j < d; j++) {
        dz[j] = z[d + j];
        dz[d + j] = (-z[d + j] - g[j]) * inv;
      }
    } else {
      for (let j = 0; j < d; j++) dz[j] = -g[j];
    }
  };
  const st = solverTimes(T, times);
  const res = withContext(`linearMomentumFlow(λ = ${lambda})`, () => dopri5(rhs, z0, st.all, { rtol, atol }));
  const make = (t: number, z: Float64Array): LinearFlowSample => {
    const w = z.slice(0, d);
    return { t, w, loss: lossAndGradient(p, w, g, r) };
  };
  const samples: LinearFlowSample[] = [];
  for (let k = st.first; k < st.first + st.count; k++) samples.push(make(res.t[k], res.y[k]));
  return { lambda, points: samples, final: make(res.tEnd, res.yEnd) };
}
