/**
 * What a run reports when it fails: DivergenceError (the iteration, γ, β, λ and the heavy-ball stability bound
 * with the curvature it assumed) and IterationLimitError; and the curvature estimate behind the bound.
 */
import { largestEigenvalueXtX } from "../core/linalg";
import { checkChoice } from "../core/validate";
import type { DlnState } from "../model/dln";
import { heavyBallStability, type StopRule } from "../model/momentum";
import type { Problem } from "../model/problems";
import { passRows } from "./mgd-kernels";
import { checkProblem, initialState, type Model } from "./run-setup";

export interface CurvatureEstimate {
  /** Estimated largest Hessian eigenvalue of F along the run. */
  L: number;
  /** How L was estimated (a sentence for error messages). */
  how: string;
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

/** λ_max(D XᵀX D / n) with D = diag(√s2) (the Gauss–Newton curvature of the DLN). */
function scaledGramMax(X: Float64Array, n: number, d: number, s2: Float64Array): number {
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(Math.max(0, s2[j]));
  return largestEigenvalueXtX(X, n, d, { scale, iterations: 300, tol: 1e-10 });
}

/** The curvature estimate of {@link curvatureEstimate} for a checked problem and start. */
export function curvatureOf(p: Problem, model: Model, u0: Float64Array | null, v0: Float64Array | null, w0: Float64Array): CurvatureEstimate {
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
