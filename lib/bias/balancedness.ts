/**
 * The balancedness Δ = u² − v² under momentum (08-theory.ipynb#balancedness-identity, #mirror-identity, #implicit-problem, #projection): its limit Δ∞, the exact MGF identities
 * behind it, the first-order prediction Δ₀·exp(−2λ∫g²), and the implicit-regularisation problem it defines,
 *
 *   w∞^MGF = argmin_{Xw=y} D_ψ_{Δ∞}(w, w̃₀),   w̃₀ = (Δ∞/2)·sinh(asinh(2w₀/Δ₀) − λ∫(ȧ² − ḃ²)),
 *
 * with a = ln(u+v), b = ln(u−v). All identities need u ± v to keep their sign (no crossing); the functions say
 * so when a run reports sign changes.
 */
import { gradPsi } from "./entropy";
import type { FlowIntegrals, FlowResult, FlowSample } from "../dynamics/flows";
import { minPsiInterpolator } from "./interpolators";
import type { MinPsiResult } from "./interpolators";
import type { LinearSystem } from "./linear-system";
import { distance } from "../core/linalg";
import { checkNumber, checkPositiveVector, checkVector, positiveScalarOrVector } from "../core/validate";

/**
 * Δ∞ = u² − v² at the end of a run (an MGF/GF FlowSample, or the final {u, v} of a discrete MGD run).
 * @param final the last state {u, v}
 * @returns Δ (entries may be negative after a u − v crossing)
 */
export function deltaInfinity(final: { u: Float64Array; v: Float64Array }): Float64Array {
  if (final == null || typeof final !== "object") throw new TypeError("final must be a state {u, v}");
  const u = checkVector("final.u", final.u);
  const v = checkVector("final.v", final.v, u.length);
  const out = new Float64Array(u.length);
  for (let j = 0; j < u.length; j++) out[j] = u[j] * u[j] - v[j] * v[j];
  return out;
}

function requireIntegrals(sample: FlowSample, caller: string): FlowIntegrals {
  if (!sample || typeof sample !== "object") throw new TypeError(`${caller}: sample must be a FlowSample`);
  if (!sample.integrals) throw new RangeError(`${caller}: the sample has no integrals; run the flow with { integrals: true }`);
  return sample.integrals;
}

export interface IdentityResiduals {
  /** ln Δ_t + λ(ln Δ)'_t − ln Δ₀ + λ∫₀ᵗ(ȧ² + ḃ²), per coordinate (0 exactly under MGF). */
  balancedness: Float64Array;
  /** ½ ln(s/d)_t + (λ/2)(ȧ − ḃ)_t − ½ ln(s/d)₀ + ∫₀ᵗ g + (λ/2)∫₀ᵗ(ȧ² − ḃ²), per coordinate (0 exactly). */
  mirror: Float64Array;
  /** max |·| over both. */
  max: number;
}

/**
 * Residuals of the two exact MGF identities (08-theory.ipynb#balancedness-identity, #mirror-identity; claims 7–8) at one sample.
 * (ln Δ)' = 2(u u̇ − v v̇)/Δ = ȧ + ḃ and ½ asinh(2w/Δ) = ½ ln(s/d) with s = u + v, d = u − v.
 * @param sample a FlowSample from momentumFlow/gradientFlow with `integrals: true`
 * @param Delta0 Δ₀ = u₀² − v₀² (number or vector; 2α² for the default init)
 * @param lambda λ ≥ 0 of the run
 * @param w0 w₀ = u₀ ⊙ v₀ (default 0)
 * @throws RangeError if the sample has no integrals, or if Δ_t ≤ 0 (u − v crossed 0: the identities no longer apply)
 */
export function mgfIdentityResidual(sample: FlowSample, Delta0: number | Float64Array, lambda: number, w0?: Float64Array): IdentityResiduals {
  const I = requireIntegrals(sample, "mgfIdentityResidual");
  const { u, v, du, dv } = sample;
  const d = u.length;
  const D0 = positiveScalarOrVector("Delta0", Delta0, d);
  const lam = checkNumber("lambda", lambda, { min: 0 });
  const W0 = w0 === undefined ? new Float64Array(d) : checkVector("w0", w0, d);
  const bal = new Float64Array(d);
  const mir = new Float64Array(d);
  let max = 0;
  for (let j = 0; j < d; j++) {
    const s = u[j] + v[j];
    const dd = u[j] - v[j];
    const D = s * dd;
    if (!(D > 0)) throw new RangeError(`mgfIdentityResidual: Δ_t[${j}] = ${D} ≤ 0 (u ± v changed sign), so the log-form identities do not apply`);
    const ad = (du[j] + dv[j]) / s;
    const bd = (du[j] - dv[j]) / dd;
    bal[j] = Math.log(D) + lam * (ad + bd) - Math.log(D0[j]) + lam * I.sumSq[j];
    // ½ asinh(2w/Δ) is computed as ½ ln(s/d) = ½(a − b), accurate also where w ≫ Δ
    const lhs = 0.5 * Math.log(s / dd) + 0.5 * lam * (ad - bd);
    mir[j] = lhs - 0.5 * Math.asinh((2 * W0[j]) / D0[j]) + I.g[j] + 0.5 * lam * I.diffSq[j];
    max = Math.max(max, Math.abs(bal[j]), Math.abs(mir[j]));
  }
  return { balancedness: bal, mirror: mir, max };
}

/**
 * First-order (in λ) prediction Δ∞ ≈ Δ₀ ⊙ exp(−2λ∫₀^∞ g_GF²) (08-theory.ipynb#first-order-delta; claim 12).
 * @param g2 ∫g² of a gradient-flow run: a vector, or the run's `integrals` (its g2 is used)
 * @param Delta0 Δ₀ (number or vector); @param lambda λ ≥ 0
 */
export function firstOrderDelta(g2: Float64Array | FlowIntegrals, Delta0: number | Float64Array, lambda: number): Float64Array {
  const G2 = checkVector("g2", g2 instanceof Float64Array ? g2 : g2?.g2);
  const D0 = positiveScalarOrVector("Delta0", Delta0, G2.length);
  const lam = checkNumber("lambda", lambda, { min: 0 });
  const out = new Float64Array(G2.length);
  for (let j = 0; j < G2.length; j++) out[j] = D0[j] * Math.exp(-2 * lam * G2[j]);
  return out;
}

/**
 * The Bregman base point w̃₀ of the exact MGF characterisation (08-theory.ipynb#implicit-problem):
 * ∇ψ_Δ∞(w̃₀) = ∇ψ_Δ₀(w₀) − (λ/2)∫(ȧ² − ḃ²), i.e. w̃₀ = (Δ∞/2)⊙sinh(asinh(2w₀/Δ₀) − λ∫(ȧ² − ḃ²))
 * (= (Δ∞/2)⊙sinh(−λ∫(ȧ² − ḃ²)) for w₀ = 0).
 * @param DeltaInf Δ∞ > 0 (vector or number); @param lambda λ ≥ 0; @param diffSq ∫₀^∞(ȧ² − ḃ²) per coordinate
 * @param init optional {w0, Delta0} for w₀ ≠ 0
 * @throws RangeError if some Δ∞ ≤ 0 (a u − v crossing: the characterisation does not apply)
 */
export function offsetPoint(
  DeltaInf: number | Float64Array,
  lambda: number,
  diffSq: Float64Array,
  init: { w0?: Float64Array; Delta0?: number | Float64Array } = {},
): Float64Array {
  const dq = checkVector("diffSq", diffSq);
  const d = dq.length;
  if (DeltaInf instanceof Float64Array) {
    checkVector("DeltaInf", DeltaInf, d);
    for (let j = 0; j < d; j++) {
      if (!(DeltaInf[j] > 0)) throw new RangeError(`DeltaInf[${j}] = ${DeltaInf[j]} ≤ 0: u − v crossed 0 in this run, so the Bregman characterisation does not apply`);
    }
  }
  const Dinf = positiveScalarOrVector("DeltaInf", DeltaInf, d);
  const lam = checkNumber("lambda", lambda, { min: 0 });
  let base: Float64Array | null = null;
  if (init.w0 !== undefined) {
    if (init.Delta0 === undefined) throw new RangeError("offsetPoint: init.w0 needs init.Delta0");
    base = gradPsi(checkVector("init.w0", init.w0, d), positiveScalarOrVector("init.Delta0", init.Delta0, d));
  }
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) out[j] = 0.5 * Dinf[j] * Math.sinh((base ? 2 * base[j] : 0) - lam * dq[j]);
  return out;
}

export interface MomentumRunSummary {
  lambda: number;
  /** Δ₀ used (from the options or the run's t = 0 sample). */
  Delta0: Float64Array;
  /** Δ∞ = u² − v² at the end of the run. */
  DeltaInf: Float64Array;
  /** Δ∞/Δ₀ per coordinate. */
  ratio: Float64Array;
  /** The run's limit w∞ (its final w). */
  wInf: Float64Array;
  /** Training loss at the end (should be ≈ 0 for the characterisation to apply). */
  finalLoss: number;
  /** w̃₀, the Bregman base point (null when the run is invalid). */
  offsetPoint: Float64Array | null;
  /** argmin_{Xw=y} D_ψΔ∞(w, w̃₀): the exact prediction (null when invalid). */
  exact: MinPsiResult | null;
  /** argmin_{Xw=y} ψ_Δ∞(w): the approximate prediction, dropping w̃₀ (null when some Δ∞ ≤ 0). */
  approx: MinPsiResult | null;
  /** ‖w∞ − exact‖₂ and ‖w∞ − approx‖₂ (NaN when not computed). */
  errExact: number;
  errApprox: number;
  /** True when no u ± v sign change was reported and all Δ∞ > 0 (the identities apply). */
  valid: boolean;
  signChanges: number;
}

/**
 * One call for the implicit-regularisation check of an MGF run (08-theory.ipynb#implicit-problem; claims 9–10): Δ∞, Δ∞/Δ₀, the exact
 * prediction argmin D_ψΔ∞(·, w̃₀), the approximate argmin ψ_Δ∞, and their distances to the run's own limit.
 * @param p the problem of the run
 * @param run a momentumFlow result with `integrals: true`, run long enough that the loss is ≈ 0
 * @param opts lambda (default run.lambda); Delta0 or alpha (Δ₀ = 2α²) (default: from the run's t = 0 sample)
 * @throws RangeError if Δ₀ cannot be determined or the final sample has no integrals
 */
export function summarizeMomentumRun(
  p: LinearSystem,
  run: FlowResult,
  opts: { lambda?: number; alpha?: number | Float64Array; Delta0?: number | Float64Array } = {},
): MomentumRunSummary {
  if (!run || typeof run !== "object" || !run.final) throw new TypeError("run must be a FlowResult from momentumFlow");
  const fin = run.final;
  const I = requireIntegrals(fin, "summarizeMomentumRun");
  const d = fin.u.length;
  const lambda = checkNumber("lambda", opts.lambda ?? run.lambda, { min: 0 });
  let Delta0: Float64Array;
  let w0: Float64Array | null = null;
  const first = run.points[0];
  if (opts.Delta0 !== undefined) Delta0 = positiveScalarOrVector("Delta0", opts.Delta0, d);
  else if (opts.alpha !== undefined) {
    const a = positiveScalarOrVector("alpha", opts.alpha, d);
    Delta0 = Float64Array.from(a, (x) => 2 * x * x);
  } else if (first && first.t === 0) {
    Delta0 = deltaInfinity(first);
    for (let j = 0; j < d; j++) if (!(Delta0[j] > 0)) throw new RangeError(`summarizeMomentumRun: Δ₀[${j}] = ${Delta0[j]} ≤ 0 at t = 0; pass Delta0`);
  } else {
    throw new RangeError("summarizeMomentumRun: pass Delta0 or alpha (the run has no t = 0 sample to read Δ₀ from)");
  }
  if (first && first.t === 0 && first.w.some((x) => x !== 0)) w0 = first.w;
  const DeltaInf = deltaInfinity(fin);
  const ratio = Float64Array.from(DeltaInf, (x, j) => x / Delta0[j]);
  const positive = DeltaInf.every((x) => x > 0);
  const valid = positive && run.signChanges.length === 0;
  let off: Float64Array | null = null;
  let exact: MinPsiResult | null = null;
  let approx: MinPsiResult | null = null;
  if (positive) approx = minPsiInterpolator(p, DeltaInf);
  if (valid) {
    off = offsetPoint(DeltaInf, lambda, I.diffSq, w0 ? { w0, Delta0 } : {});
    exact = minPsiInterpolator(p, DeltaInf, { offsetPoint: off });
  }
  return {
    lambda,
    Delta0,
    DeltaInf,
    ratio,
    wInf: fin.w,
    finalLoss: fin.loss,
    offsetPoint: off,
    exact,
    approx,
    errExact: exact ? distance(fin.w, exact.w) : NaN,
    errApprox: approx ? distance(fin.w, approx.w) : NaN,
    valid,
    signChanges: run.signChanges.length,
  };
}

export interface ProjectedLimit {
  /** |Δ∞| ≈ |Δ_t|·exp(λ(ȧ + ḃ)(t)). */
  DeltaInf: Float64Array;
  /** θ = (a − b)(t) + λ(ȧ − ḃ)(t), a = ln|u+v|, b = ln|u−v|; the offset of the problem is c = θ/2. */
  theta: Float64Array;
  /** w∞ ≈ argmin_{Xw=y} ψ_|Δ∞|(w) − ⟨θ/2, w⟩. */
  w: Float64Array;
  /** The solver's report. */
  solve: MinPsiResult;
}

/**
 * Projects a GF/MGF state at time t to the flow's limit with the exact identities (08-theory.ipynb#projection): the limit is
 * argmin_{Xw=y} ψ_|Δ∞|(w) − ⟨θ/2, w⟩ with |Δ∞| = |Δ_t|·exp(λ(ȧ + ḃ)(t)) and θ = (a − b)(t) + λ(ȧ − ḃ)(t).
 * Exact for GF (λ = 0, where Δ is conserved); for MGF it drops only the tails λ∫_t^∞(ȧ² ± ḃ²), so project from a
 * time where the velocities are small. Useful when small α makes the flow converge slowly.
 * @param p the problem; @param sample a FlowSample (u, v, du, dv at time t); @param lambda λ ≥ 0 of the run
 * @throws RangeError if some u ± v is exactly 0 at t
 */
export function projectToLimit(p: LinearSystem, sample: { u: Float64Array; v: Float64Array; du: Float64Array; dv: Float64Array }, lambda: number, options: { tol?: number; maxIterations?: number } = {}): ProjectedLimit {
  if (!sample || typeof sample !== "object") throw new TypeError("sample must be a FlowSample {u, v, du, dv}");
  const u = checkVector("sample.u", sample.u, p.d);
  const v = checkVector("sample.v", sample.v, p.d);
  const du = checkVector("sample.du", sample.du, p.d);
  const dv = checkVector("sample.dv", sample.dv, p.d);
  const lam = checkNumber("lambda", lambda, { min: 0 });
  const d = p.d;
  const DeltaInf = new Float64Array(d);
  const theta = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const s = u[j] + v[j];
    const dd = u[j] - v[j];
    if (s === 0 || dd === 0) throw new RangeError(`projectToLimit: u ± v is 0 at coordinate ${j}; project from another time`);
    const ad = (du[j] + dv[j]) / s;
    const bd = (du[j] - dv[j]) / dd;
    // ln|Δ∞| = ln|s| + ln|d| + λ(ȧ + ḃ): summed in the log domain so a tiny Δ does not underflow
    DeltaInf[j] = Math.exp(Math.log(Math.abs(s)) + Math.log(Math.abs(dd)) + lam * (ad + bd));
    theta[j] = Math.log(Math.abs(s) / Math.abs(dd)) + lam * (ad - bd);
  }
  const c = Float64Array.from(theta, (x) => 0.5 * x);
  const solve = minPsiInterpolator(p, DeltaInf, { offset: c, tol: options.tol, maxIterations: options.maxIterations });
  return { DeltaInf, theta, w: solve.w, solve };
}

/**
 * The network state with a given balancedness and regression vector: u ⊙ v = w and u² − v² = Δ, with u > 0
 * (u² = (Δ + √(Δ² + 4w²))/2, v = w/u). GF started there keeps Δ and is the mirror flow of ψ_Δ from w, so it
 * converges to argmin_{Xw'=y} D_ψΔ(w', w) (08-theory.ipynb#mirror-identity). With w = 0 it is u = √Δ, v = 0.
 * @param Delta Δ > 0 per coordinate; @param w the regression vector (default 0)
 * @returns {u, v} for `gradientFlow(p, { init })`
 * @throws RangeError if some Δ ≤ 0 or the lengths differ
 * @example stateWithBalancedness(Float64Array.of(0.02), Float64Array.of(0)) // { u: [√0.02], v: [0] }
 */
export function stateWithBalancedness(Delta: Float64Array, w?: Float64Array): { u: Float64Array; v: Float64Array } {
  const D = checkPositiveVector("Delta", Delta);
  if (w === undefined) return { u: D.map(Math.sqrt), v: new Float64Array(D.length) };
  const W = checkVector("w", w, D.length);
  const u = D.map((x, j) => Math.sqrt(0.5 * (x + Math.hypot(x, 2 * W[j]))));
  return { u, v: u.map((x, j) => W[j] / x) };
}
